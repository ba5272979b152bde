// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The witness's add-checkpoint semantics (tlog-witness): status codes,
 * the 409 size body, consistency checks against durable state, refusal of
 * rollback and split view with evidence kept, and state surviving a
 * restart.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../ledger/checkpoint.h"
#include "../../ledger/witness.h"
#include "../../ledger/witness_req.h"

static struct note_key *logk, *otherk;
static char logvk[NOTE_VKEY_MAX], dir[64];
static struct merkle_tree *tree, *fork_tree;

static const char peter_skey[] =
	"PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";

static void grow(struct merkle_tree *t, uint64_t n, char salt)
{
	while (merkle_size(t) < n) {
		uint8_t leaf[MERKLE_HASH_LEN];
		char d[32];
		int l = snprintf(d, sizeof(d), "%c%llu", salt,
				 (unsigned long long)merkle_size(t));

		merkle_leaf_hash(d, (size_t)l, leaf);
		merkle_append(t, leaf, NULL, 0);
	}
}

static char *signed_ck(struct merkle_tree *t, uint64_t size, struct note_key *k)
{
	struct checkpoint c = {.size = size};
	char body[512], *note;
	int n;

	strcpy(c.origin, "example.com/log");
	merkle_root(t, size, c.root, NULL, 0);
	n = checkpoint_format(&c, body, sizeof(body));
	assert_int_equal(note_sign(body, (size_t)n, &k, 1, &note, NULL, 0), 0);
	return note;
}

/* Submit (old, proof old..size of tree t, checkpoint of t at size). */
static int submit(struct witness *w, struct merkle_tree *t, uint64_t old,
		  uint64_t size, struct witness_reply *r)
{
	struct merkle_proof p = {0};
	char *note = signed_ck(t, size, logk), *req;
	size_t len;

	if (old && old < size)
		merkle_prove_consistency(t, old, size, &p, NULL, 0);
	witness_req_format(old, &p, note, strlen(note), &req, &len);
	witness_add_checkpoint(w, req, len, r);
	free(req);
	free(note);
	return r->status;
}

static void open_witness(struct witness *w)
{
	struct note_key *k;
	struct policy *p;
	char text[1024], err[512];

	snprintf(text, sizeof(text), "log %s\nquorum none\n", logvk);
	assert_int_equal(policy_parse(text, strlen(text), &p, err, sizeof(err)),
			 0);
	assert_int_equal(note_key_parse_private(peter_skey, &k, NULL, 0), 0);
	assert_int_equal(witness_init(w, k, p, dir, err, sizeof(err)), 0);
}

static size_t evidence_count(const char *kind)
{
	char path[128];
	struct dirent *e;
	size_t n = 0;
	DIR *d;

	snprintf(path, sizeof(path), "%s/evidence", dir);
	d = opendir(path);
	while (d && (e = readdir(d)))
		n += strstr(e->d_name, kind) != NULL;
	if (d)
		closedir(d);
	return n;
}

static int setup(void **state)
{
	strcpy(dir, "/tmp/test_witness.XXXXXX");
	assert_non_null(mkdtemp(dir));
	assert_int_equal(note_key_generate("example.com/log", &logk, NULL, 0),
			 0);
	assert_int_equal(note_key_generate("example.com/log", &otherk, NULL, 0),
			 0);
	note_key_format_vkey(logk, logvk, sizeof(logvk));
	merkle_open(&tree, NULL, NULL, 0);
	merkle_open(&fork_tree, NULL, NULL, 0);
	grow(tree, 100, 'a');
	grow(fork_tree, 100, 'b');
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	merkle_close(tree);
	merkle_close(fork_tree);
	note_key_free(logk);
	note_key_free(otherk);
	return 0;
}

static void protocol(void **state)
{
	struct witness w;
	struct witness_reply r;
	char *note, *req, line[COSIG_LINE_MAX];
	struct merkle_proof p = {0};
	size_t len;

	open_witness(&w);
	/* first contact: old 0, no proof */
	assert_int_equal(submit(&w, tree, 0, 10, &r), 200);
	assert_memory_equal(r.body, "\xe2\x80\x94 PeterNeumann ", 15);
	assert_int_equal(r.body[r.len - 1], '\n');
	/* the same checkpoint again is fine; a stale old size is a 409 */
	assert_int_equal(submit(&w, tree, 10, 10, &r), 200);
	assert_int_equal(submit(&w, tree, 0, 20, &r), 409);
	assert_string_equal(r.ctype, "text/x.tlog.size");
	assert_int_equal(r.len, 3);
	assert_memory_equal(r.body, "10\n", 3);
	assert_int_equal(submit(&w, tree, 10, 20, &r), 200);
	/* old beyond the checkpoint size */
	assert_int_equal(submit(&w, tree, 30, 25, &r), 400);
	/* wrong proof: a proof of another tree */
	note = signed_ck(tree, 40, logk);
	merkle_prove_consistency(fork_tree, 20, 40, &p, NULL, 0);
	witness_req_format(20, &p, note, strlen(note), &req, &len);
	witness_add_checkpoint(&w, req, len, &r);
	assert_int_equal(r.status, 422);
	free(req);
	free(note);
	/* unknown log (404), wrong key (403), malformed (400) */
	note = signed_ck(tree, 40, otherk);
	witness_req_format(20, &p, note, strlen(note), &req, &len);
	witness_add_checkpoint(&w, req, len, &r);
	assert_int_equal(r.status, 403);
	free(req);
	free(note);
	witness_add_checkpoint(&w, "old 0\n\nother.example\n1\nAAAA\n\n", 31,
			       &r);
	assert_int_equal(r.status, 404);
	witness_add_checkpoint(&w, "old 00\n\n", 8, &r);
	assert_int_equal(r.status, 400);
	(void)line;
	witness_fini(&w);
}

static void split_view_and_rollback(void **state)
{
	struct witness w;
	struct witness_reply r;

	open_witness(&w);
	/* the state from the previous test survived: size 20 */
	assert_int_equal(submit(&w, tree, 0, 30, &r), 409);
	assert_memory_equal(r.body, "20\n", 3);
	assert_int_equal(submit(&w, tree, 20, 30, &r), 200);
	/* same size, other root: split view, refused, evidence kept */
	assert_int_equal(submit(&w, fork_tree, 30, 30, &r), 409);
	assert_int_equal(evidence_count("split-view"), 1);
	/* a fork that extends the other history: proof cannot verify */
	assert_int_equal(submit(&w, fork_tree, 30, 50, &r), 422);
	/* (one more from the bad proof of the previous test) */
	assert_int_equal(evidence_count("inconsistent"), 2);
	/* rollback to 25 */
	assert_int_equal(submit(&w, tree, 30, 25, &r), 400);
	assert_int_equal(submit(&w, tree, 20, 25, &r), 409);
	assert_int_equal(evidence_count("rollback"), 2);
	/* the honest log continues */
	assert_int_equal(submit(&w, tree, 30, 100, &r), 200);
	assert_int_equal(w.cosigned, 2);
	witness_fini(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(protocol),
		cmocka_unit_test(split_view_and_rollback),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
