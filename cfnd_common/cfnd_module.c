// SPDX-License-Identifier: GPL-2.0-or-later
#include <zebra.h>

#include "json.h"
#include "libfrr.h"
#include "log.h"
#include "lib/version.h"
#include "vty.h"

#include "cfnd_module.h"
#include "buildinfo.h"

/*
 * Weak: an FRR without our version-export patch leaves it NULL and we can
 * say so instead of failing in the dynamic loader.
 */
extern const char frr_lib_version[] __attribute__((weak));

static const char *running_frr_version(void)
{
	const char *running = frr_lib_version;

	return running;
}

bool cfnd_build_matches(const char *module_name)
{
	char err[512];

	if (cfn_frr_build_matches(FRR_VERSION, running_frr_version(), err,
				  sizeof(err)))
		return true;
	zlog_err("%s: refusing to load: %s", module_name, err);
	fprintf(stderr, "%s: refusing to load: %s\n", module_name, err);
	return false;
}

void cfnd_show_version(struct vty *vty, const char *module_name, bool json)
{
	char patchset[65];

	cfn_patchset_of(FRR_VERSION, patchset, sizeof(patchset));
	if (json) {
		json_object *obj = json_object_new_object();

		json_object_string_add(obj, "module", module_name);
		json_object_string_add(obj, "version", CFN_VERSION);
		json_object_string_add(obj, "frrVersion", FRR_VERSION);
		json_object_string_add(obj, "frrRunningVersion",
				       running_frr_version());
		json_object_string_add(obj, "patchSeries", patchset);
		vty_json(vty, obj);
		return;
	}
	vty_out(vty, "%s %s\n", module_name, CFN_VERSION);
	vty_out(vty, "  built against FRR %s (patch series %s)\n", FRR_VERSION,
		patchset);
	vty_out(vty, "  running in FRR %s\n", running_frr_version());
}
