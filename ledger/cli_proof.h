// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cfn-ledger commands of the consortium endorsement (doc/witness.md,
 * doc/policy.md, doc/proof.md):
 *
 *   cfn-ledger verify --dir D --policy FILE
 *   cfn-ledger --dir D audit --vkey FILE ... --policy FILE
 *   cfn-ledger --dir D prove decision ORIGIN SEQ --out FILE
 *   cfn-ledger verify-proof FILE --policy FILE
 *
 * cli_proof_route() tells the dispatcher (cfn_ledger.c) which forms of
 * verify, audit and prove are these (they carry --policy or "decision").
 */
#ifndef CFN_LEDGER_CLI_PROOF_H
#define CFN_LEDGER_CLI_PROOF_H

#include "cli.h"

/* The command for these arguments (argv[0] the command) or NULL. */
cli_cmd_fn cli_proof_route(int argc, char **argv);

int cli_verify_policy(int argc, char **argv, const struct cli_opts *o);
int cli_audit_policy(int argc, char **argv, const struct cli_opts *o);
int cli_prove_decision(int argc, char **argv, const struct cli_opts *o);
int cli_verify_proof(int argc, char **argv, const struct cli_opts *o);

#endif
