// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cosignature/v1 known answers: key IDs and vkeys published with
 * transparency-dev/formats (note_cosigv1_test.go), the timestamped
 * signature layout of the C2SP tlog-cosignature example, and round trips
 * with the Go note test key (deterministic Ed25519).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../ledger/cosig.h"
#include "../../ledger/util.h"

/* A native cosignature/v1 vkey and an Ed25519 (0x01) note vkey. */
static const char remora_vkey[] =
	"remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2";
static const char test01_vkey[] =
	"TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6";
static const char peter_skey[] =
	"PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
/* The checkpoint and witness signature of the tlog-cosignature example. */
static const char spec_ck[] =
	"example.com/behind-the-sofa\n"
	"20852163\n"
	"CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
static const char spec_sig[] =
	"jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==";

static void native_vkey(void **state)
{
	struct note_key *k;
	char buf[NOTE_VKEY_MAX], err[256];

	assert_int_equal(cosig_key_parse_vkey(remora_vkey, strlen(remora_vkey),
					      &k, err, sizeof(err)),
			 0);
	assert_string_equal(k->name, "remora.n621.de");
	assert_int_equal(k->id, 0xda77ade7);
	assert_int_equal(cosig_key_id(k->name, k->pub), 0xda77ade7);
	assert_true(cosig_key_format_vkey(k, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, remora_vkey);
	note_key_free(k);
}

static void wrong_type_or_id_refused(void **state)
{
	char b[sizeof(remora_vkey)], err[256];
	struct note_key *k;

	/* a checkpoint key (0x01) is not a cosigner key */
	assert_int_equal(cosig_key_parse_vkey(test01_vkey, strlen(test01_vkey),
					      &k, err, sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "0x01"));
	/* but it converts, as Go's VKeyToCosignatureV1 does */
	assert_int_equal(note_key_parse_vkey(test01_vkey, &k, err, sizeof(err)),
			 0);
	assert_int_equal(k->id, 0x7997405c);
	cosig_key_adopt(k);
	assert_int_not_equal(k->id, 0x7997405c);
	note_key_free(k);
	/* every single-bit change of the vkey is refused */
	for (size_t i = 0; i < strlen(remora_vkey); i++) {
		memcpy(b, remora_vkey, sizeof(b));
		b[i] ^= 0x01;
		if (cosig_key_parse_vkey(b, strlen(b), &k, err, sizeof(err)) ==
		    0) {
			note_key_free(k);
			fail_msg("flipped byte %zu accepted", i);
		}
	}
}

/* timestamped_signature: key ID, u64 BE timestamp, 64-byte signature. */
static void spec_layout(void **state)
{
	/* transparency-dev/formats TestCoSigV1Timestamp: 1727964367 */
	static const char tdev_sig[] =
		"ZGhGuQAAAABm/qTPeyKXD+R2rzyQsxPiP8mXum7qq/iF0u4vanlqJyocWODBt97w9uL+8qT7S5gxEHWWOworDcFiEBYJXORmnFBOBA==";
	uint8_t raw[128];
	int n = note_b64_decode(spec_sig, strlen(spec_sig), raw, sizeof(raw));

	assert_int_equal(n, COSIG_RAW_LEN);
	/* the spec's example message says "time 1679315147" */
	assert_int_equal(get_be64(raw + 4), 1679315147ULL);
	n = note_b64_decode(tdev_sig, strlen(tdev_sig), raw, sizeof(raw));
	assert_int_equal(n, COSIG_RAW_LEN);
	assert_int_equal(get_be64(raw + 4), 1727964367ULL);
}

static void message_bytes(void **state)
{
	static const char want[] =
		"cosignature/v1\n"
		"time 1679315147\n"
		"example.com/behind-the-sofa\n"
		"20852163\n"
		"CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
	char *m;
	size_t n;

	assert_int_equal(
		cosig_message(spec_ck, strlen(spec_ck), 1679315147, &m, &n), 0);
	assert_int_equal(n, strlen(want));
	assert_memory_equal(m, want, n);
	free(m);
}

static void sign_verify_tamper(void **state)
{
	struct note_key *k, *v;
	char line[COSIG_LINE_MAX], note[1024], err[256], vk[NOTE_VKEY_MAX];
	bool signed_[1];
	uint64_t t[1];
	size_t tl = strlen(spec_ck);
	int n, len;

	assert_int_equal(
		note_key_parse_private(peter_skey, &k, err, sizeof(err)), 0);
	cosig_key_adopt(k);
	cosig_key_format_vkey(k, vk, sizeof(vk));
	assert_int_equal(
		cosig_key_parse_vkey(vk, strlen(vk), &v, err, sizeof(err)), 0);
	n = cosig_sign(k, spec_ck, tl, 1679315147, line, sizeof(line), err,
		       sizeof(err));
	assert_true(n > 0);
	assert_int_equal(line[n - 1], '\n');
	len = snprintf(note, sizeof(note), "%s\n%s", spec_ck, line);
	assert_int_equal(cosig_verify_note(note, (size_t)len, tl, &v, 1,
					   signed_, t, err, sizeof(err)),
			 0);
	assert_true(signed_[0]);
	assert_int_equal(t[0], 1679315147ULL);
	/* Ed25519 is deterministic: signing again gives the same line */
	{
		char again[COSIG_LINE_MAX];

		cosig_sign(k, spec_ck, tl, 1679315147, again, sizeof(again),
			   err, sizeof(err));
		assert_string_equal(again, line);
	}
	/* any flipped byte: an error or no valid cosignature */
	for (int i = 0; i < len; i++) {
		char b[1024];
		int rc;

		memcpy(b, note, (size_t)len);
		b[i] ^= 0x01;
		rc = cosig_verify_note(b, (size_t)len, tl, &v, 1, signed_, t,
				       err, sizeof(err));
		if (rc == 0 && signed_[0])
			fail_msg("flipped byte %d still verifies", i);
	}
	note_key_free(k);
	note_key_free(v);
}

/* A plain note verifier with the 0x01 identity does not accept it. */
static void not_a_note_signature(void **state)
{
	struct note_key *k, *plain;
	char line[COSIG_LINE_MAX], note[1024], err[256];
	size_t tl = strlen(spec_ck), tlen;
	int len;

	assert_int_equal(
		note_key_parse_private(peter_skey, &plain, err, sizeof(err)),
		0);
	assert_int_equal(
		note_key_parse_private(peter_skey, &k, err, sizeof(err)), 0);
	cosig_key_adopt(k);
	cosig_sign(k, spec_ck, tl, 1, line, sizeof(line), err, sizeof(err));
	len = snprintf(note, sizeof(note), "%s\n%s", spec_ck, line);
	assert_int_equal(note_open(note, (size_t)len, &plain, 1, &tlen, NULL,
				   err, sizeof(err)),
			 -1);
	note_key_free(k);
	note_key_free(plain);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(native_vkey),
		cmocka_unit_test(wrong_type_or_id_refused),
		cmocka_unit_test(spec_layout),
		cmocka_unit_test(message_bytes),
		cmocka_unit_test(sign_verify_tamper),
		cmocka_unit_test(not_a_note_signature),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
