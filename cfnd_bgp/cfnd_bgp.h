// SPDX-License-Identifier: GPL-2.0-or-later
#ifndef CFND_BGP_H
#define CFND_BGP_H

#define CFND_BGP_NAME "cfnd_bgp"

void cfnd_bgp_vty_init(void);

#endif
