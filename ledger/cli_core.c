// SPDX-License-Identifier: GPL-2.0-or-later
/* cfn-ledger keygen, checkpoint, get, prove: reading a ledger directory. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "checkpoint.h"
#include "cli.h"
#include "cli_token.h"
#include "merkle.h"
#include "note.h"
#include "note_file.h"
#include "record.h"
#include "store.h"
#include "util.h"

static bool parse_u64(const char *s, uint64_t *out)
{
	char *end;

	if (!s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return !*end && errno == 0;
}

static void print_json(struct json_object *o)
{
	printf("%s\n", json_object_to_json_string_ext(
			       o, JSON_C_TO_STRING_PLAIN |
					  JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

static struct json_object *b64_json(const uint8_t *d, size_t len)
{
	size_t cap = (len + 2) / 3 * 4 + 1;
	char *s = malloc(cap);
	struct json_object *o;

	if (!s)
		return NULL;
	note_b64_encode(d, len, s, cap);
	o = json_object_new_string(s);
	free(s);
	return o;
}

static struct json_object *proof_json(const struct merkle_proof *p)
{
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; i < p->n; i++)
		json_object_array_add(a, b64_json(p->h[i], MERKLE_HASH_LEN));
	return a;
}

/* Remaining argv after global-style "--dir DIR" removal; opts updated. */
static int take_dir(int argc, char **argv, struct cli_opts *o)
{
	int w = 0;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--dir") && i + 1 < argc) {
			o->dir = argv[++i];
			continue;
		}
		argv[w++] = argv[i];
	}
	return w;
}

int cli_keygen(int argc, char **argv, const struct cli_opts *go)
{
	const char *name = NULL, *out = NULL;
	char path[4096], vk[NOTE_VKEY_MAX + 1], err[512],
		fname[NOTE_NAME_MAX + 1];
	struct note_key *k;
	struct stat st;
	bool force = false;
	int n;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--out") && i + 1 < argc)
			out = argv[++i];
		else if (!strcmp(argv[i], "--force"))
			force = true;
		else if (!name && argv[i][0] != '-')
			name = argv[i];
		else {
			cli_err("keygen",
				"usage: keygen NAME --out DIR [--force]");
			return 2;
		}
	}
	if (!name || !out) {
		cli_err("keygen", "usage: keygen NAME --out DIR [--force]");
		return 2;
	}
	if (note_key_generate(name, &k, err, sizeof(err)) < 0) {
		cli_err("keygen", "%s", err);
		return 1;
	}
	/* names like "example.com/log" still make one flat file name */
	snprintf(fname, sizeof(fname), "%s", name);
	for (char *p = fname; *p; p++)
		if (*p == '/')
			*p = '_';
	if (mkdir(out, 0700) < 0 && errno != EEXIST) {
		cli_err("keygen", "mkdir %s: %s", out, strerror(errno));
		note_key_free(k);
		return 1;
	}
	/* a private key only into a directory nobody else controls */
	if (dir_check(out, true, err, sizeof(err)) < 0) {
		cli_err("keygen", "%s", err);
		note_key_free(k);
		return 1;
	}
	snprintf(path, sizeof(path), "%s/%s.key", out, fname);
	if (!force && stat(path, &st) == 0) {
		cli_err("keygen", "%s exists (use --force to replace it)",
			path);
		note_key_free(k);
		return 1;
	}
	if (note_key_save_private(k, path, err, sizeof(err)) < 0) {
		cli_err("keygen", "%s", err);
		note_key_free(k);
		return 1;
	}
	n = note_key_format_vkey(k, vk, sizeof(vk) - 1);
	vk[n] = '\n';
	snprintf(path, sizeof(path), "%s/%s.vkey", out, fname);
	if (write_file_atomic(path, vk, (size_t)n + 1, 0644, err, sizeof(err)) <
	    0) {
		cli_err("keygen", "%s", err);
		note_key_free(k);
		return 1;
	}
	vk[n] = '\0';
	printf("%s\n", vk);
	note_key_free(k);
	return 0;
}

int cli_checkpoint(int argc, char **argv, const struct cli_opts *go)
{
	struct cli_opts o = *go;
	char err[512], *note;
	size_t len;

	argc = take_dir(argc, argv, &o);
	if (argc != 1) {
		cli_err("checkpoint", "usage: --dir DIR checkpoint");
		return 2;
	}
	if (!cli_need_dir("checkpoint", &o))
		return 2;
	if (checkpoint_read(o.dir, &note, &len, err, sizeof(err)) < 0) {
		cli_err("checkpoint", "no checkpoint: %s", err);
		return 1;
	}
	fwrite(note, 1, len, stdout);
	free(note);
	return 0;
}

static struct ledger_store *open_ro(const char *cmd, const char *dir)
{
	struct ledger_store *s;
	char err[512];

	if (store_open_ro(dir, NULL, record_peek_key, &s, NULL, err,
			  sizeof(err)) < 0) {
		cli_err(cmd, "%s", err);
		return NULL;
	}
	return s;
}

int cli_get(int argc, char **argv, const struct cli_opts *go)
{
	struct cli_opts o = *go;
	struct ledger_store *s;
	uint8_t leaf[MERKLE_HASH_LEN], *d;
	bool json = false;
	const char *ns = NULL;
	uint64_t idx;
	char err[512];
	size_t len;

	argc = take_dir(argc, argv, &o);
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = true;
		else if (!ns)
			ns = argv[i];
		else
			ns = NULL, i = argc;
	}
	if (!parse_u64(ns, &idx)) {
		cli_err("get", "usage: --dir DIR get N [--json]");
		return 2;
	}
	if (!cli_need_dir("get", &o) || !(s = open_ro("get", o.dir)))
		return 2;
	if (store_get(s, idx, &d, &len, err, sizeof(err)) < 0 ||
	    merkle_get_leaf(store_tree(s), idx, leaf, err, sizeof(err)) < 0) {
		cli_err("get", "%s", err);
		store_close(s);
		return 1;
	}
	if (json) {
		struct json_object *j = json_object_new_object();

		json_object_object_add(j, "index", json_object_new_uint64(idx));
		json_object_object_add(j, "leaf_hash",
				       b64_json(leaf, MERKLE_HASH_LEN));
		json_object_object_add(j, "data", b64_json(d, len));
		print_json(j);
	} else if (token_record_is(d, len)) { /* doc/tokens.md */
		int bad =
			cli_token_print_entry("get", idx, d, len, false, false);

		free(d);
		store_close(s);
		return bad ? 1 : 0;
	} else {
		struct record r;

		if (record_decode(d, len, &r, err, sizeof(err)) < 0) {
			cli_err("get", "entry %llu: %s",
				(unsigned long long)idx, err);
			free(d);
			store_close(s);
			return 1;
		}
		print_json(record_to_json_obj(&r));
	}
	free(d);
	store_close(s);
	return 0;
}

/* Default proof size: the latest checkpoint's, so proofs match it. */
static uint64_t default_size(const char *dir, struct ledger_store *s)
{
	struct checkpoint c;
	char *note;
	size_t len;
	uint64_t size = store_size(s);

	if (checkpoint_read(dir, &note, &len, NULL, 0) == 0) {
		if (checkpoint_parse(note, len, &c, NULL, 0) == 0 &&
		    c.size <= size)
			size = c.size;
		free(note);
	}
	return size;
}

static int prove_inclusion(int argc, char **argv, const struct cli_opts *o)
{
	const char *ns = NULL, *ss = NULL;
	struct ledger_store *s;
	struct merkle_proof p;
	uint8_t leaf[MERKLE_HASH_LEN];
	uint64_t idx, size;
	bool json = false;
	char err[512];

	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = true;
		else if (!strcmp(argv[i], "--size") && i + 1 < argc)
			ss = argv[++i];
		else if (!ns)
			ns = argv[i];
		else
			ns = NULL, i = argc;
	}
	if (!parse_u64(ns, &idx) || (ss && !parse_u64(ss, &size))) {
		cli_err("prove",
			"usage: prove inclusion N [--size S] [--json]");
		return 2;
	}
	if (!(s = open_ro("prove", o->dir)))
		return 2;
	if (!ss)
		size = default_size(o->dir, s);
	if (merkle_prove_inclusion(store_tree(s), idx, size, &p, err,
				   sizeof(err)) < 0 ||
	    merkle_get_leaf(store_tree(s), idx, leaf, err, sizeof(err)) < 0) {
		cli_err("prove", "%s", err);
		store_close(s);
		return 1;
	}
	store_close(s);
	if (json) {
		struct json_object *j = json_object_new_object();

		json_object_object_add(j, "index", json_object_new_uint64(idx));
		json_object_object_add(j, "size", json_object_new_uint64(size));
		json_object_object_add(j, "leaf_hash",
				       b64_json(leaf, MERKLE_HASH_LEN));
		json_object_object_add(j, "hashes", proof_json(&p));
		print_json(j);
	} else {
		char b[64];

		for (size_t i = 0; i < p.n; i++) {
			note_b64_encode(p.h[i], MERKLE_HASH_LEN, b, sizeof(b));
			printf("%s\n", b);
		}
	}
	return 0;
}

static int prove_consistency(int argc, char **argv, const struct cli_opts *o)
{
	const char *a[2] = {NULL, NULL};
	struct ledger_store *s;
	struct merkle_proof p;
	uint64_t old, new;
	bool json = false;
	int na = 0;
	char err[512];

	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = true;
		else if (na < 2)
			a[na++] = argv[i];
		else
			na = 3;
	}
	if (na != 2 || !parse_u64(a[0], &old) || !parse_u64(a[1], &new)) {
		cli_err("prove", "usage: prove consistency OLD NEW [--json]");
		return 2;
	}
	if (!(s = open_ro("prove", o->dir)))
		return 2;
	if (merkle_prove_consistency(store_tree(s), old, new, &p, err,
				     sizeof(err)) < 0) {
		cli_err("prove", "%s", err);
		store_close(s);
		return 1;
	}
	store_close(s);
	if (json) {
		struct json_object *j = json_object_new_object();

		json_object_object_add(j, "old", json_object_new_uint64(old));
		json_object_object_add(j, "new", json_object_new_uint64(new));
		json_object_object_add(j, "hashes", proof_json(&p));
		print_json(j);
	} else {
		char b[64];

		for (size_t i = 0; i < p.n; i++) {
			note_b64_encode(p.h[i], MERKLE_HASH_LEN, b, sizeof(b));
			printf("%s\n", b);
		}
	}
	return 0;
}

int cli_prove(int argc, char **argv, const struct cli_opts *go)
{
	struct cli_opts o = *go;

	argc = take_dir(argc, argv, &o);
	if (argc < 2) {
		cli_err("prove", "usage: prove inclusion|consistency ...");
		return 2;
	}
	if (!cli_need_dir("prove", &o))
		return 2;
	if (!strcmp(argv[1], "inclusion"))
		return prove_inclusion(argc, argv, &o);
	if (!strcmp(argv[1], "consistency"))
		return prove_consistency(argc, argv, &o);
	cli_err("prove", "unknown proof type %s", argv[1]);
	return 2;
}
