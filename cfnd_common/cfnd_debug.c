// SPDX-License-Identifier: GPL-2.0-or-later
/* The modules' debug switches; see cfnd_debug.h. */
#include <zebra.h>

#include "vty.h"

#include "cfnd_debug.h"

struct debug cfnd_debug_db = {.desc = "compute database"};
struct debug cfnd_debug_adv = {.desc = "compute advertisement"};
struct debug cfnd_debug_report = {.desc = "compute load reports"};
struct debug cfnd_debug_routes = {.desc = "compute steering"};
struct debug cfnd_debug_export = {.desc = "compute decision export"};

struct debug *const cfnd_debugs[CFND_NDEBUGS] = {
	&cfnd_debug_db,	    &cfnd_debug_adv,	&cfnd_debug_report,
	&cfnd_debug_routes, &cfnd_debug_export,
};

const char *const cfnd_debug_keywords[CFND_NDEBUGS] = {
	"database", "advertise", "report", "routes", "export",
};

int cfnd_debug_config_write(struct vty *vty, const char *proto)
{
	int n = 0;

	for (size_t i = 0; i < CFND_NDEBUGS; i++)
		if (DEBUG_MODE_CHECK(cfnd_debugs[i], DEBUG_MODE_CONF)) {
			vty_out(vty, "debug %s compute %s\n", proto,
				cfnd_debug_keywords[i]);
			n++;
		}
	return n;
}

void cfnd_debug_show(struct vty *vty)
{
	for (size_t i = 0; i < CFND_NDEBUGS; i++)
		if (DEBUG_MODE_CHECK(cfnd_debugs[i], DEBUG_MODE_ALL))
			vty_out(vty, "  %s debugging is on\n",
				cfnd_debugs[i]->desc);
}
