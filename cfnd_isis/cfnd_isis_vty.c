// SPDX-License-Identifier: GPL-2.0-or-later
/* cfnd_isis commands; vtysh learns them by scanning this file. */
#include <zebra.h>

#include "command.h"
#include "json.h"
#include "vty.h"

#include "cfnd_isis.h"
#include "cfnd_common/cfnd_module.h"

#ifndef VTYSH_EXTRACT_PL
#include "cfnd_isis/cfnd_isis_vty_clippy.c"
#endif

DEFPY(show_isis_compute_version, show_isis_compute_version_cmd,
      "show isis compute version [json]$json",
      SHOW_STR
      "IS-IS information\n"
      "Computing First Networking\n"
      "Module and build version\n" JSON_STR)
{
	cfnd_show_version(vty, CFND_ISIS_NAME, !!json);
	return CMD_SUCCESS;
}

void cfnd_isis_vty_init(void)
{
	install_element(VIEW_NODE, &show_isis_compute_version_cmd);
}
