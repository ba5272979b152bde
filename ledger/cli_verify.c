// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cfn-ledger verify (offline checks of checkpoints and proofs, no ledger
 * directory needed) and audit (replay of a whole ledger directory).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "checkpoint.h"
#include "cli.h"
#include "cli_token.h"
#include "merkle.h"
#include "note.h"
#include "record.h"
#include "store.h"
#include "util.h"

#define MAX_KEYS 256

static int load_checkpoint(const char *path, const struct note_key *key,
			   struct checkpoint *c, char *err, size_t errlen)
{
	char *note, e[512];
	size_t len;
	int rc;

	if (read_file(path, 65536, &note, &len, err, errlen) < 0)
		return -1;
	rc = checkpoint_open(note, len, key, c, e, sizeof(e));
	free(note);
	if (rc < 0)
		return cfn_err(err, errlen, "%s: %s", path, e);
	return 0;
}

static int json_u64(struct json_object *o, const char *k, uint64_t *v)
{
	struct json_object *x;

	if (!json_object_object_get_ex(o, k, &x) ||
	    !json_object_is_type(x, json_type_int) ||
	    json_object_get_int64(x) < 0)
		return -1;
	*v = json_object_get_uint64(x);
	return 0;
}

static int json_b64(struct json_object *o, const char *k, uint8_t *out,
		    size_t size)
{
	struct json_object *x;
	const char *s;

	if (!json_object_object_get_ex(o, k, &x) ||
	    !json_object_is_type(x, json_type_string))
		return -1;
	s = json_object_get_string(x);
	return note_b64_decode(s, strlen(s), out, size);
}

static int json_hash(struct json_object *o, const char *k,
		     uint8_t out[MERKLE_HASH_LEN])
{
	return json_b64(o, k, out, MERKLE_HASH_LEN) == MERKLE_HASH_LEN ? 0 : -1;
}

static int json_proof(struct json_object *o, struct merkle_proof *p)
{
	struct json_object *a;
	size_t n;

	if (!json_object_object_get_ex(o, "hashes", &a) ||
	    !json_object_is_type(a, json_type_array))
		return -1;
	n = json_object_array_length(a);
	if (n > MERKLE_MAX_PROOF)
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(a, i);
		const char *s;

		if (!json_object_is_type(e, json_type_string))
			return -1;
		s = json_object_get_string(e);
		if (note_b64_decode(s, strlen(s), p->h[i], MERKLE_HASH_LEN) !=
		    MERKLE_HASH_LEN)
			return -1;
	}
	p->n = n;
	return 0;
}

static void print_checkpoint(const char *what, const struct checkpoint *c)
{
	char root[64];

	note_b64_encode(c->root, MERKLE_HASH_LEN, root, sizeof(root));
	printf("%s OK: origin %s size %llu root %s\n", what, c->origin,
	       (unsigned long long)c->size, root);
}

/* An entry file is the output of "get N --json". */
static int check_entry(const char *path, uint64_t index,
		       const uint8_t leaf[MERKLE_HASH_LEN], char *err,
		       size_t errlen)
{
	struct json_object *e = json_object_from_file(path);
	uint8_t want[MERKLE_HASH_LEN], h[MERKLE_HASH_LEN];
	uint8_t *data = malloc(STORE_ENTRY_MAX);
	uint64_t idx;
	int n, rc = -1;

	if (!e || !data) {
		cfn_err(err, errlen, "%s: not JSON", path);
		goto out;
	}
	n = json_b64(e, "data", data, STORE_ENTRY_MAX);
	if (json_u64(e, "index", &idx) < 0 || n < 0 ||
	    json_hash(e, "leaf_hash", want) < 0) {
		cfn_err(err, errlen, "%s: needs index, leaf_hash, data", path);
		goto out;
	}
	merkle_leaf_hash(data, (size_t)n, h);
	if (memcmp(h, want, MERKLE_HASH_LEN) != 0)
		cfn_err(err, errlen, "%s: data does not hash to its leaf_hash",
			path);
	else if (idx != index || memcmp(h, leaf, MERKLE_HASH_LEN) != 0)
		cfn_err(err, errlen, "%s: entry is not the proven leaf", path);
	else
		rc = 0;
out:
	free(data);
	json_object_put(e);
	return rc;
}

int cli_verify(int argc, char **argv, const struct cli_opts *o)
{
	const char *vkey = NULL, *ckf = NULL, *oldf = NULL, *prooff = NULL,
		   *entryf = NULL;
	struct checkpoint ck, old;
	struct note_key *key = NULL;
	struct json_object *pj = NULL;
	struct merkle_proof p;
	char err[1024];
	int rc = 1;

	for (int i = 1; i < argc; i++) {
		const char **dst = NULL;

		if (!strcmp(argv[i], "--vkey"))
			dst = &vkey;
		else if (!strcmp(argv[i], "--checkpoint"))
			dst = &ckf;
		else if (!strcmp(argv[i], "--old-checkpoint"))
			dst = &oldf;
		else if (!strcmp(argv[i], "--proof"))
			dst = &prooff;
		else if (!strcmp(argv[i], "--entry"))
			dst = &entryf;
		if (!dst || i + 1 >= argc) {
			cli_err("verify", "unknown or incomplete option %s",
				argv[i]);
			return 2;
		}
		*dst = argv[++i];
	}
	if (!vkey || (!ckf && !prooff)) {
		cli_err("verify",
			"usage: verify --vkey FILE [--checkpoint FILE] [--old-checkpoint FILE] [--proof FILE] [--entry FILE]");
		return 2;
	}
	if (note_key_load(vkey, &key, err, sizeof(err)) < 0) {
		cli_err("verify", "%s", err);
		return 2;
	}
	if (ckf) {
		if (load_checkpoint(ckf, key, &ck, err, sizeof(err)) < 0)
			goto fail;
		print_checkpoint("checkpoint", &ck);
	}
	if (oldf) {
		if (load_checkpoint(oldf, key, &old, err, sizeof(err)) < 0)
			goto fail;
		print_checkpoint("old checkpoint", &old);
	}
	if (!prooff) {
		rc = 0;
		goto out;
	}
	pj = json_object_from_file(prooff);
	if (!pj || json_proof(pj, &p) < 0) {
		cfn_err(err, sizeof(err),
			"%s: not a proof (JSON with \"hashes\")", prooff);
		goto fail;
	}
	if (json_object_object_get_ex(pj, "index", NULL)) {
		uint8_t leaf[MERKLE_HASH_LEN];
		uint64_t idx, size;

		if (json_u64(pj, "index", &idx) < 0 ||
		    json_u64(pj, "size", &size) < 0 ||
		    json_hash(pj, "leaf_hash", leaf) < 0) {
			cfn_err(err, sizeof(err),
				"%s: inclusion proof needs index, size, leaf_hash",
				prooff);
			goto fail;
		}
		if (!ckf) {
			cfn_err(err, sizeof(err),
				"an inclusion proof needs --checkpoint for its root");
			goto fail;
		}
		if (size != ck.size) {
			cfn_err(err, sizeof(err),
				"proof is for tree size %llu but the checkpoint has size %llu",
				(unsigned long long)size,
				(unsigned long long)ck.size);
			goto fail;
		}
		if (merkle_verify_inclusion(leaf, idx, size, &p, ck.root, err,
					    sizeof(err)) < 0)
			goto fail;
		if (entryf &&
		    check_entry(entryf, idx, leaf, err, sizeof(err)) < 0)
			goto fail;
		printf("inclusion OK: leaf %llu in tree of size %llu%s\n",
		       (unsigned long long)idx, (unsigned long long)size,
		       entryf ? " (entry data matches)" : "");
	} else if (json_object_object_get_ex(pj, "old", NULL)) {
		uint64_t os, ns;

		if (json_u64(pj, "old", &os) < 0 ||
		    json_u64(pj, "new", &ns) < 0) {
			cfn_err(err, sizeof(err),
				"%s: consistency proof needs old and new",
				prooff);
			goto fail;
		}
		if (!ckf || !oldf) {
			cfn_err(err, sizeof(err),
				"a consistency proof needs --old-checkpoint and --checkpoint");
			goto fail;
		}
		if (os != old.size || ns != ck.size) {
			cfn_err(err, sizeof(err),
				"proof is for sizes %llu..%llu but the checkpoints have %llu..%llu",
				(unsigned long long)os, (unsigned long long)ns,
				(unsigned long long)old.size,
				(unsigned long long)ck.size);
			goto fail;
		}
		if (strcmp(old.origin, ck.origin) != 0) {
			cfn_err(err, sizeof(err),
				"checkpoints of different logs");
			goto fail;
		}
		if (merkle_verify_consistency(os, ns, old.root, ck.root, &p,
					      err, sizeof(err)) < 0)
			goto fail;
		printf("consistency OK: tree %llu extends tree %llu\n",
		       (unsigned long long)ns, (unsigned long long)os);
	} else {
		cfn_err(err, sizeof(err),
			"%s: neither inclusion nor consistency", prooff);
		goto fail;
	}
	rc = 0;
	goto out;
fail:
	cli_err("verify", "FAILED: %s", err);
out:
	json_object_put(pj);
	note_key_free(key);
	return rc;
}

int cli_audit(int argc, char **argv, const struct cli_opts *go)
{
	const char *dir = go->dir, *vkey = NULL;
	struct note_key *keys[MAX_KEYS], *logkey = NULL;
	struct merkle_tree *fresh = NULL;
	struct ledger_store *s = NULL;
	struct store_recovery rec;
	struct checkpoint ck;
	bool allow_unsigned = false;
	uint64_t unsigned_n = 0, n;
	size_t nkeys = 0;
	char err[1024], root[64];
	int rc = 1;

	/* token logs, JSON, remote logs: ledger/cli_token_audit.c */
	if (cli_token_audit_wanted(argc, argv, go))
		return cli_token_audit(argc, argv, go);
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--dir") && i + 1 < argc) {
			dir = argv[++i];
		} else if (!strcmp(argv[i], "--vkey") && i + 1 < argc) {
			vkey = argv[++i];
		} else if (!strcmp(argv[i], "--keys") && i + 1 < argc) {
			if (cli_load_vkeys(argv[++i], keys, &nkeys, MAX_KEYS,
					   err, sizeof(err)) < 0)
				goto fail;
		} else if (!strcmp(argv[i], "--allow-unsigned")) {
			allow_unsigned = true;
		} else {
			cli_err("audit",
				"usage: --dir DIR audit --vkey FILE [--keys FILE] [--allow-unsigned]");
			rc = 2;
			goto out;
		}
	}
	if (!dir || !vkey) {
		cli_err("audit",
			"usage: --dir DIR audit --vkey FILE [--keys FILE] [--allow-unsigned]");
		rc = 2;
		goto out;
	}
	if (note_key_load(vkey, &logkey, err, sizeof(err)) < 0)
		goto fail;
	/* opening already refuses duplicate (origin, seq) entries */
	if (store_open_ro(dir, NULL, record_peek_key, &s, &rec, err,
			  sizeof(err)) < 0 ||
	    merkle_open(&fresh, NULL, err, sizeof(err)) < 0)
		goto fail;
	n = store_size(s);
	for (uint64_t i = 0; i < n; i++) {
		uint8_t *d, h[MERKLE_HASH_LEN], lf[MERKLE_HASH_LEN];
		struct record r;
		char e[512];
		size_t len;
		int bad;

		if (store_get(s, i, &d, &len, e, sizeof(e)) < 0) {
			cfn_err(err, sizeof(err), "%s", e);
			goto fail;
		}
		merkle_leaf_hash(d, len, h);
		bad = record_decode(d, len, &r, e, sizeof(e));
		free(d);
		if (bad < 0) {
			cfn_err(err, sizeof(err), "entry %llu: %s",
				(unsigned long long)i, e);
			goto fail;
		}
		if (!r.signed_ && allow_unsigned) {
			unsigned_n++;
		} else if (record_verify(&r, keys, nkeys, e, sizeof(e)) < 0) {
			cfn_err(err, sizeof(err), "entry %llu: %s",
				(unsigned long long)i, e);
			goto fail;
		}
		merkle_get_leaf(store_tree(s), i, lf, NULL, 0);
		if (memcmp(h, lf, MERKLE_HASH_LEN) != 0) {
			cfn_err(err, sizeof(err),
				"entry %llu: leaf hash file disagrees with the log",
				(unsigned long long)i);
			goto fail;
		}
		merkle_append(fresh, h, NULL, 0);
		cli_progress("audit", i + 1, n, "entries");
	}
	cli_progress_end("audit", n, "entries");
	/* the view repaired them in memory; on disk they are damaged */
	if (rec.bad_leaf) {
		cfn_err(err, sizeof(err),
			"entry %llu: leaf hash file disagrees with the log (the writer rebuilds it on its next start)",
			(unsigned long long)(rec.bad_leaf - 1));
		goto fail;
	}
	if (rec.bad_node) {
		cfn_err(err, sizeof(err),
			"leaves.nodes: node %llu does not match its children (the writer rebuilds it on its next start)",
			(unsigned long long)(rec.bad_node - 1));
		goto fail;
	}
	{
		char *note;
		size_t len;
		uint8_t r[MERKLE_HASH_LEN];
		int ok;

		if (checkpoint_read(dir, &note, &len, err, sizeof(err)) < 0)
			goto fail;
		ok = checkpoint_open(note, len, logkey, &ck, err, sizeof(err));
		free(note);
		if (ok < 0)
			goto fail;
		if (ck.size > n) {
			cfn_err(err, sizeof(err),
				"checkpoint size %llu beyond the log's %llu entries",
				(unsigned long long)ck.size,
				(unsigned long long)n);
			goto fail;
		}
		merkle_root(fresh, ck.size, r, NULL, 0);
		if (memcmp(r, ck.root, MERKLE_HASH_LEN) != 0) {
			cfn_err(err, sizeof(err),
				"root of the log's first %llu entries differs from the checkpoint",
				(unsigned long long)ck.size);
			goto fail;
		}
	}
	note_b64_encode(ck.root, MERKLE_HASH_LEN, root, sizeof(root));
	printf("audit OK: %llu entries (%llu unsigned), checkpoint %s size %llu root %s\n",
	       (unsigned long long)n, (unsigned long long)unsigned_n, ck.origin,
	       (unsigned long long)ck.size, root);
	rc = 0;
	goto out;
fail:
	cli_err("audit", "FAILED: %s", err);
out:
	for (size_t i = 0; i < nkeys; i++)
		note_key_free(keys[i]);
	note_key_free(logkey);
	merkle_close(fresh);
	store_close(s);
	return rc;
}
