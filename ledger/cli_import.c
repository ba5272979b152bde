// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cfn-ledger import: append JSON decision records (one object per line)
 * to a ledger directory without the daemon, then publish a checkpoint.
 * For bootstrapping, tests and benchmarks; it takes the writer lock, so it
 * refuses to run while cfn-ledgerd owns the directory.
 *
 * Records that carry "signer"/"sig" are imported as they are; others are
 * signed with the --sign-key whose name equals their origin (if given).
 * Every record must then verify under --keys FILE or a --sign-key: one
 * that is unsigned or badly signed stops the import, unless
 * --allow-unverified, which imports it and says how many on stderr and in
 * the summary line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkpoint.h"
#include "cli.h"
#include "record.h"
#include "store.h"
#include "util.h"

#define MAX_SIGN_KEYS 64
#define MAX_KEYS 256

int cli_import(int argc, char **argv, const struct cli_opts *go)
{
	const char *dir = go->dir, *logkf = NULL, *origin = NULL, *in = NULL;
	struct note_key *sk[MAX_SIGN_KEYS], *vk[MAX_KEYS], *logkey = NULL;
	size_t nvk = 0;
	bool allow_unverified = false;
	uint64_t unverified = 0;
	struct ledger_store *s = NULL;
	struct store_recovery rec;
	size_t nsk = 0, cap = 0;
	uint64_t added = 0, dups = 0, line_no = 0, batch = 1000, pending = 0;
	char err[1024], *line = NULL;
	FILE *f = stdin;
	int rc = 1;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--dir") && i + 1 < argc) {
			dir = argv[++i];
		} else if (!strcmp(argv[i], "--log-key") && i + 1 < argc) {
			logkf = argv[++i];
		} else if (!strcmp(argv[i], "--origin") && i + 1 < argc) {
			origin = argv[++i];
		} else if (!strcmp(argv[i], "--batch") && i + 1 < argc) {
			batch = strtoull(argv[++i], NULL, 10);
			if (!batch)
				batch = 1;
		} else if (!strcmp(argv[i], "--sign-key") && i + 1 < argc) {
			if (nsk == MAX_SIGN_KEYS ||
			    note_key_load(argv[++i], &sk[nsk], err,
					  sizeof(err)) < 0) {
				cli_err("import", "%s",
					nsk == MAX_SIGN_KEYS ? "too many keys"
							     : err);
				goto out;
			}
			nsk++;
		} else if (!strcmp(argv[i], "--keys") && i + 1 < argc) {
			if (cli_load_vkeys(argv[++i], vk, &nvk, MAX_KEYS, err,
					   sizeof(err)) < 0) {
				cli_err("import", "%s", err);
				goto out;
			}
		} else if (!strcmp(argv[i], "--allow-unverified")) {
			allow_unverified = true;
		} else if (argv[i][0] != '-' && !in) {
			in = argv[i];
		} else {
			cli_err("import", "unknown option %s", argv[i]);
			rc = 2;
			goto out;
		}
	}
	if (!dir || !logkf || !origin) {
		cli_err("import",
			"usage: --dir DIR import --log-key FILE --origin NAME [--sign-key FILE]... [--keys FILE] [--allow-unverified] [--batch N] [FILE]");
		rc = 2;
		goto out;
	}
	if (note_key_load(logkf, &logkey, err, sizeof(err)) < 0) {
		cli_err("import", "%s", err);
		goto out;
	}
	if (file_is_exposed(logkf))
		cli_err("import",
			"warning: private key %s is readable by group or others (chmod 600 it)",
			logkf);
	if (in && !(f = fopen(in, "r"))) {
		cli_err("import", "cannot open %s", in);
		goto out;
	}
	if (checkpoint_store_open(dir, record_peek_key, &s, &rec, err,
				  sizeof(err)) < 0) {
		cli_err("import", "%s", err);
		goto out;
	}
	if (rec.dropped_bytes)
		fprintf(stderr,
			"cfn-ledger import: recovery dropped a torn tail of %llu bytes\n",
			(unsigned long long)rec.dropped_bytes);
	while (getline(&line, &cap, f) > 0) {
		uint8_t buf[RECORD_MAX_LEN];
		struct record r;
		int n, st;

		line_no++;
		if (line[strspn(line, " \t\r\n")] == '\0')
			continue;
		if (record_from_json(line, &r, err, sizeof(err)) < 0) {
			cli_err("import", "line %llu: %s",
				(unsigned long long)line_no, err);
			goto out;
		}
		if (!r.signed_)
			for (size_t k = 0; k < nsk; k++)
				if (!strcmp(sk[k]->name, r.origin) &&
				    record_sign(&r, sk[k], err, sizeof(err)) <
					    0) {
					cli_err("import", "%s", err);
					goto out;
				}
		if (!r.signed_ ||
		    (record_verify(&r, sk, nsk, NULL, 0) < 0 &&
		     record_verify(&r, vk, nvk, err, sizeof(err)) < 0)) {
			if (!r.signed_)
				snprintf(err, sizeof(err),
					 "record %s seq %llu is not signed",
					 r.origin, (unsigned long long)r.seq);
			if (!allow_unverified) {
				cli_err("import",
					"line %llu: %s (give the router's key with --keys, or --allow-unverified)",
					(unsigned long long)line_no, err);
				goto out;
			}
			unverified++;
		}
		n = record_encode(&r, buf, sizeof(buf), err, sizeof(err));
		st = n < 0 ? STORE_INVALID
			   : store_append(s, r.origin, r.seq, buf, (size_t)n,
					  NULL, err, sizeof(err));
		if (st == STORE_DUP) {
			dups++;
			continue;
		}
		if (st != STORE_OK) {
			cli_err("import", "line %llu: %s",
				(unsigned long long)line_no, err);
			goto out;
		}
		added++;
		cli_progress("import", added, 0, "records");
		if (++pending >= batch) {
			if (store_sync(s, err, sizeof(err)) != STORE_OK) {
				cli_err("import", "%s", err);
				goto out;
			}
			pending = 0;
		}
	}
	if (store_sync(s, err, sizeof(err)) != STORE_OK ||
	    checkpoint_publish(s, origin, logkey, NULL, err, sizeof(err)) < 0) {
		cli_err("import", "%s", err);
		goto out;
	}
	cli_progress_end("import", added, "records");
	if (unverified)
		cli_err("import",
			"WARNING: %llu records imported without a valid signature (--allow-unverified)",
			(unsigned long long)unverified);
	printf("imported %llu records (%llu duplicates skipped, %llu unverified); tree size %llu\n",
	       (unsigned long long)added, (unsigned long long)dups,
	       (unsigned long long)unverified,
	       (unsigned long long)store_size(s));
	rc = 0;
out:
	free(line);
	if (f && f != stdin)
		fclose(f);
	store_close(s);
	note_key_free(logkey);
	for (size_t k = 0; k < nsk; k++)
		note_key_free(sk[k]);
	for (size_t k = 0; k < nvk; k++)
		note_key_free(vk[k]);
	return rc;
}
