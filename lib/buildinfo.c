// SPDX-License-Identifier: GPL-2.0-or-later
#include "buildinfo.h"

#include <stdio.h>
#include <string.h>

bool cfn_patchset_of(const char *frr_version, char *buf, size_t buflen)
{
	const char *mark;
	size_t len;

	if (buflen)
		buf[0] = '\0';
	if (!frr_version)
		return false;
	mark = strstr(frr_version, CFN_PATCHSET_MARKER);
	if (!mark)
		return false;
	mark += strlen(CFN_PATCHSET_MARKER);
	len = strspn(mark, "0123456789abcdef");
	if (len == 0 || len >= buflen)
		return false;
	memcpy(buf, mark, len);
	buf[len] = '\0';
	return true;
}

bool cfn_frr_build_matches(const char *built, const char *running, char *err,
			   size_t errlen)
{
	char want[65], have[65];

	if (!running) {
		snprintf(
			err, errlen,
			"this FRR does not export frr_lib_version: it is not the CFN-patched FRR %s the module was built against",
			built);
		return false;
	}
	if (strcmp(built, running) == 0)
		return true;
	if (!cfn_patchset_of(running, have, sizeof(have)))
		snprintf(
			err, errlen,
			"module built against FRR %s, loaded into FRR %s without the CFN patch series",
			built, running);
	else if (cfn_patchset_of(built, want, sizeof(want)) &&
		 strcmp(want, have) != 0)
		snprintf(
			err, errlen,
			"patch-series hash mismatch: module built against %s, daemon runs %s (rebuild with ./run build)",
			want, have);
	else
		snprintf(
			err, errlen,
			"FRR version mismatch: module built against %s, daemon runs %s",
			built, running);
	return false;
}
