// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cfn-ledger: one dispatcher (cfn_ledger.c), one file per group of
 * subcommands.  Usage:  cfn-ledger [--dir DIR] COMMAND [ARGS...]
 *
 * Each command gets argv starting at its own name (argv[0] = "get", ...),
 * and the global options.  It returns the process exit status (0 ok,
 * 1 failure/verification failed, 2 usage) and prints errors to stderr as
 * "cfn-ledger COMMAND: reason".
 *
 * Commands owned by the ledger core (cli_core.c, cli_verify.c):
 *   keygen checkpoint get prove verify audit import
 * Commands owned by the ledger transport (cli_append.c, cli_tail.c):
 *   append tail
 * The transport commands are weak references so the tool links before
 * their file exists; the dispatcher reports "not built" when absent.
 */
#ifndef CFN_LEDGER_CLI_H
#define CFN_LEDGER_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cli_opts {
	const char *dir;    /* --dir DIR (NULL if not given) */
	const char *socket; /* --socket PATH (NULL if not given) */
};

typedef int (*cli_cmd_fn)(int argc, char **argv, const struct cli_opts *o);

struct cli_cmd {
	const char *name;
	const char *usage; /* after "cfn-ledger [--dir DIR] " */
	cli_cmd_fn fn;
};

/* core: cli_core.c */
int cli_keygen(int argc, char **argv, const struct cli_opts *o);
int cli_checkpoint(int argc, char **argv, const struct cli_opts *o);
int cli_get(int argc, char **argv, const struct cli_opts *o);
int cli_prove(int argc, char **argv, const struct cli_opts *o);
/* core: cli_verify.c */
int cli_verify(int argc, char **argv, const struct cli_opts *o);
int cli_audit(int argc, char **argv, const struct cli_opts *o);
/* core: cli_import.c (offline bulk load, takes the writer lock) */
int cli_import(int argc, char **argv, const struct cli_opts *o);

/* transport: cli_append.c, cli_tail.c (define them normally) */
int cli_append(int argc, char **argv, const struct cli_opts *o)
	__attribute__((weak));
int cli_tail(int argc, char **argv, const struct cli_opts *o)
	__attribute__((weak));

/* Helpers for command files. */
void cli_err(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
struct note_key;
/* Appends the verifier keys of a file (one per line, '#' comments). */
int cli_load_vkeys(const char *path, struct note_key **keys, size_t *n,
		   size_t max, char *err, size_t errlen);
/*
 * Progress of a long run on stderr ("cfn-ledger CMD: DONE/TOTAL what"),
 * at most once a second, when stderr is a terminal or CFN_PROGRESS=1;
 * total 0: unknown.  cli_progress_end() prints the final count.
 */
void cli_progress(const char *cmd, uint64_t done, uint64_t total,
		  const char *what);
void cli_progress_end(const char *cmd, uint64_t done, const char *what);

/* Requires o->dir; prints an error and returns NULL if absent. */
const char *cli_need_dir(const char *cmd, const struct cli_opts *o);

#endif
