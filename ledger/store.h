// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The ledger's append-only log.  DIR/log holds framed entries
 *   u32 length (BE) | u32 CRC32C(payload) (BE) | payload
 * and DIR/leaves the Merkle leaf hashes (struct merkle_tree), kept in step
 * with the log on open.  See doc/ledger-storage.md.
 *
 * Entries are at most STORE_ENTRY_MAX bytes.  The store indexes them by
 * (origin, seq), which the caller supplies: with each append, and through a
 * key function when the log is scanned on open (the store knows no record
 * format).
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
	STORE_DUP = 1,	    /* the same entry is already logged; *index set */
	STORE_CONFLICT = 2, /* (origin, seq) logged with other content */
	STORE_INVALID = -1, /* bad input (e.g. undecodable record) */
	STORE_FATAL = -2,   /* I/O failure; store unusable, exit */
};

#define STORE_ENTRY_MAX 65536

struct store_recovery {
	uint64_t entries;	 /* valid entries found */
	uint64_t dropped_bytes;	 /* torn tail truncated from the log */
	uint64_t leaves_rebuilt; /* leaf hashes recomputed from the log */
	uint64_t bad_leaf; /* 1 + first leaf hash on disk that was wrong */
	uint64_t bad_node; /* 1 + first node hash on disk that was wrong */
	bool created;	   /* the log did not exist before */
};

struct ledger_store;

/* The key of an entry: 0 with origin (NUL-terminated) and seq, or -1. */
typedef int (*store_key_fn)(const uint8_t *data, size_t len, char origin[64],
			    uint64_t *seq);

/*
 * What the caller knows was published (signed and handed out): the first
 * `size` entries must be intact and hash to `root`.  Damage inside them is
 * corruption, never a torn tail: open fails instead of cutting the log.
 */
struct store_trust {
	uint64_t size;
	uint8_t root[MERKLE_HASH_LEN];
};

/*
 * Creates DIR (and its files, fsyncing DIR) when absent.  Before it
 * returns, everything it recovered is durable (log, hash files, DIR), so
 * the caller may sign or acknowledge any of it.  trust may be NULL.
 */
int store_open(const char *dir, const struct store_trust *trust,
	       store_key_fn key, struct ledger_store **out,
	       struct store_recovery *rec, char *err, size_t errlen);
/*
 * Read-only view for offline tools, safe while the daemon appends: never
 * writes, truncates or locks; a torn tail is ignored, and a lagging leaf
 * file is completed in memory.  The writer (store_open) holds an exclusive
 * flock on DIR/log, so two daemons cannot share a directory.
 */
int store_open_ro(const char *dir, const struct store_trust *trust,
		  store_key_fn key, struct ledger_store **out,
		  struct store_recovery *rec, char *err, size_t errlen);
void store_close(struct ledger_store *s);

/* Entries appended (including those not yet synced). */
uint64_t store_size(const struct ledger_store *s);
/* Entries made durable by the last successful store_sync(). */
uint64_t store_durable_size(const struct ledger_store *s);
const char *store_dir(const struct ledger_store *s);
struct merkle_tree *store_tree(struct ledger_store *s);

/* The published size given to store_open (raised by store_publish()). */
uint64_t store_trusted_size(const struct ledger_store *s);
/* The caller published the first `size` entries (never goes down). */
void store_publish(struct ledger_store *s, uint64_t size);

/*
 * Append one record (its canonical bytes) under its (origin, seq); index
 * of the new entry.  A byte-identical entry already logged under the same
 * key is STORE_DUP (*index: the original); different bytes under a used
 * key are STORE_CONFLICT (*index: the original), nothing is written.
 */
int store_append(struct ledger_store *s, const char *origin, uint64_t seq,
		 const uint8_t *data, size_t len, uint64_t *index, char *err,
		 size_t errlen);
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
