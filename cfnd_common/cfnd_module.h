// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What both CFN modules (cfnd_isis in isisd, cfnd_bgp in bgpd) share: the
 * refusal to run inside an FRR of another build, and the version report.
 */
#ifndef CFND_MODULE_H
#define CFND_MODULE_H

#include <stdbool.h>

struct vty;

/*
 * True when the daemon's libfrr is the exact build this module was compiled
 * against; otherwise logs why (zlog and stderr, since logging may not be set
 * up yet at module init) and returns false.
 */
bool cfnd_build_matches(const char *module_name);

/* Body of 'show <isis|bgp> compute version [json]'. */
void cfnd_show_version(struct vty *vty, const char *module_name, bool json);

#endif
