// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cfn-ledger prove decision ORIGIN SEQ --out FILE: the receipt of one
 * decision, a C2SP tlog-proof whose extra data is the record itself, and
 * cfn-ledger verify-proof FILE --policy FILE, which checks it with no
 * access to the ledger.  See doc/proof.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_proof.h"
#include "ledgerd_witness.h"
#include "policy.h"
#include "proof.h"
#include "record.h"
#include "store.h"
#include "util.h"
#include "witness_req.h"

#define NOTE_MAX 65536

/* The newest checkpoint with cosignatures: endorsed, else cosigned. */
static int read_cosigned(const char *dir, char **note, size_t *len,
			 struct checkpoint *ck, char *err, size_t errlen)
{
	static const char *const files[] = {LD_ENDORSED_FILE, LD_COSIGNED_FILE};
	char path[4096];

	for (size_t i = 0; i < 2; i++) {
		const char *blank;

		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		if (read_file(path, NOTE_MAX, note, len, NULL, 0) < 0)
			continue;
		blank = strstr(*note, "\n\n");
		if (blank &&
		    checkpoint_parse(*note, (size_t)(blank - *note) + 1, ck,
				     err, errlen) == 0)
			return 0;
		free(*note);
	}
	return cfn_err(err, errlen,
		       "no cosigned checkpoint in %s (is cfn-ledgerd running "
		       "with --policy?)",
		       dir);
}

int cli_prove_decision(int argc, char **argv, const struct cli_opts *o)
{
	const char *dir = o->dir, *out = NULL, *origin = NULL, *seqs = NULL;
	struct ledger_store *s = NULL;
	struct merkle_proof pr;
	struct checkpoint ck;
	uint8_t *data = NULL, r[MERKLE_HASH_LEN];
	char err[1024], *note = NULL, *text = NULL;
	uint64_t seq, index;
	size_t len, dlen, tlen;
	int rc = 1;

	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--out") && i + 1 < argc)
			out = argv[++i];
		else if (!strcmp(argv[i], "--dir") && i + 1 < argc)
			dir = argv[++i];
		else if (!origin)
			origin = argv[i];
		else if (!seqs)
			seqs = argv[i];
		else
			origin = NULL, i = argc;
	}
	if (!dir || !out || !origin || !seqs ||
	    witness_parse_u64(seqs, strlen(seqs), &seq) < 0) {
		cli_err("prove",
			"usage: --dir D prove decision ORIGIN SEQ --out FILE");
		return 2;
	}
	if (read_cosigned(dir, &note, &len, &ck, err, sizeof(err)) < 0 ||
	    store_open_ro(dir, NULL, record_peek_key, &s, NULL, err,
			  sizeof(err)) < 0)
		goto fail;
	if (!store_lookup(s, origin, seq, &index)) {
		cfn_err(err, sizeof(err),
			"no decision %s seq %llu in the ledger", origin,
			(unsigned long long)seq);
		goto fail;
	}
	if (index >= ck.size) {
		cfn_err(err, sizeof(err),
			"decision %s seq %llu is entry %llu, not yet covered by "
			"the cosigned checkpoint (size %llu); try again later",
			origin, (unsigned long long)seq,
			(unsigned long long)index, (unsigned long long)ck.size);
		goto fail;
	}
	if (merkle_root(store_tree(s), ck.size, r, err, sizeof(err)) < 0 ||
	    memcmp(r, ck.root, MERKLE_HASH_LEN) != 0) {
		cfn_err(err, sizeof(err),
			"the cosigned checkpoint does not match this ledger");
		goto fail;
	}
	if (store_get(s, index, &data, &dlen, err, sizeof(err)) < 0 ||
	    merkle_prove_inclusion(store_tree(s), index, ck.size, &pr, err,
				   sizeof(err)) < 0)
		goto fail;
	if (proof_format(data, dlen, index, &pr, note, len, &text, &tlen) < 0 ||
	    write_file_atomic(out, text, tlen, 0644, err, sizeof(err)) < 0)
		goto fail;
	printf("proof of %s seq %llu (entry %llu) in checkpoint size %llu "
	       "written to %s\n",
	       origin, (unsigned long long)seq, (unsigned long long)index,
	       (unsigned long long)ck.size, out);
	rc = 0;
	goto done;
fail:
	cli_err("prove", "%s", err);
done:
	free(text);
	free(data);
	free(note);
	store_close(s);
	return rc;
}

int cli_verify_proof(int argc, char **argv, const struct cli_opts *o)
{
	const char *file = NULL, *polf = NULL;
	struct policy *p = NULL;
	struct policy_verdict v;
	struct tlog_proof tp = {0};
	struct record rec;
	uint8_t leaf[MERKLE_HASH_LEN];
	char err[2048], d[2048], *text = NULL;
	size_t len;
	int rc = 1;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--policy") && i + 1 < argc)
			polf = argv[++i];
		else if (!file && argv[i][0] != '-')
			file = argv[i];
		else
			file = NULL, i = argc;
	}
	if (!file || !polf) {
		cli_err("verify-proof",
			"usage: verify-proof FILE --policy FILE");
		return 2;
	}
	if (policy_load(polf, &p, err, sizeof(err)) < 0) {
		cli_err("verify-proof", "%s", err);
		return 2;
	}
	if (read_file(file, PROOF_FILE_MAX, &text, &len, err, sizeof(err)) <
		    0 ||
	    proof_parse(text, len, &tp, err, sizeof(err)) < 0)
		goto fail;
	if (policy_check(p, tp.note, tp.note_len, &v, err, sizeof(err)) < 0)
		goto fail;
	if (!tp.extra) {
		cfn_err(err, sizeof(err),
			"the proof carries no record (extra)");
		goto fail;
	}
	merkle_leaf_hash(tp.extra, tp.extra_len, leaf);
	if (merkle_verify_inclusion(leaf, tp.index, v.ck.size, &tp.proof,
				    v.ck.root, err, sizeof(err)) < 0)
		goto fail;
	if (record_decode(tp.extra, tp.extra_len, &rec, err, sizeof(err)) < 0)
		goto fail;
	policy_describe(p, &v, d, sizeof(d));
	printf("proof OK: decision %s seq %llu is entry %llu of %s "
	       "(size %llu)\n"
	       "quorum OK: %s\n",
	       rec.origin, (unsigned long long)rec.seq,
	       (unsigned long long)tp.index, v.ck.origin,
	       (unsigned long long)v.ck.size, d);
	rc = 0;
	goto out;
fail:
	cli_err("verify-proof", "REFUSED: %s", err);
out:
	proof_free(&tp);
	free(text);
	policy_free(p);
	return rc;
}
