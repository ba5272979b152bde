// SPDX-License-Identifier: GPL-2.0-or-later
/* Debug switches of cfnd_bgp; listed in "show debugging bgp compute". */
#include <zebra.h>

#include "command.h"
#include "debug.h"
#include "vty.h"

#include "cfnd_common/cfnd_debug.h"
#include "cfnd_bgp.h"
#include "cfnd_bgp_debug.h"

#ifndef VTYSH_EXTRACT_PL
#include "cfnd_bgp/cfnd_bgp_debug_clippy.c"
#endif

struct debug cfnd_bgp_debug_rx = {.desc = "BGP compute metadata received"};
struct debug cfnd_bgp_debug_tx = {.desc = "BGP compute metadata sent"};
struct debug cfnd_bgp_debug_sel = {.desc = "BGP compute path selection"};

static struct debug *const cfnd_bgp_debugs[] = {
	&cfnd_bgp_debug_rx, &cfnd_bgp_debug_tx, &cfnd_bgp_debug_sel,
	&cfnd_debug_adv,    &cfnd_debug_report, &cfnd_debug_export,
};

DEFPY(debug_bgp_compute, debug_bgp_compute_cmd,
      "[no] debug bgp compute <receive$rx|send$tx|select$sel|advertise$adv|report$rep|export$exp|all$all>",
      NO_STR DEBUG_STR BGP_STR
      "Computing First Networking\n"
      "Edge Metadata attributes received (decoded, malformed, discarded)\n"
      "Edge Metadata attributes sent\n"
      "Compute-aware path comparisons\n"
      "Our services' metric and damping (shared model)\n"
      "Load reports from cfn-report\n"
      "Decision export to the ledger\n"
      "All of the above\n")
{
	uint32_t mode = DEBUG_NODE2MODE(vty->node);

	if (rx || all)
		DEBUG_MODE_SET(&cfnd_bgp_debug_rx, mode, !no);
	if (tx || all)
		DEBUG_MODE_SET(&cfnd_bgp_debug_tx, mode, !no);
	if (sel || all)
		DEBUG_MODE_SET(&cfnd_bgp_debug_sel, mode, !no);
	if (adv || all)
		DEBUG_MODE_SET(&cfnd_debug_adv, mode, !no);
	if (rep || all)
		DEBUG_MODE_SET(&cfnd_debug_report, mode, !no);
	if (exp || all)
		DEBUG_MODE_SET(&cfnd_debug_export, mode, !no);
	return CMD_SUCCESS;
}

DEFPY(show_debugging_bgp_compute, show_debugging_bgp_compute_cmd,
      "show debugging bgp compute",
      SHOW_STR DEBUG_STR BGP_STR "Computing First Networking\n")
{
	for (size_t i = 0; i < array_size(cfnd_bgp_debugs); i++)
		if (DEBUG_MODE_CHECK(cfnd_bgp_debugs[i], DEBUG_MODE_ALL))
			vty_out(vty, "  %s debugging is on\n",
				cfnd_bgp_debugs[i]->desc);
	return CMD_SUCCESS;
}

void cfnd_bgp_debug_init(void)
{
	install_element(ENABLE_NODE, &debug_bgp_compute_cmd);
	install_element(CONFIG_NODE, &debug_bgp_compute_cmd);
	install_element(ENABLE_NODE, &show_debugging_bgp_compute_cmd);
}
