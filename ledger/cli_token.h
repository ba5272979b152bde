// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cfn-ledger's token commands (doc/tokens.md):
 *   account new NAME --out DIR
 *   issue | transfer | provider | order | receipt | expire  (--socket S)
 *   balance | orders | audit  (--dir D, or audit --url URL)
 *   serve --dir D --listen ADDR:PORT  (C2SP tlog-tiles, read-only)
 */
#ifndef CFN_LEDGER_CLI_TOKEN_H
#define CFN_LEDGER_CLI_TOKEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli.h"
#include "token_record.h"

int cli_account(int argc, char **argv, const struct cli_opts *o);
int cli_token_op(int argc, char **argv, const struct cli_opts *o);
int cli_balance(int argc, char **argv, const struct cli_opts *o);
int cli_orders(int argc, char **argv, const struct cli_opts *o);
int cli_serve(int argc, char **argv, const struct cli_opts *o);

/*
 * audit: cli_audit() (cli_verify.c) hands over to the token-aware audit
 * when it is asked for (--json, --url, no --vkey) or the log holds token
 * records, which the decision-only audit cannot read.
 */
bool cli_token_audit_wanted(int argc, char **argv, const struct cli_opts *o);
int cli_token_audit(int argc, char **argv, const struct cli_opts *o);

/*
 * Submit one signed record to cfn-ledgerd at socket as account `origin`;
 * 0 with *index (appended or already logged), -1 with the ledger's reason
 * in err.
 */
int cli_token_submit(const char *socket, const char *origin, uint32_t key_id,
		     const uint8_t *rec, size_t len, uint64_t *index, char *err,
		     size_t errlen);

/*
 * A token record in `tail` (one line; JSON with "index" when json) and
 * `get N` (pretty JSON); 0, or -1 after printing why it is undecodable.
 */
int cli_token_print_entry(const char *cmd, uint64_t index, const uint8_t *d,
			  size_t len, bool line, bool json);

/* ACCOUNT: an account id, or a key file (private or verifier). */
int cli_token_parse_account(const char *arg, token_account a, char *err,
			    size_t errlen);

#endif
