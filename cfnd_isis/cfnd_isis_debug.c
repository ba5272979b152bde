// SPDX-License-Identifier: GPL-2.0-or-later
#include <zebra.h>

#include "command.h"
#include "debug.h"
#include "vty.h"

#include "cfnd_isis_debug.h"

#ifndef VTYSH_EXTRACT_PL
#include "cfnd_isis/cfnd_isis_debug_clippy.c"
#endif

struct debug cfnd_debug_db = {.desc = "IS-IS compute database"};
struct debug cfnd_debug_adv = {.desc = "IS-IS compute advertisement"};
struct debug cfnd_debug_report = {.desc = "IS-IS compute load reports"};
struct debug cfnd_debug_routes = {.desc = "IS-IS compute steering"};
struct debug cfnd_debug_export = {.desc = "IS-IS compute decision export"};

static struct debug *const cfnd_debugs[] = {
	&cfnd_debug_db,	    &cfnd_debug_adv,	&cfnd_debug_report,
	&cfnd_debug_routes, &cfnd_debug_export,
};

DEFPY(debug_isis_compute, debug_isis_compute_cmd,
      "[no] debug isis compute <database$db|advertise$adv|report$rep|routes$rts|export$exp|all$all>",
      NO_STR DEBUG_STR
      "IS-IS information\n"
      "Computing First Networking\n"
      "Compute database changes (received entries)\n"
      "Origination of our compute entries and damping\n"
      "Load reports from cfn-report\n"
      "Steering runs and route changes\n"
      "Decision export to the ledger\n"
      "All of the above\n")
{
	uint32_t mode = DEBUG_NODE2MODE(vty->node);

	if (db || all)
		DEBUG_MODE_SET(&cfnd_debug_db, mode, !no);
	if (adv || all)
		DEBUG_MODE_SET(&cfnd_debug_adv, mode, !no);
	if (rep || all)
		DEBUG_MODE_SET(&cfnd_debug_report, mode, !no);
	if (rts || all)
		DEBUG_MODE_SET(&cfnd_debug_routes, mode, !no);
	if (exp || all)
		DEBUG_MODE_SET(&cfnd_debug_export, mode, !no);
	return CMD_SUCCESS;
}

DEFPY(show_debugging_isis_compute, show_debugging_isis_compute_cmd,
      "show debugging isis compute",
      SHOW_STR DEBUG_STR
      "IS-IS information\n"
      "Computing First Networking\n")
{
	for (size_t i = 0; i < array_size(cfnd_debugs); i++)
		if (DEBUG_MODE_CHECK(cfnd_debugs[i], DEBUG_MODE_ALL))
			vty_out(vty, "  %s debugging is on\n",
				cfnd_debugs[i]->desc);
	return CMD_SUCCESS;
}

void cfnd_isis_debug_init(void)
{
	install_element(ENABLE_NODE, &debug_isis_compute_cmd);
	install_element(CONFIG_NODE, &debug_isis_compute_cmd);
	install_element(ENABLE_NODE, &show_debugging_isis_compute_cmd);
}
