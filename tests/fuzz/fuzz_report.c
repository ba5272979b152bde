// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Load-report parser fuzz target: arbitrary input must not crash the
 * parser; an accepted request must survive format -> parse unchanged; the
 * reply parser must cope with anything too.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report_proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cfn_report r, again;
	char err[CFN_REPORT_LINE_MAX], buf[CFN_REPORT_LINE_MAX + 1],
		reply[CFN_REPORT_LINE_MAX + 16];
	int n;

	cfn_report_parse_reply((const char *)data, size, err, sizeof(err));
	if (!cfn_report_handle((const char *)data, size, &r, reply,
			       sizeof(reply))) {
		if (strncmp(reply, "error: ", 7) != 0 ||
		    reply[strlen(reply) - 1] != '\n')
			abort();
		return 0;
	}
	if (strcmp(reply, "ok\n") != 0)
		abort();
	n = cfn_report_format(&r, buf, sizeof(buf));
	if (n < 0)
		abort();
	if (!cfn_report_parse(buf, (size_t)n, &again, err, sizeof(err)))
		abort();
	if (memcmp(&r, &again, sizeof(r)) != 0)
		abort();
	return 0;
}
