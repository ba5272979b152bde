// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cfn-netconfd's readers of isisd's and bgpd's "show running-config"
 * (netconf/cr_conf.c, netconf/cr_bgp_conf.c) and the command generator
 * (netconf/cr_diff.c): whatever the daemon
 * prints, no crash, and the configuration read turns into commands from
 * and to the empty configuration of the same instances.
 */
// fuzz-sources: netconf/cr_conf.c netconf/cr_diff.c netconf/cr_bgp_conf.c
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../netconf/cr_conf.h"

/* Both readers on the same text, as when a router runs both daemons. */
static int read_both(struct cr_config *c, const char *text, char *err,
		     size_t errlen)
{
	if (cr_config_from_running(c, text, err, errlen))
		return -1;
	if (cr_config_add_bgp_running(c, text, err, errlen)) {
		cr_config_free(c);
		return -1;
	}
	return 0;
}

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
	if (read_both(&c, text, err, sizeof(err)) == 0) {
		/* the same instances without compute-routing */
		if (read_both(&empty, text, err, sizeof(err)) == 0) {
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
