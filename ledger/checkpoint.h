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
#include "store.h"


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
 * files, record the size and root in DIR/published (temp, fsync, rename,
 * fsync DIR), then the same for DIR/checkpoint.  Refuses to sign a tree
 * smaller than one published before (a fork under our own key).
 * *note_out (optional) gets the malloc'd signed note.  Failure to fsync
 * the hash files makes the store fatal (STORE_FATAL from then on), like
 * store_sync().
 */
int checkpoint_publish(struct ledger_store *s, const char *origin,
		       const struct note_key *key, char **note_out, char *err,
		       size_t errlen);

/*
 * What was published in DIR, for store_open(): DIR/published (checksummed,
 * written before every checkpoint, so a damaged or deleted checkpoint file
 * cannot make the writer forget how far it had signed), or, for a
 * directory from before that file existed, DIR/checkpoint; the larger if
 * both parse.  Nothing published: size 0.  -1 (err) when DIR/published
 * exists but is damaged: the caller must stop, not guess.
 */
int checkpoint_trust(const char *dir, struct store_trust *t, char *err,
		     size_t errlen);

/* store_open() trusting what DIR says was published (the writer's way). */
int checkpoint_store_open(const char *dir, store_key_fn key,
			  struct ledger_store **out, struct store_recovery *rec,
			  char *err, size_t errlen);

/* Read DIR/checkpoint (malloc'd, NUL-terminated); -1 if absent. */
int checkpoint_read(const char *dir, char **note, size_t *len, char *err,
		    size_t errlen);

/* Verify a signed checkpoint note with `key`, then parse it. */
int checkpoint_open(const char *note, size_t len, const struct note_key *key,
		    struct checkpoint *c, char *err, size_t errlen);

#endif
