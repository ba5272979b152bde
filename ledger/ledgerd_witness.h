// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cfn-ledgerd's witness client (C2SP tlog-witness): after each checkpoint
 * a thread asks every witness of the policy (its `witness NAME VKEY URL`
 * lines) for a cosignature, in parallel with libcurl, with a bounded time
 * per round and retries with backoff; appends never wait for it.
 *
 * It publishes, atomically, DIR/checkpoint.cosigned (the latest
 * checkpoint with the cosignatures it got) and DIR/checkpoint.endorsed
 * (the latest one whose cosignatures meet the policy's quorum).
 */
#ifndef CFN_LEDGERD_WITNESS_H
#define CFN_LEDGERD_WITNESS_H

#include <stddef.h>
#include <stdint.h>

#include "note.h"

#define LD_COSIGNED_FILE "checkpoint.cosigned"
#define LD_ENDORSED_FILE "checkpoint.endorsed"

/* Load the policy and start the thread (after any fork); logkey: the
 * checkpoint key, which the policy should list. */
int ld_witness_start(const char *policy_path, const char *dir,
		     const struct note_key *logkey, char *err, size_t errlen);
/* A checkpoint was published: copy it for the thread.  Never blocks on
 * the network; a newer checkpoint replaces one not yet submitted. */
void ld_witness_post(const char *note);
/* Let the current round finish (bounded), then stop the thread. */
void ld_witness_stop(void);

#endif
