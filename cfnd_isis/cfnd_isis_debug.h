// SPDX-License-Identifier: GPL-2.0-or-later
/* debug isis compute <database|advertise|report|routes|export> */
#ifndef CFND_ISIS_DEBUG_H
#define CFND_ISIS_DEBUG_H

#include "debug.h"

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

void cfnd_isis_debug_init(void);

#endif
