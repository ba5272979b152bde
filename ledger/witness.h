// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The witness of cfn-witness: C2SP tlog-witness add-checkpoint semantics
 * without the HTTP (witness_http.c carries it), so they can be tested and
 * benchmarked alone.
 *
 * State, per log (origin), in STATE/logs/HEX(SHA-256(origin)): the last
 * checkpoint note it cosigned, replaced atomically (temp, fsync, rename,
 * fsync dir) before the cosignature leaves, under one lock with the
 * check, so no interleaving or crash can make it cosign two inconsistent
 * checkpoints.  Refused checkpoints that the log did sign (rollback, split
 * view, bad consistency proof) are kept in STATE/evidence/ with the
 * checkpoint the witness holds.  See doc/witness.md.
 */
#ifndef CFN_LEDGER_WITNESS_H
#define CFN_LEDGER_WITNESS_H

#include <pthread.h>
#include <stdint.h>

#include "cosig.h"
#include "policy.h"

struct witness {
	struct note_key *key; /* private, cosigner identity (0x04 ID) */
	struct policy *policy;
	char *state;
	pthread_mutex_t lock;
	uint64_t evidence_seq;
	uint64_t cosigned, refused; /* counters */
};

struct witness_reply {
	int status;
	const char *ctype;
	char body[COSIG_LINE_MAX + 256];
	size_t len;
};

/* Takes ownership of key and policy; creates STATE/logs, STATE/evidence. */
int witness_init(struct witness *w, struct note_key *key, struct policy *policy,
		 const char *state, char *err, size_t errlen);
void witness_fini(struct witness *w);

/* Handle one add-checkpoint body; the reply is always filled in. */
void witness_add_checkpoint(struct witness *w, const char *body, size_t len,
			    struct witness_reply *r);

#endif
