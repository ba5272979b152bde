// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cfn-ledgerd's token side (doc/tokens.md): the genesis (issuer keys),
 * token accounts on the socket, and the admission of token records
 * against the replayed state, so an invalid operation is refused with its
 * reason and never appended.  ledgerd*.c call these in a few places.
 */
#ifndef CFN_LEDGER_TOKEN_LEDGERD_H
#define CFN_LEDGER_TOKEN_LEDGERD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "token_record.h"

struct ledgerd;
struct ld_item;

/* --issuer-key FILE (repeatable), while parsing options. */
int ld_tokens_issuer_opt(const char *path);
/*
 * After store_open: replay the log into the token state and, with
 * issuer keys given, log the genesis (signed by the log key) unless the
 * log has one; a different issuer set than the logged genesis is an
 * error (the genesis is the log's constitution).  0 ok, -1 logged.
 */
int ld_tokens_open(struct ledgerd *d);
/* HELLO from a token account (origin = account id)? */
bool ld_tokens_hello(const char *origin);
/* Worker thread: decode, account == connection origin, signature. */
void ld_tokens_check(struct ld_item *it);
/*
 * Event loop, before appending a checked record: 0 append it (a
 * byte-identical resend is answered as a duplicate by the store), -1
 * refuse it with the reason in err.
 */
int ld_tokens_admit(struct ledgerd *d, const struct ld_item *it, char *err,
		    size_t errlen);
/* After the record was appended at index. */
void ld_tokens_appended(const uint8_t *data, size_t len, uint64_t index);
void ld_tokens_close(void);

#endif
