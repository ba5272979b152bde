// SPDX-License-Identifier: GPL-2.0-or-later
#include <zebra.h>
#include "cfnd_isis.h"
void cfnd_export_decision(struct cfnd_area *ca, struct cfnd_route *r)
{
	r->export_seq++;
}
