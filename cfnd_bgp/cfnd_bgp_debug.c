// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Debug switches of cfnd_bgp: listed in "show debugging [bgp [compute]]"
 * and saved in the running configuration.
 */
#include <zebra.h>

#include "command.h"
#include "debug.h"
#include "hook.h"
#include "vty.h"

#include "bgpd/bgp_debug.h"

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

/* The command's keyword for each of cfnd_bgp_debugs, in the same order. */
static const char *const cfnd_bgp_debug_keywords[] = {
	"receive", "send", "select", "advertise", "report", "export",
};
_Static_assert(array_size(cfnd_bgp_debug_keywords) ==
		       array_size(cfnd_bgp_debugs),
	       "one keyword per switch");

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

/* Also called at the end of bgpd's plain "show debugging". */
static int show_debugging(struct vty *vty)
{
	for (size_t i = 0; i < array_size(cfnd_bgp_debugs); i++)
		if (DEBUG_MODE_CHECK(cfnd_bgp_debugs[i], DEBUG_MODE_ALL))
			vty_out(vty, "  %s debugging is on\n",
				cfnd_bgp_debugs[i]->desc);
	return 0;
}

DEFPY(show_debugging_bgp_compute, show_debugging_bgp_compute_cmd,
      "show debugging bgp compute",
      SHOW_STR DEBUG_STR BGP_STR "Computing First Networking\n")
{
	show_debugging(vty);
	return CMD_SUCCESS;
}

/*
 * bgpd writes its debug settings from its DEBUG_NODE's config_write and
 * has no hook for modules; ours follow its own lines there, so "debug bgp
 * compute ..." given in configure mode survives a restart.
 */
static int (*bgpd_debug_write)(struct vty *vty);

static int debug_config_write(struct vty *vty)
{
	int n = bgpd_debug_write ? bgpd_debug_write(vty) : 0;

	for (size_t i = 0; i < array_size(cfnd_bgp_debugs); i++)
		if (DEBUG_MODE_CHECK(cfnd_bgp_debugs[i], DEBUG_MODE_CONF)) {
			vty_out(vty, "debug bgp compute %s\n",
				cfnd_bgp_debug_keywords[i]);
			n++;
		}
	return n;
}

void cfnd_bgp_debug_init(void)
{
	struct cmd_node *node = vector_slot(cmdvec, DEBUG_NODE);

	if (node && node->config_write != debug_config_write) {
		bgpd_debug_write = node->config_write;
		node->config_write = debug_config_write;
	}
	hook_register(bgp_show_debugging, show_debugging);
	install_element(ENABLE_NODE, &debug_bgp_compute_cmd);
	install_element(CONFIG_NODE, &debug_bgp_compute_cmd);
	install_element(ENABLE_NODE, &show_debugging_bgp_compute_cmd);
}
