// SPDX-License-Identifier: GPL-2.0-or-later
/* cfnd_bgp commands; vtysh learns them by scanning this file. */
#include <zebra.h>

#include "command.h"
#include "json.h"
#include "vty.h"

#include "cfnd_bgp.h"
#include "../cfnd_common/cfnd_module.h"

#ifndef VTYSH_EXTRACT_PL
#include "cfnd_bgp/cfnd_bgp_vty_clippy.c"
#endif

DEFPY(show_bgp_compute_version, show_bgp_compute_version_cmd,
      "show bgp compute version [json]$json",
      SHOW_STR BGP_STR
      "Computing First Networking\n"
      "Module and build version\n" JSON_STR)
{
	cfnd_show_version(vty, CFND_BGP_NAME, !!json);
	return CMD_SUCCESS;
}

void cfnd_bgp_vty_init(void)
{
	install_element(VIEW_NODE, &show_bgp_compute_version_cmd);
}
