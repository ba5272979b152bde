// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The ledger's append-only log.  DIR/log holds framed entries
 *   u32 length (BE) | u32 CRC32C(payload) (BE) | payload
 * and DIR/leaves the Merkle leaf hashes (struct merkle_tree), kept in step
 * with the log on open.  See doc/ledger-storage.md.
 *
 * Entries are at most STORE_ENTRY_MAX bytes and must be decision records
 * (record_peek_key() must succeed): the store indexes them by (origin, seq).
 *
 * Group commit: store_append() N entries, one store_sync() (one fdatasync
 * of the log), then the caller may acknowledge them.  Any write/fsync failure
 * is fatal (STORE_FATAL): the store refuses further work and the daemon must
 * exit loudly, since after a failed fsync the page cache state is unknown.
 */
#ifndef CFN_LEDGER_STORE_H
#define CFN_LEDGER_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "merkle.h"

enum store_rc {
	STORE_OK = 0,
	STORE_DUP = 1,	    /* (origin, seq) already logged; *index set */
	STORE_INVALID = -1, /* bad input (e.g. undecodable record) */
	STORE_FATAL = -2,   /* I/O failure; store unusable, exit */
};

#define STORE_ENTRY_MAX 65536

struct store_recovery {
	uint64_t entries;	 /* valid entries found */
	uint64_t dropped_bytes;	 /* torn tail truncated from the log */
	uint64_t leaves_rebuilt; /* leaf hashes recomputed from the log */
	bool created;		 /* the log did not exist before */
};

struct ledger_store;

/* Creates DIR (and its files, fsyncing DIR) when absent. */
int store_open(const char *dir, struct ledger_store **out,
	       struct store_recovery *rec, char *err, size_t errlen);
/*
 * Read-only view for offline tools, safe while the daemon appends: never
 * writes, truncates or locks; a torn tail is ignored, and a lagging leaf
 * file is completed in memory.  The writer (store_open) holds an exclusive
 * flock on DIR/log, so two daemons cannot share a directory.
 */
int store_open_ro(const char *dir, struct ledger_store **out,
		  struct store_recovery *rec, char *err, size_t errlen);
void store_close(struct ledger_store *s);

/* Entries appended (including those not yet synced). */
uint64_t store_size(const struct ledger_store *s);
/* Entries made durable by the last successful store_sync(). */
uint64_t store_durable_size(const struct ledger_store *s);
const char *store_dir(const struct ledger_store *s);
struct merkle_tree *store_tree(struct ledger_store *s);

/* Append one record (its canonical bytes); index of the new entry. */
int store_append(struct ledger_store *s, const uint8_t *data, size_t len,
		 uint64_t *index, char *err, size_t errlen);
/*
 * fsync the log: everything appended so far is durable and may be
 * acknowledged.  (The leaf/node hash files are derived data, rebuilt
 * from the log on open; they are made durable by store_sync_hashes(),
 * which checkpoint_publish() calls before it signs, because recovery
 * trusts the hashes of the checkpointed prefix.)
 */
int store_sync(struct ledger_store *s, char *err, size_t errlen);
int store_sync_hashes(struct ledger_store *s, char *err, size_t errlen);

/* Read entry `index` into a malloc'd buffer. */
int store_get(struct ledger_store *s, uint64_t index, uint8_t **data,
	      size_t *len, char *err, size_t errlen);
bool store_lookup(const struct ledger_store *s, const char *origin,
		  uint64_t seq, uint64_t *index);

#endif
