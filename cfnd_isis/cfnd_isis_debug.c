// SPDX-License-Identifier: GPL-2.0-or-later
/* debug isis compute <database|advertise|report|routes|export|all> */
#include <zebra.h>

#include "command.h"
#include "debug.h"
#include "hook.h"
#include "vty.h"

#include "isisd/isisd.h"

#include "cfnd_common/cfnd_debug.h"
#include "cfnd_isis.h"

#ifndef VTYSH_EXTRACT_PL
#include "cfnd_isis/cfnd_isis_debug_clippy.c"
#endif

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
	const char *const chosen[CFND_NDEBUGS] = {db, adv, rep, rts, exp};

	for (size_t i = 0; i < CFND_NDEBUGS; i++)
		if (chosen[i] || all)
			DEBUG_MODE_SET(cfnd_debugs[i], mode, !no);
	return CMD_SUCCESS;
}

DEFPY(show_debugging_isis_compute, show_debugging_isis_compute_cmd,
      "show debugging isis compute",
      SHOW_STR DEBUG_STR
      "IS-IS information\n"
      "Computing First Networking\n")
{
	cfnd_debug_show(vty);
	return CMD_SUCCESS;
}

/* Our switches follow isisd's own in its plain "show debugging". */
static int show_debugging(struct vty *vty)
{
	cfnd_debug_show(vty);
	return 0;
}

/*
 * isisd writes its debug settings from its DEBUG_NODE's config_write and
 * has no hook for modules; ours follow its own lines there, so "debug isis
 * compute ..." given in configure mode survives a restart.
 */
static int (*isisd_debug_write)(struct vty *vty);

static int debug_config_write(struct vty *vty)
{
	int n = isisd_debug_write ? isisd_debug_write(vty) : 0;

	return n + cfnd_debug_config_write(vty, "isis");
}

void cfnd_isis_debug_init(void)
{
	struct cmd_node *node = vector_slot(cmdvec, DEBUG_NODE);

	if (node && node->config_write != debug_config_write) {
		isisd_debug_write = node->config_write;
		node->config_write = debug_config_write;
	}
	install_element(ENABLE_NODE, &debug_isis_compute_cmd);
	install_element(CONFIG_NODE, &debug_isis_compute_cmd);
	install_element(ENABLE_NODE, &show_debugging_isis_compute_cmd);
	hook_register(isis_show_debugging, show_debugging);
}

void cfnd_isis_debug_fini(void)
{
	struct cmd_node *node = vector_slot(cmdvec, DEBUG_NODE);

	hook_unregister(isis_show_debugging, show_debugging);
	if (node && node->config_write == debug_config_write)
		node->config_write = isisd_debug_write;
}
