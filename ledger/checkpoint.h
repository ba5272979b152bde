// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint) bodies and the
 * signed checkpoint file DIR/checkpoint.  See doc/checkpoint.md.
 *
 * Body:  ORIGIN\n SIZE(decimal)\n BASE64(root)\n
 */
#ifndef CFN_LEDGER_CHECKPOINT_H
#define CFN_LEDGER_CHECKPOINT_H

#include <stddef.h>
#include <stdint.h>

#include "merkle.h"
#include "note.h"

struct ledger_store;

struct checkpoint {
	char origin[NOTE_NAME_MAX + 1];
	uint64_t size;
	uint8_t root[MERKLE_HASH_LEN];
};

/* Returns the body length or -1. */
int checkpoint_format(const struct checkpoint *c, char *buf, size_t size);
/* Parses the first three lines of a note text; extension lines ignored. */
int checkpoint_parse(const char *text, size_t len, struct checkpoint *c,
		     char *err, size_t errlen);

/*
 * Sign a checkpoint for the store's durable prefix (what the last
 * store_sync() covered) and install it as DIR/checkpoint: fsync the hash
 * files, temp file, fsync, rename, fsync DIR.  *note_out (optional) gets
 * the malloc'd signed note.  Failure to fsync the hash files makes the
 * store fatal (STORE_FATAL from then on), like store_sync().
 */
int checkpoint_publish(struct ledger_store *s, const char *origin,
		       const struct note_key *key, char **note_out, char *err,
		       size_t errlen);

/* Read DIR/checkpoint (malloc'd, NUL-terminated); -1 if absent. */
int checkpoint_read(const char *dir, char **note, size_t *len, char *err,
		    size_t errlen);

/* Verify a signed checkpoint note with `key`, then parse it. */
int checkpoint_open(const char *note, size_t len, const struct note_key *key,
		    struct checkpoint *c, char *err, size_t errlen);

#endif
