// SPDX-License-Identifier: GPL-2.0-or-later
/* Token state views shared by balance, orders and audit. */
#ifndef CFN_LEDGER_CLI_TOKEN_VIEW_H
#define CFN_LEDGER_CLI_TOKEN_VIEW_H

#include "token_state.h"

struct json_object;

/* Replay DIR's log (no signature checks) into s; -1 after an error. */
int cli_token_replay_dir(const char *cmd, const char *dir,
			 struct token_state *s);
struct json_object *cli_token_account_json(const struct token_acct *a);
struct json_object *cli_token_order_json(const struct token_state *s,
					 const struct token_order *x);
void cli_token_print_order(const struct token_state *s,
			   const struct token_order *x);

#endif
