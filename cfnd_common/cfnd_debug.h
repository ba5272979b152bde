// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The modules' debug switches: the same five in both daemons, set by
 * "debug <isis|bgp> compute ..." (the daemon part's command), saved in the
 * configuration and listed by "show debugging <isis|bgp> compute".
 */
#ifndef CFND_DEBUG_H
#define CFND_DEBUG_H

#include <stdbool.h>

#include "debug.h"

struct vty;

extern struct debug cfnd_debug_db;
extern struct debug cfnd_debug_adv;
extern struct debug cfnd_debug_report;
extern struct debug cfnd_debug_routes;
extern struct debug cfnd_debug_export;

#define IS_DEBUG_CFN_DB DEBUG_MODE_CHECK(&cfnd_debug_db, DEBUG_MODE_ALL)
#define IS_DEBUG_CFN_ADV DEBUG_MODE_CHECK(&cfnd_debug_adv, DEBUG_MODE_ALL)
#define IS_DEBUG_CFN_REPORT DEBUG_MODE_CHECK(&cfnd_debug_report, DEBUG_MODE_ALL)
#define IS_DEBUG_CFN_ROUTES DEBUG_MODE_CHECK(&cfnd_debug_routes, DEBUG_MODE_ALL)
#define IS_DEBUG_CFN_EXPORT DEBUG_MODE_CHECK(&cfnd_debug_export, DEBUG_MODE_ALL)

/* The switches in the order of the command's keywords. */
#define CFND_NDEBUGS 5
extern struct debug *const cfnd_debugs[CFND_NDEBUGS];
extern const char *const cfnd_debug_keywords[CFND_NDEBUGS];

/*
 * Writes "debug PROTO compute KEYWORD" for every switch on in the
 * configuration mode (config write), or lists those on (show).
 */
int cfnd_debug_config_write(struct vty *vty, const char *proto);
void cfnd_debug_show(struct vty *vty);

#endif
