// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cfn-ledger verify --dir D --policy FILE and audit ... --policy FILE:
 * accept the ledger's checkpoint only when the policy's quorum of
 * witnesses cosigned it, and say who signed and who is missing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cli_proof.h"
#include "ledgerd_witness.h"
#include "policy.h"
#include "record.h"
#include "store.h"
#include "util.h"

#define NOTE_MAX 65536
#define VERIFY_USAGE                                                           \
	"usage: verify (--dir D | --checkpoint FILE) --policy FILE [--json]"

cli_cmd_fn cli_proof_route(int argc, char **argv)
{
	bool policy = false;

	for (int i = 1; i < argc; i++)
		policy |= !strcmp(argv[i], "--policy");
	if (!strcmp(argv[0], "verify") && policy)
		return cli_verify_policy;
	if (!strcmp(argv[0], "audit") && policy)
		return cli_audit_policy;
	if (!strcmp(argv[0], "prove") && argc > 1 &&
	    !strcmp(argv[1], "decision"))
		return cli_prove_decision;
	if (!strcmp(argv[0], "verify-proof"))
		return cli_verify_proof;
	return NULL;
}

static void print_witnesses(const struct policy *p,
			    const struct policy_verdict *v)
{
	for (size_t i = 0; i < p->nw; i++) {
		if (v->signed_[i])
			printf("  witness %s: cosigned at %llu\n", p->w[i].name,
			       (unsigned long long)v->time[i]);
		else
			printf("  witness %s: MISSING\n", p->w[i].name);
	}
}

/* The verdict as one JSON object (verify --json). */
static void print_json(const struct policy *p, const struct policy_verdict *v,
		       bool accepted, const char *reason)
{
	struct json_object *o = json_object_new_object(),
			   *ws = json_object_new_array();
	char root[64];

	json_object_object_add(o, "accepted",
			       json_object_new_boolean(accepted));
	if (v->log >= 0) {
		note_b64_encode(v->ck.root, MERKLE_HASH_LEN, root,
				sizeof(root));
		json_object_object_add(o, "origin",
				       json_object_new_string(v->ck.origin));
		json_object_object_add(o, "size",
				       json_object_new_uint64(v->ck.size));
		json_object_object_add(o, "root", json_object_new_string(root));
	}
	json_object_object_add(o, "quorum", json_object_new_boolean(v->quorum));
	for (size_t i = 0; i < p->nw; i++) {
		struct json_object *w = json_object_new_object();

		json_object_object_add(w, "name",
				       json_object_new_string(p->w[i].name));
		json_object_object_add(w, "cosigned",
				       json_object_new_boolean(v->signed_[i]));
		if (v->signed_[i])
			json_object_object_add(
				w, "time", json_object_new_uint64(v->time[i]));
		json_object_array_add(ws, w);
	}
	json_object_object_add(o, "witnesses", ws);
	if (reason)
		json_object_object_add(o, "reason",
				       json_object_new_string(reason));
	printf("%s\n", json_object_to_json_string_ext(
			       o, JSON_C_TO_STRING_PLAIN |
					  JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

/*
 * Check DIR/checkpoint.cosigned against the policy and the ledger in DIR
 * (its root must be the log's), or, with no DIR, the cosigned checkpoint
 * file ckfile alone.  Prints the verdict (as JSON with json); 0 if
 * accepted.
 */
static int check_dir(const char *cmd, const char *dir, const char *ckfile,
		     const char *polf, bool json)
{
	struct policy *p = NULL;
	struct policy_verdict v;
	struct ledger_store *s = NULL;
	char path[4096], err[2048], *note = NULL, root[64], d[2048];
	uint8_t r[MERKLE_HASH_LEN];
	size_t len;
	int rc = 1, ok;

	if (policy_load(polf, &p, err, sizeof(err)) < 0) {
		cli_err(cmd, "%s", err);
		return 2;
	}
	if (dir)
		snprintf(path, sizeof(path), "%s/" LD_COSIGNED_FILE, dir);
	else
		snprintf(path, sizeof(path), "%s", ckfile);
	if (read_file(path, NOTE_MAX, &note, &len, d, sizeof(d) / 2) < 0) {
		cfn_err(err, sizeof(err),
			"no cosigned checkpoint (%s); is cfn-ledgerd running "
			"with --policy?",
			d);
		memset(&v, 0, sizeof(v));
		v.log = -1;
		goto refused;
	}
	ok = policy_check(p, note, len, &v, err, sizeof(err));
	if (v.log >= 0 && !json) {
		note_b64_encode(v.ck.root, MERKLE_HASH_LEN, root, sizeof(root));
		printf("checkpoint: origin %s size %llu root %s\n", v.ck.origin,
		       (unsigned long long)v.ck.size, root);
		policy_describe(p, &v, d, sizeof(d));
		printf("cosignatures: %zu of %zu witnesses (%s)\n", v.nsigned,
		       p->nw, d);
		print_witnesses(p, &v);
	}
	if (ok < 0)
		goto refused;
	if (!dir) {
		rc = 0;
		if (json)
			print_json(p, &v, true, NULL);
		else
			printf("quorum OK: checkpoint of size %llu endorsed\n",
			       (unsigned long long)v.ck.size);
		goto out;
	}
	if (store_open_ro(dir, NULL, record_peek_key, &s, NULL, err,
			  sizeof(err)) < 0)
		goto refused;
	if (v.ck.size > store_size(s) ||
	    merkle_root(store_tree(s), v.ck.size, r, NULL, 0) < 0 ||
	    memcmp(r, v.ck.root, MERKLE_HASH_LEN) != 0) {
		cfn_err(err, sizeof(err),
			"the cosigned checkpoint is not the root of this "
			"ledger's first %llu entries",
			(unsigned long long)v.ck.size);
		goto refused;
	}
	rc = 0;
	if (json) {
		print_json(p, &v, true, NULL);
		goto out;
	}
	printf("quorum OK: checkpoint of size %llu endorsed (%llu entries "
	       "in the log)\n",
	       (unsigned long long)v.ck.size,
	       (unsigned long long)store_size(s));
	goto out;
refused:
	if (json)
		print_json(p, &v, false, err);
	cli_err(cmd, "REFUSED: %s", err);
out:
	store_close(s);
	free(note);
	policy_free(p);
	return rc;
}

int cli_verify_policy(int argc, char **argv, const struct cli_opts *o)
{
	const char *dir = o->dir, *polf = NULL, *ckfile = NULL;
	bool json = false;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--dir") && i + 1 < argc) {
			dir = argv[++i];
		} else if (!strcmp(argv[i], "--checkpoint") && i + 1 < argc) {
			ckfile = argv[++i];
		} else if (!strcmp(argv[i], "--json")) {
			json = true;
		} else if (!strcmp(argv[i], "--policy") && i + 1 < argc) {
			polf = argv[++i];
		} else {
			cli_err("verify", "%s", VERIFY_USAGE);
			return 2;
		}
	}
	if (!dir == !ckfile || !polf) {
		cli_err("verify", "%s", VERIFY_USAGE);
		return 2;
	}
	return check_dir("verify", dir, ckfile, polf, json);
}

/* audit as before, then the quorum of its cosigned checkpoint. */
int cli_audit_policy(int argc, char **argv, const struct cli_opts *o)
{
	char **rest = calloc((size_t)argc + 1, sizeof(*rest));
	const char *polf = NULL, *dir = o->dir;
	int n = 0, rc;

	if (!rest)
		return 1;
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--policy") && i + 1 < argc) {
			polf = argv[++i];
			continue;
		}
		if (!strcmp(argv[i], "--dir") && i + 1 < argc)
			dir = argv[i + 1];
		rest[n++] = argv[i];
	}
	rc = cli_audit(n, rest, o);
	free(rest);
	if (rc != 0)
		return rc;
	if (!dir || !polf) {
		cli_err("audit", "--policy needs --dir");
		return 2;
	}
	return check_dir("audit", dir, NULL, polf, false);
}
