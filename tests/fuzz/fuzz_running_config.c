// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cfn-netconfd's reader of isisd's "show running-config" (netconf/cr_conf.c)
 * and the command generator (netconf/cr_diff.c): whatever the daemon
 * prints, no crash, and the configuration read turns into commands from
 * and to the empty configuration of the same instances.
 */
// fuzz-sources: netconf/cr_conf.c netconf/cr_diff.c
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../netconf/cr_conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct cr_config c, empty;
	struct cr_cmds cmds;
	char err[256], path[512];

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (cr_config_from_running(&c, text, err, sizeof(err)) == 0) {
		/* the same instances without compute-routing */
		if (cr_config_from_running(&empty, text, err, sizeof(err)) ==
		    0) {
			for (size_t i = 0; i < empty.n; i++)
				empty.inst[i].enabled = false;
			if (cr_config_diff(&c, &empty, &cmds, err, sizeof(err),
					   path, sizeof(path)) == 0)
				cr_cmds_free(&cmds);
			if (cr_config_diff(&empty, &c, &cmds, err, sizeof(err),
					   path, sizeof(path)) == 0)
				cr_cmds_free(&cmds);
			cr_config_free(&empty);
		}
		cr_config_free(&c);
	}
	free(text);
	return 0;
}
