// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tlog-policy parsing and quorum evaluation: the spec's two-level example
 * (with real keys), the syntax rules of the spec, and policy_check() on
 * cosigned checkpoints.
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
#include "../../ledger/policy.h"

#define NW 6
static struct note_key *wk[NW], *logk;
static char wvk[NW][NOTE_VKEY_MAX], logvk[NOTE_VKEY_MAX];

static int setup(void **state)
{
	char name[32];

	assert_int_equal(note_key_generate("example.com/log", &logk, NULL, 0),
			 0);
	note_key_format_vkey(logk, logvk, sizeof(logvk));
	for (int i = 0; i < NW; i++) {
		snprintf(name, sizeof(name), "w%d.example", i);
		assert_int_equal(note_key_generate(name, &wk[i], NULL, 0), 0);
		cosig_key_adopt(wk[i]);
		cosig_key_format_vkey(wk[i], wvk[i], sizeof(wvk[i]));
	}
	return 0;
}

static int teardown(void **state)
{
	for (int i = 0; i < NW; i++)
		note_key_free(wk[i]);
	note_key_free(logk);
	return 0;
}

static struct policy *parse(const char *text, char *err, size_t errlen)
{
	struct policy *p = NULL;

	if (policy_parse(text, strlen(text), &p, err, errlen) < 0)
		return NULL;
	return p;
}

/* The spec's example: 2 of X1..X3 and any of Y1..Y3. */
static char *spec_example(void)
{
	char *t;

	assert_true(asprintf(&t,
			     "log %s\n\n"
			     "witness X1 %s\n"
			     "witness X2 %s\n"
			     "witness X3 %s\n"
			     "group X-witnesses 2 X1 X2 X3\n\n"
			     "witness Y1 %s\n"
			     "\twitness Y2 %s   https://y2.example/\n"
			     "witness Y3 %s\n"
			     "group Y-witnesses any Y1 Y2 Y3\n\n"
			     "  # a comment\n"
			     "group X-and-Y all X-witnesses Y-witnesses\n"
			     "quorum X-and-Y\n",
			     logvk, wvk[0], wvk[1], wvk[2], wvk[3], wvk[4],
			     wvk[5]) > 0);
	return t;
}

static void example_quorum(void **state)
{
	char err[512], *t = spec_example();
	struct policy *p = parse(t, err, sizeof(err));
	bool s[NW] = {0};

	assert_non_null(p);
	assert_int_equal(p->nlogs, 1);
	assert_int_equal(p->nw, 6);
	assert_int_equal(p->ng, 3);
	assert_string_equal(p->w[4].url, "https://y2.example/");
	assert_false(policy_quorum(p, s));
	s[0] = s[1] = true; /* two X, no Y */
	assert_false(policy_quorum(p, s));
	s[5] = true;
	assert_true(policy_quorum(p, s));
	s[1] = false; /* one X, one Y */
	assert_false(policy_quorum(p, s));
	policy_free(p);
	free(t);
}

static void syntax_errors(void **state)
{
	static const char *const bad[] = {
		"",					       /* no quorum */
		"quorum w\n",				       /* undefined */
		"witness a %1$s\nwitness b %1$s\nquorum a\n",  /* dup key */
		"witness a %1$s\nwitness a %2$s\nquorum a\n",  /* dup name */
		"witness a %1$s\ngroup g 2 a\nquorum g\n",     /* k > n */
		"witness a %1$s\ngroup g 0 a\nquorum g\n",     /* k < 1 */
		"witness a %1$s\ngroup g 01 a\nquorum g\n",    /* spelling */
		"witness a %1$s\ngroup g any a a\nquorum g\n", /* twice */
		"witness a %1$s\ngroup g any a none\nquorum g\n",
		"witness a %1$s\nquorum a\nquorum a\n",
		"witness none %1$s\nquorum none\n",
		"witness a %1$s\nquorum g\ngroup g any a\n", /* order */
		"witness a %1$s\x01\nquorum a\n",	     /* control */
		"witness a %1$s\r\nquorum a\n",
		"frobnicate\nquorum none\n",
		"log %3$s\nlog %3$s\nquorum none\n", /* duplicate log */
		"witness a %3$s\nquorum a\n", /* a log key as witness key */
		"log %1$s\nquorum none\n",    /* a witness key as log key */
	};
	char text[4096], err[512];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct policy *p;

		snprintf(text, sizeof(text), bad[i], wvk[0], wvk[1], logvk);
		p = parse(text, err, sizeof(err));
		if (p)
			fail_msg("accepted bad policy %zu: %s", i, text);
	}
}

static void quorum_none(void **state)
{
	char err[512];
	struct policy *p = parse("quorum none\n", err, sizeof(err));
	bool s[1] = {false};

	assert_non_null(p);
	assert_true(policy_quorum(p, s));
	policy_free(p);
}

/* A checkpoint signed by the log, cosigned by some witnesses. */
static char *cosigned(const int *who, int n, size_t *len)
{
	static const char body[] =
		"example.com/log\n5\n"
		"CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
	char *note, *out, line[COSIG_LINE_MAX];
	size_t o;

	assert_int_equal(
		note_sign(body, strlen(body), &logk, 1, &note, NULL, 0), 0);
	out = malloc(strlen(note) + (size_t)n * COSIG_LINE_MAX + 1);
	o = (size_t)sprintf(out, "%s", note);
	for (int i = 0; i < n; i++) {
		int l = cosig_sign(wk[who[i]], body, strlen(body), 1700000000,
				   line, sizeof(line), NULL, 0);

		memcpy(out + o, line, (size_t)l);
		o += (size_t)l;
	}
	out[o] = '\0';
	free(note);
	*len = o;
	return out;
}

static void check_cosigned(void **state)
{
	char err[2048], *t, *note;
	struct policy *p;
	struct policy_verdict v;
	static const int two[] = {0, 2}, one[] = {1};
	size_t len;

	assert_true(asprintf(&t,
			     "log %s\nwitness A %s\nwitness B %s\n"
			     "witness C %s\ngroup g 2 A B C\nquorum g\n",
			     logvk, wvk[0], wvk[1], wvk[2]) > 0);
	p = parse(t, err, sizeof(err));
	assert_non_null(p);
	note = cosigned(two, 2, &len);
	assert_int_equal(policy_check(p, note, len, &v, err, sizeof(err)), 0);
	assert_true(v.signed_[0] && !v.signed_[1] && v.signed_[2]);
	assert_int_equal(v.ck.size, 5);
	policy_describe(p, &v, err, sizeof(err));
	assert_string_equal(err, "signed: A C; missing: B");
	free(note);
	note = cosigned(one, 1, &len);
	assert_int_equal(policy_check(p, note, len, &v, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "quorum not met"));
	assert_non_null(strstr(err, "missing: A C"));
	free(note);
	policy_free(p);
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(example_quorum),
		cmocka_unit_test(syntax_errors),
		cmocka_unit_test(quorum_none),
		cmocka_unit_test(check_cosigned),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
