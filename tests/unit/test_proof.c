// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tlog-proof files: the C2SP spec's example layout parses and formats
 * back byte for byte, and the variants the spec forbids are refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../ledger/proof.h"

static const char spec[] =
	"c2sp.org/tlog-proof@v1\n"
	"extra YWdlLXYxLjIuMS1kYXJ3aW4tYXJtNjQudGFyLmd6\n"
	"index 73894\n"
	"gSKyXoYZUgZ6jduWYrkDOARinOMGJveXjgMkBTcdPlQ=\n"
	"B95lDa8R83lS8n0eG+o0buTxRKQTYFi//1U8anccXmA=\n"
	"EKNzoDWG8LGC0Yp9o+sv3qllpMP9uHQ9B20KNL+Q1zs=\n"
	"RoopEkOdqkYqMB4MJXrbt/hMjOxsVn0IrWjpz1ZMMes=\n"
	"AHCioX9nLjsrse6YhjRRmk1WUEirVOLLRoOQ6vfO5vk=\n"
	"\n"
	"example.com/fancylog\n"
	"109482\n"
	"sFodV/vSp5O8n9a8QpW6PRY97tfOSW5bsc2Xl/EQi08=\n"
	"\n"
	"\xe2\x80\x94 example.com/fancylog hI2DJw==\n";

static void spec_example(void **state)
{
	struct tlog_proof p;
	char *out;
	size_t len;

	assert_int_equal(proof_parse(spec, strlen(spec), &p, NULL, 0), 0);
	assert_int_equal(p.index, 73894);
	assert_int_equal(p.proof.n, 5);
	assert_int_equal(p.extra_len, 30);
	assert_memory_equal(p.extra, "age-v1.2.1-darwin-arm64.tar.gz", 30);
	assert_memory_equal(p.note, "example.com/fancylog\n", 21);
	assert_int_equal(proof_format(p.extra, p.extra_len, p.index, &p.proof,
				      p.note, p.note_len, &out, &len),
			 0);
	assert_int_equal(len, strlen(spec));
	assert_memory_equal(out, spec, len);
	free(out);
	proof_free(&p);
}

static void refused(void **state)
{
	static const char *const bad[] = {
		"c2sp.org/tlog-proof@v2\nindex 1\n\nck\n",
		"c2sp.org/tlog-proof@v1\nindex 01\n\nck\n",
		"c2sp.org/tlog-proof@v1\nindex -1\n\nck\n",
		"c2sp.org/tlog-proof@v1\nextra !!!!\nindex 1\n\nck\n",
		"c2sp.org/tlog-proof@v1\nindex 1\nAAAA\n\nck\n", /* short */
		"c2sp.org/tlog-proof@v1\nindex 1\n",		 /* no ck */
		"c2sp.org/tlog-proof@v1\nindex 1\n\n",
		"c2sp.org/tlog-proof@v1\r\nindex 1\n\nck\n",
	};
	struct tlog_proof p;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (proof_parse(bad[i], strlen(bad[i]), &p, NULL, 0) == 0)
			fail_msg("accepted bad proof %zu", i);
	/* no extra line is fine */
	assert_int_equal(proof_parse("c2sp.org/tlog-proof@v1\nindex 0\n\nck\n",
				     34, &p, NULL, 0),
			 0);
	assert_null(p.extra);
	assert_int_equal(p.proof.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(spec_example),
		cmocka_unit_test(refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
