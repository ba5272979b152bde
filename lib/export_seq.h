// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Router sequence numbers that never repeat, also across restarts and a
 * wall clock that steps back: the ledger takes a record with a used
 * (origin, seq) for a resend (or refuses it), so a repeated seq would
 * lose a decision.
 *
 * The file PATH holds a ceiling: every seq handed out so far is below it.
 * Seqs are reserved in blocks; the new ceiling is made durable (temp,
 * fsync, rename, directory fsync) before any seq of the block is used, so
 * after a crash the next seq starts above everything that may have been
 * handed out.
 *
 *   CFNSEQ1\n CEILING(decimal)\n CRC-32C(8 hex digits, of the lines before)\n
 */
#ifndef CFN_EXPORT_SEQ_H
#define CFN_EXPORT_SEQ_H

#include <stddef.h>
#include <stdint.h>

/* Seqs reserved per durable write of the ceiling. */
#define EXPORT_SEQ_BLOCK 65536

struct export_seq;

/* Opens (or starts) PATH; -1 with err when it is damaged or unreadable. */
int export_seq_open(const char *path, struct export_seq **out, char *err,
		    size_t errlen);
void export_seq_close(struct export_seq *s);
/*
 * The next seq: above every one handed out before, and at least `floor`
 * (e.g. derived from the clock).  -1 with err if the ceiling cannot be
 * made durable (then no seq is handed out).
 */
int export_seq_next(struct export_seq *s, uint64_t floor, uint64_t *seq,
		    char *err, size_t errlen);

#endif
