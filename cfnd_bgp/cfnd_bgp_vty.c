// SPDX-License-Identifier: GPL-2.0-or-later
/* cfnd_bgp configuration commands and their config write; vtysh learns the
 * commands by scanning this file. */
#include <zebra.h>

#include "command.h"
#include "json.h"
#include "vty.h"

#include "bgpd/bgpd.h"

#include "cfnd_bgp.h"
#include "cfnd_common/cfnd_module.h"

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

DEFPY(bgp_nbr_compute_metadata, bgp_nbr_compute_metadata_cmd,
      "[no] neighbor <A.B.C.D|X:X::X:X>$addr compute-metadata",
      NO_STR NEIGHBOR_STR NEIGHBOR_ADDR_STR
      "Send and accept the Edge Metadata Path Attribute (compute metadata)\n")
{
	VTY_DECLVAR_CONTEXT(bgp, bgp);
	char err[128];

	if (cfnd_bgp_nbr_set(bgp, addr_str, !no, err, sizeof(err)) < 0) {
		vty_out(vty, "%% %s\n", err);
		return CMD_WARNING_CONFIG_FAILED;
	}
	/* the default AS scope of what we originate follows the neighbors */
	cfnd_bgp_svc_refresh();
	return CMD_SUCCESS;
}

DEFPY(bgp_compute_metadata_type, bgp_compute_metadata_type_cmd,
      "[no] bgp compute-metadata attribute-type ![(1-255)$type]",
      NO_STR BGP_STR
      "Edge Metadata Path Attribute (compute metadata)\n"
      "Path attribute type code (default 42, the IANA early allocation)\n"
      "Type code\n")
{
	if (no || !type_str)
		cfnd_bgp_cfg.attr_type = BGP_META_ATTR_TYPE_DEFAULT;
	else
		cfnd_bgp_cfg.attr_type = type;
	return CMD_SUCCESS;
}

struct write_ctx {
	struct vty *vty;
	bool opened;
};

static void write_nbr(void *arg, const char *addr, struct cfnd_bgp_nbr *n)
{
	struct write_ctx *c = arg;

	if (!n->enabled)
		return;
	if (!c->opened) {
		vty_out(c->vty, " !\n address-family ipv4 unicast\n");
		c->opened = true;
	}
	vty_out(c->vty, "  neighbor %s compute-metadata\n", addr);
}

/* Called at the end of "router bgp"; our neighbor lines go in an
 * address-family block of their own, which bgpd reads back like any
 * other. */
static int cfnd_bgp_inst_config_write(struct bgp *bgp, struct vty *vty)
{
	struct write_ctx c = {.vty = vty};

	if (bgp->inst_type == BGP_INSTANCE_TYPE_DEFAULT) {
		if (cfnd_bgp_cfg.attr_type != BGP_META_ATTR_TYPE_DEFAULT)
			vty_out(vty,
				" bgp compute-metadata attribute-type %u\n",
				cfnd_bgp_cfg.attr_type);
		cfnd_bgp_config_write(vty);
	}
	cfnd_bgp_nbr_walk(bgp, write_nbr, &c);
	if (c.opened)
		vty_out(vty, " exit-address-family\n");
	return 0;
}

void cfnd_bgp_vty_init(void)
{
	install_element(VIEW_NODE, &show_bgp_compute_version_cmd);
	install_element(BGP_NODE, &bgp_compute_metadata_type_cmd);
	install_element(BGP_IPV4_NODE, &bgp_nbr_compute_metadata_cmd);
	hook_register(bgp_inst_config_write, cfnd_bgp_inst_config_write);
}
