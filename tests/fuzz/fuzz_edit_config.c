// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What cfn-netconfd does with a client's <edit-config> before anything
 * reaches a daemon: libyang parses it against frr-cfn and FRR's models,
 * netconf/edit.c applies its operations to the running tree, libyang
 * validates, and the result becomes vty commands.  Any input: no crash, no
 * leak.  The first byte picks the default operation.
 */
/* clang-format off */
// fuzz-sources: netconf/edit.c netconf/cr_conf.c netconf/cr_tree.c netconf/cr_diff.c netconf/cr_bgp_tree.c netconf/cr_bgp_conf.c
// fuzz-packages: libyang
/* clang-format on */
#include <glob.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../netconf/cr_conf.h"
#include "../../netconf/edit.h"

static const char running[] =
	"router isis 1\n"
	" compute-routing\n"
	"  hysteresis percent 10\n"
	"  service 203.0.113.10/32 capacity 100 available 60 site edge-1\n"
	" exit\n"
	"exit\n";

/* bgpd's, for the frr-bgp augments */
static const char bgp_running[] =
	"router bgp 65001\n"
	" neighbor 192.0.2.2 remote-as 65002\n"
	" compute-routing\n"
	"  as-scope 65001\n"
	"  service 203.0.113.10/32 capacity 100 available 60\n"
	" exit\n"
	"exit\n";

static struct ly_ctx *ctx;
static struct cr_config old;
static struct lyd_node *old_tree;

/* The models: this tree's yang/ and FRR's, from the build cache. */
static void setup(void)
{
	const char *cache = getenv("CFN_CACHE");
	char top[4096], pattern[4096], err[256];
	glob_t g = {0};

	snprintf(top, sizeof(top), "%s", __FILE__);
	*strstr(top, "/tests/fuzz/") = '\0';
	if (cache)
		snprintf(pattern, sizeof(pattern), "%s/frr-*/prefix/share/yang",
			 cache);
	else
		snprintf(pattern, sizeof(pattern),
			 "%s/.cache/cfn/frr-*/prefix/share/yang",
			 getenv("HOME"));
	if (glob(pattern, 0, NULL, &g) || !g.gl_pathc) {
		fprintf(stderr, "fuzz_edit_config: no FRR YANG dir (%s)\n",
			pattern);
		abort();
	}
	ly_log_options(0);
	ly_ctx_new(NULL, 0, &ctx);
	ly_ctx_set_searchdir(ctx, g.gl_pathv[0]);
	snprintf(pattern, sizeof(pattern), "%s/yang", top);
	ly_ctx_set_searchdir(ctx, pattern);
	snprintf(pattern, sizeof(pattern), "%s/yang/ietf", top);
	ly_ctx_set_searchdir(ctx, pattern);
	globfree(&g);
	if (!ly_ctx_load_module(ctx, "ietf-netconf", NULL, NULL) ||
	    !ly_ctx_load_module(ctx, "frr-cfn", NULL, NULL) ||
	    cr_config_from_running(&old, running, err, sizeof(err)) ||
	    cr_config_add_bgp_running(&old, bgp_running, err, sizeof(err)) ||
	    cr_config_to_tree(&old, ctx, &old_tree, err, sizeof(err)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const ops[] = {"merge", "replace", "none"};
	struct lyd_node *edit = NULL, *tree = NULL;
	struct cr_config new;
	struct cr_cmds cmds;
	struct edit_error ee;
	char *xml, err[256], path[512];

	if (!ctx)
		setup();
	if (size < 1)
		return 0;
	xml = strndup((const char *)data + 1, size - 1);
	if (lyd_parse_data_mem(ctx, xml, LYD_XML,
			       LYD_PARSE_ONLY | LYD_PARSE_STRICT |
				       LYD_PARSE_NO_STATE,
			       0, &edit) == LY_SUCCESS &&
	    !edit_check_scope(edit, &ee) &&
	    !lyd_dup_siblings(old_tree, NULL, LYD_DUP_RECURSIVE, &tree) &&
	    !edit_apply(&tree, edit, ops[data[0] % 3], &ee) &&
	    !lyd_validate_all(&tree, ctx, LYD_VALIDATE_NO_STATE, NULL) &&
	    !cr_config_from_tree(&new, tree, err, sizeof(err))) {
		if (!cr_config_diff(&old, &new, &cmds, err, sizeof(err), path,
				    sizeof(path)))
			cr_cmds_free(&cmds);
		cr_config_free(&new);
	}
	lyd_free_all(tree);
	lyd_free_all(edit);
	free(xml);
	return 0;
}
