// SPDX-License-Identifier: GPL-2.0-or-later
#ifndef CFND_ISIS_H
#define CFND_ISIS_H

#define CFND_ISIS_NAME "cfnd_isis"

void cfnd_isis_vty_init(void);

#endif
