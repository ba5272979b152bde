// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "buildinfo.h"

static void patchset_extracted(void **state)
{
	char buf[65];

	assert_true(
		cfn_patchset_of("8.4.4-cfn-7360d3e81c50", buf, sizeof(buf)));
	assert_string_equal(buf, "7360d3e81c50");
	assert_false(cfn_patchset_of("8.4.4", buf, sizeof(buf)));
	assert_string_equal(buf, "");
	assert_false(cfn_patchset_of(NULL, buf, sizeof(buf)));
	/* a hash that does not fit is refused, not truncated */
	assert_false(cfn_patchset_of("8.4.4-cfn-7360d3e81c50", buf, 5));
}

static void same_build_matches(void **state)
{
	char err[256] = "";

	assert_true(cfn_frr_build_matches("8.4.4-cfn-abc", "8.4.4-cfn-abc", err,
					  sizeof(err)));
	assert_string_equal(err, "");
}

static void mismatches_explained(void **state)
{
	char err[256];

	assert_false(cfn_frr_build_matches("8.4.4-cfn-abc", "8.4.4-cfn-def",
					   err, sizeof(err)));
	assert_non_null(strstr(err, "patch-series hash mismatch"));
	assert_non_null(strstr(err, "abc"));
	assert_non_null(strstr(err, "def"));

	assert_false(cfn_frr_build_matches("8.4.4-cfn-abc", "8.4.4", err,
					   sizeof(err)));
	assert_non_null(strstr(err, "without the CFN patch series"));

	assert_false(
		cfn_frr_build_matches("8.4.4-cfn-abc", NULL, err, sizeof(err)));
	assert_non_null(strstr(err, "not the CFN-patched FRR"));

	assert_false(cfn_frr_build_matches("8.4.4-cfn-abc", "8.5.0-cfn-abc",
					   err, sizeof(err)));
	assert_non_null(strstr(err, "FRR version mismatch"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(patchset_extracted),
		cmocka_unit_test(same_build_matches),
		cmocka_unit_test(mismatches_explained),
	};

	return cmocka_run_group_tests_name("buildinfo", tests, NULL, NULL);
}
