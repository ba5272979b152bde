// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Signed notes against the Go reference (golang.org/x/mod/sumdb/note
 * tests): the PeterNeumann key, its note and signature, which Ed25519's
 * determinism lets us reproduce byte for byte.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "note.h"
#include "../../ledger/note_file.h"

static const char peter_vkey[] =
	"PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
static const char peter_skey[] =
	"PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
static const char enoch_vkey[] =
	"EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
static const char text[] =
	"If you think cryptography is the answer to your problem,\n"
	"then you don't know what your problem is.\n";
static const char peter_sig[] =
	"\xe2\x80\x94 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
static const char enoch_sig[] =
	"\xe2\x80\x94 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

static void go_keys_parse(void **state)
{
	struct note_key *v, *s;
	char buf[NOTE_VKEY_MAX], err[256];

	assert_int_equal(note_key_parse_vkey(peter_vkey, &v, err, sizeof(err)),
			 0);
	assert_string_equal(v->name, "PeterNeumann");
	assert_int_equal(v->id, 0xc74f20a3);
	assert_false(v->has_private);
	assert_int_equal(
		note_key_parse_private(peter_skey, &s, err, sizeof(err)), 0);
	assert_true(s->has_private);
	assert_int_equal(s->id, 0xc74f20a3);
	assert_memory_equal(s->pub, v->pub, NOTE_ED25519_PUB);
	assert_int_equal(note_key_id("PeterNeumann", v->pub), 0xc74f20a3);
	assert_true(note_key_format_vkey(s, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, peter_vkey);
	note_key_free(v);
	note_key_free(s);
}

/* Go's TestNewVerifier: every substring and every byte bump is refused. */
static void mangled_keys_rejected(void **state)
{
	char b[sizeof(peter_skey)];
	size_t n = strlen(peter_vkey);
	struct note_key *k;

	for (size_t i = 0; i <= n; i++)
		for (size_t j = i + 1; j <= n; j++) {
			if (i == 0 && j == n)
				continue;
			memcpy(b, peter_vkey + i, j - i);
			b[j - i] = '\0';
			assert_int_equal(note_key_parse_vkey(b, &k, NULL, 0),
					 -1);
		}
	memcpy(b, peter_vkey, sizeof(peter_vkey));
	for (size_t i = 0; i < n; i++) {
		b[i]++;
		assert_int_equal(note_key_parse_vkey(b, &k, NULL, 0), -1);
		b[i]--;
	}
	assert_int_equal(
		note_key_parse_vkey(
			"PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==",
			&k, NULL, 0),
		-1);
	assert_int_equal(
		note_key_parse_vkey(
			"PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
			&k, NULL, 0),
		-1);
	memcpy(b, peter_skey, strlen(peter_skey) + 1);
	for (size_t i = 0; i < strlen(peter_skey); i++) {
		b[i]++;
		assert_int_equal(note_key_parse_private(b, &k, NULL, 0), -1);
		b[i]--;
	}
}

static void sign_matches_go(void **state)
{
	struct note_key *s;
	char *msg, err[256], want[1024];

	assert_int_equal(
		note_key_parse_private(peter_skey, &s, err, sizeof(err)), 0);
	assert_int_equal(
		note_sign(text, strlen(text), &s, 1, &msg, err, sizeof(err)),
		0);
	snprintf(want, sizeof(want), "%s\n%s", text, peter_sig);
	assert_string_equal(msg, want);
	free(msg);
	/* text must end with a newline and have no control characters */
	assert_int_equal(note_sign("abc", 3, &s, 1, &msg, err, sizeof(err)),
			 -1);
	assert_int_equal(note_sign("a\tb\n", 4, &s, 1, &msg, err, sizeof(err)),
			 -1);
	note_key_free(s);
}

static void open_go_note(void **state)
{
	struct note_key *peter, *enoch, *keys[2];
	char msg[1024], err[256];
	bool verified[2];
	size_t tlen;

	assert_int_equal(note_key_parse_vkey(peter_vkey, &peter, NULL, 0), 0);
	assert_int_equal(note_key_parse_vkey(enoch_vkey, &enoch, NULL, 0), 0);
	snprintf(msg, sizeof(msg), "%s\n%s%s", text, peter_sig, enoch_sig);

	keys[0] = peter;
	assert_int_equal(note_open(msg, strlen(msg), keys, 1, &tlen, verified,
				   err, sizeof(err)),
			 0);
	assert_int_equal(tlen, strlen(text));
	assert_true(verified[0]);

	keys[1] = enoch;
	assert_int_equal(note_open(msg, strlen(msg), keys, 2, &tlen, verified,
				   err, sizeof(err)),
			 0);
	assert_true(verified[0] && verified[1]);

	/* only an unknown signer: refused */
	keys[0] = enoch;
	snprintf(msg, sizeof(msg), "%s\n%s", text, peter_sig);
	assert_int_equal(note_open(msg, strlen(msg), keys, 1, &tlen, NULL, err,
				   sizeof(err)),
			 -1);

	/* text tampered: the known key's signature fails */
	keys[0] = peter;
	msg[0] = 'i';
	assert_int_equal(note_open(msg, strlen(msg), keys, 1, &tlen, NULL, err,
				   sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "invalid signature"));

	/* no blank line before the signatures */
	snprintf(msg, sizeof(msg), "%s%s", text, peter_sig);
	assert_int_equal(note_open(msg, strlen(msg), keys, 1, &tlen, NULL, err,
				   sizeof(err)),
			 -1);
	/* a signature line with a hyphen instead of the em dash */
	snprintf(msg, sizeof(msg), "%s\n- PeterNeumann %s", text,
		 peter_sig + strlen("\xe2\x80\x94 PeterNeumann "));
	assert_int_equal(note_open(msg, strlen(msg), keys, 1, &tlen, NULL, err,
				   sizeof(err)),
			 -1);
	note_key_free(peter);
	note_key_free(enoch);
}

static void generate_save_load(void **state)
{
	char dir[] = "/tmp/test_note.XXXXXX", path[64], err[256];
	char vk[NOTE_VKEY_MAX], *msg;
	struct note_key *k, *l, *v;
	struct stat st;
	size_t tlen;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/k.key", dir);
	assert_int_equal(
		note_key_generate("ledger.example/log", &k, err, sizeof(err)),
		0);
	assert_int_equal(note_key_save_private(k, path, err, sizeof(err)), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(note_key_load(path, &l, err, sizeof(err)), 0);
	assert_memory_equal(l->pub, k->pub, NOTE_ED25519_PUB);
	assert_int_equal(l->id, k->id);
	note_key_format_vkey(k, vk, sizeof(vk));
	assert_int_equal(note_key_parse_vkey(vk, &v, err, sizeof(err)), 0);
	assert_int_equal(note_sign("hello\n", 6, &l, 1, &msg, err, sizeof(err)),
			 0);
	assert_int_equal(note_open(msg, strlen(msg), &v, 1, &tlen, NULL, err,
				   sizeof(err)),
			 0);
	free(msg);
	assert_int_equal(note_key_generate("bad name", &k, err, sizeof(err)),
			 -1);
	assert_int_equal(note_key_generate("a+b", &k, err, sizeof(err)), -1);
	note_key_free(k);
	note_key_free(l);
	note_key_free(v);
	unlink(path);
	rmdir(dir);
}

static void base64_strict(void **state)
{
	uint8_t out[8];
	char enc[16];

	assert_int_equal(
		note_b64_encode((const uint8_t *)"ab", 2, enc, sizeof(enc)), 4);
	assert_string_equal(enc, "YWI=");
	assert_int_equal(note_b64_decode("YWI=", 4, out, sizeof(out)), 2);
	assert_memory_equal(out, "ab", 2);
	assert_int_equal(note_b64_decode("YWJ=", 4, out, sizeof(out)), -1);
	assert_int_equal(note_b64_decode("YWI", 3, out, sizeof(out)), -1);
	assert_int_equal(note_b64_decode("Y=I=", 4, out, sizeof(out)), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(go_keys_parse),
		cmocka_unit_test(mangled_keys_rejected),
		cmocka_unit_test(sign_matches_go),
		cmocka_unit_test(open_go_note),
		cmocka_unit_test(generate_save_load),
		cmocka_unit_test(base64_strict),
	};

	return cmocka_run_group_tests_name("note", tests, NULL, NULL);
}
