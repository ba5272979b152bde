// SPDX-License-Identifier: GPL-2.0-or-later
/* cfn-ledger: offline ledger tool.  Dispatcher and shared helpers. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cfn_config.h"
#include "cli.h"
#include "cli_plot.h"
#include "cli_token.h"
#include "cli_proof.h"
#include "note.h"
#include "util.h"

static const struct cli_cmd cmds[] = {
	{"keygen", "keygen NAME --out DIR [--force]", cli_keygen},
	{"checkpoint", "--dir DIR checkpoint", cli_checkpoint},
	{"get", "--dir DIR get N [--json]", cli_get},
	{"prove",
	 "--dir DIR prove inclusion N [--size S] [--json]\n"
	 "       cfn-ledger --dir DIR prove consistency OLD NEW [--json]",
	 cli_prove},
	{"verify",
	 "verify --vkey FILE [--checkpoint FILE] [--old-checkpoint FILE]\n"
	 "                         [--proof FILE] [--entry FILE]",
	 cli_verify},
	{"audit",
	 "--dir DIR audit --vkey FILE [--keys FILE] [--allow-unsigned]\n"
	 "       cfn-ledger audit --dir D | --url URL [--cache DIR] [--json]",
	 cli_audit},
	{"import",
	 "--dir DIR import --log-key FILE --origin NAME [--sign-key FILE]...\n"
	 "                         [--keys FILE] [--allow-unverified] "
	 "[--batch N] [FILE]",
	 cli_import},
	{"verify-proof", "verify-proof FILE --policy FILE", cli_verify_proof},
	{"append",
	 "append --socket PATH --key KEYFILE [--timeout SECS] < records.jsonl",
	 NULL},
	{"tail",
	 "tail [--json] [--from N] [--once] (--socket PATH | --dir DIR)", NULL},
	{"plot",
	 "--dir DIR plot --out BASE [--service PREFIX] [--title T]\n"
	 "                         [--events FILE]",
	 cli_plot},
	/* compute tokens: doc/tokens.md */
	{"account", "account new NAME --out DIR", cli_account},
	{"issue", "issue --socket S --key ISSUER.key --to ACCOUNT --amount N",
	 cli_token_op},
	{"transfer",
	 "transfer --socket S --key FROM.key --to ACCOUNT --amount N",
	 cli_token_op},
	{"provider",
	 "provider --socket S --key PROVIDER.key --router HOSTNAME --site NAME "
	 "[--price P]",
	 cli_token_op},
	{"order",
	 "order --socket S --key ENTERPRISE.key --service PREFIX --ingress "
	 "HOSTNAME\n                         --units N --max-price P --expires "
	 "SECONDS",
	 cli_token_op},
	{"receipt",
	 "receipt --socket S --key PROVIDER.key --order ID --units N",
	 cli_token_op},
	{"expire", "expire --socket S --key ANY.key --order ID", cli_token_op},
	{"balance", "balance --dir D [ACCOUNT] [--json]", cli_balance},
	{"orders", "orders --dir D [--json]", cli_orders},
	{"serve", "serve --dir D --listen ADDR:PORT (C2SP tlog-tiles)",
	 cli_serve},
};

void cli_err(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "cfn-ledger %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cli_load_vkeys(const char *path, struct note_key **keys, size_t *n,
		   size_t max, char *err, size_t errlen)
{
	char *buf, *line, *save = NULL, e[256];

	if (read_file(path, 1 << 20, &buf, NULL, err, errlen) < 0)
		return -1;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!*line || *line == '#')
			continue;
		if (*n >= max) {
			free(buf);
			return cfn_err(err, errlen, "too many keys");
		}
		if (note_key_parse_vkey(line, &keys[*n], e, sizeof(e)) < 0) {
			free(buf);
			return cfn_err(err, errlen, "%s: %s", path, e);
		}
		(*n)++;
	}
	free(buf);
	return 0;
}

static bool progress_on(void)
{
	const char *e = getenv("CFN_PROGRESS");

	return e ? !strcmp(e, "1") : isatty(2);
}

void cli_progress(const char *cmd, uint64_t done, uint64_t total,
		  const char *what)
{
	static time_t last;
	time_t now;

	if ((done & 1023) || !progress_on())
		return;
	now = time(NULL);
	if (now == last)
		return;
	last = now;
	if (total)
		fprintf(stderr, "cfn-ledger %s: %llu/%llu %s (%llu%%)\n", cmd,
			(unsigned long long)done, (unsigned long long)total,
			what, (unsigned long long)(done * 100 / total));
	else
		fprintf(stderr, "cfn-ledger %s: %llu %s\n", cmd,
			(unsigned long long)done, what);
}

void cli_progress_end(const char *cmd, uint64_t done, const char *what)
{
	if (progress_on())
		fprintf(stderr, "cfn-ledger %s: %llu %s, done\n", cmd,
			(unsigned long long)done, what);
}

const char *cli_need_dir(const char *cmd, const struct cli_opts *o)
{
	if (!o->dir)
		cli_err(cmd, "needs --dir DIR");
	return o->dir;
}

static void usage(FILE *f)
{
	fprintf(f, "usage:\n");
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "  cfn-ledger %s\n", cmds[i].usage);
	fprintf(f,
		"  cfn-ledger --help | --version\n"
		"Exit: 0 ok, 1 failure or verification failed, 2 usage.\n"
		"Long audits and imports print progress on stderr when it is a "
		"terminal\n(or CFN_PROGRESS=1).  See cfn-ledger(1), "
		"doc/cfn-ledger.md.\n");
}

static cli_cmd_fn resolve(const struct cli_cmd *c)
{
	/* transport commands are weak symbols, absent in a partial build */
	if (!strcmp(c->name, "append"))
		return cli_append;
	if (!strcmp(c->name, "tail"))
		return cli_tail;
	return c->fn;
}

int main(int argc, char **argv)
{
	struct cli_opts o = {0};
	int i = 1;

	while (i < argc && argv[i][0] == '-') {
		if (!strcmp(argv[i], "--dir") && i + 1 < argc) {
			o.dir = argv[i + 1];
			i += 2;
		} else if (!strcmp(argv[i], "--socket") && i + 1 < argc) {
			o.socket = argv[i + 1];
			i += 2;
		} else if (!strcmp(argv[i], "-h") ||
			   !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--version")) {
			printf("cfn-ledger %s\n", PACKAGE_VERSION);
			return 0;
		} else {
			fprintf(stderr, "cfn-ledger: unknown option %s\n",
				argv[i]);
			usage(stderr);
			return 2;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return 2;
	}
	/* --policy forms of verify/audit, prove decision (cli_proof*.c) */
	if (cli_proof_route(argc - i, argv + i))
		return cli_proof_route(argc - i, argv + i)(argc - i, argv + i,
							   &o);
	for (size_t c = 0; c < sizeof(cmds) / sizeof(cmds[0]); c++) {
		cli_cmd_fn fn;

		if (strcmp(cmds[c].name, argv[i]) != 0)
			continue;
		fn = resolve(&cmds[c]);
		if (!fn) {
			cli_err(argv[i], "not built into this binary");
			return 2;
		}
		return fn(argc - i, argv + i, &o);
	}
	fprintf(stderr, "cfn-ledger: unknown command %s\n", argv[i]);
	usage(stderr);
	return 2;
}
