// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Test-only isisd module, built by 'make check' and never installed: adds
 * arbitrary TLVs to our own LSP, so lab tests can send malformed compute
 * entries over the wire through a real isisd.
 *
 *   test isis inject-tlv TYPE HEX    add a TLV (value given in hex)
 *   test isis inject-tlv clear       remove them all
 *
 * vtysh does not know these commands; tests send them to isisd's vty socket.
 */
#include <zebra.h>

#include "command.h"
#include "hook.h"
#include "libfrr.h"
#include "memory.h"
#include "module.h"

#include "isisd/isisd.h"
#include "isisd/isis_lsp.h"
#include "isisd/isis_tlvs.h"

#define MAX_INJECT 16

static struct {
	uint8_t type, len;
	uint8_t value[255];
} injected[MAX_INJECT];
static int n_injected;

static int inject_build(struct isis_area *area, int level,
			struct isis_tlvs *tlvs)
{
	for (int i = 0; i < n_injected; i++)
		isis_tlvs_add_raw(tlvs, injected[i].type, injected[i].len,
				  injected[i].value);
	return 0;
}

static void regenerate_all(void)
{
	struct isis *isis = isis_lookup_by_vrfid(VRF_DEFAULT);
	struct isis_area *area;
	struct listnode *node;

	if (!isis)
		return;
	for (ALL_LIST_ELEMENTS_RO(isis->area_list, node, area))
		lsp_regenerate_schedule(area, area->is_type, 0);
}

DEFUN(test_isis_inject_tlv, test_isis_inject_tlv_cmd,
      "test isis inject-tlv (0-255) WORD",
      "Test commands\n"
      "IS-IS\n"
      "Add a raw TLV to our LSP\n"
      "TLV type\n"
      "Value in hex\n")
{
	const char *hex = argv[4]->arg;
	size_t len = strlen(hex) / 2;

	if (n_injected == MAX_INJECT || strlen(hex) % 2 || len > 255) {
		vty_out(vty, "%% bad or too many TLVs\n");
		return CMD_WARNING;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned int b;

		if (sscanf(hex + 2 * i, "%2x", &b) != 1) {
			vty_out(vty, "%% not hex: %s\n", hex);
			return CMD_WARNING;
		}
		injected[n_injected].value[i] = b;
	}
	injected[n_injected].type = strtoul(argv[3]->arg, NULL, 10);
	injected[n_injected].len = len;
	n_injected++;
	regenerate_all();
	return CMD_SUCCESS;
}

DEFUN(test_isis_inject_clear, test_isis_inject_clear_cmd,
      "test isis inject-tlv clear",
      "Test commands\n"
      "IS-IS\n"
      "Add a raw TLV to our LSP\n"
      "Remove every injected TLV\n")
{
	n_injected = 0;
	regenerate_all();
	return CMD_SUCCESS;
}

static int inject_late_init(struct thread_master *master)
{
	install_element(ENABLE_NODE, &test_isis_inject_tlv_cmd);
	install_element(ENABLE_NODE, &test_isis_inject_clear_cmd);
	return 0;
}

static int inject_init(void)
{
	hook_register(frr_late_init, inject_late_init);
	hook_register(isis_lsp_build_hook, inject_build);
	return 0;
}

FRR_MODULE_SETUP(.name = "cfnd_isis_inject", .version = "test",
		 .description = "test only: inject raw TLVs into our LSP",
		 .init = inject_init);
