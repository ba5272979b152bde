// SPDX-License-Identifier: GPL-2.0-or-later
/* debug bgp compute <receive|send|select|all> */
#ifndef CFND_BGP_DEBUG_H
#define CFND_BGP_DEBUG_H

#include "debug.h"

extern struct debug cfnd_bgp_debug_rx;
extern struct debug cfnd_bgp_debug_tx;
extern struct debug cfnd_bgp_debug_sel;

#define IS_DEBUG_CFN_BGP_RX DEBUG_MODE_CHECK(&cfnd_bgp_debug_rx, DEBUG_MODE_ALL)
#define IS_DEBUG_CFN_BGP_TX DEBUG_MODE_CHECK(&cfnd_bgp_debug_tx, DEBUG_MODE_ALL)
#define IS_DEBUG_CFN_BGP_SEL                                                   \
	DEBUG_MODE_CHECK(&cfnd_bgp_debug_sel, DEBUG_MODE_ALL)

#endif
