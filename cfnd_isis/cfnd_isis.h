// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cfnd_isis: the IS-IS part of the CFN modules.  The model (instances,
 * hosted services, load, report socket, export client) is cfnd_common/;
 * this part keeps, per instance, the compute database read from isisd's
 * LSPs and the steering state, and originates our entries in our LSP.
 */
#ifndef CFND_ISIS_H
#define CFND_ISIS_H

#include "cfnd_common/cfnd_model.h"
#include "cfnd_isis_db.h"
#include "cfnd_isis_steer.h"

#define CFND_ISIS_NAME "cfnd_isis"

/* RFC 6823 GENINFO; our application id has no IANA allocation yet. */
#define CFND_GENINFO_TLV CFN_GENINFO_TLV_TYPE
#define CFND_DEFAULT_APP_ID CFN_GENINFO_APP_ID_DEFAULT

struct isis_area;

/* The IS-IS part's state of one instance (cfnd_instance.daemon). */
struct cfnd_isis {
	struct cfnd_instance *inst;
	/* received entries of every router (ours included), per fragment */
	struct cfnd_frags_head db;
	struct cfnd_steer steer;
};

static inline struct cfnd_isis *cfnd_isis_of(const struct cfnd_instance *inst)
{
	return inst->daemon;
}

/* isisd's area of an instance, NULL when "router isis" is gone. */
struct isis_area *cfnd_isis_area(const struct cfnd_instance *inst);
/* The instance of an isisd area when compute-routing is on, else NULL. */
struct cfnd_instance *cfnd_isis_instance(const struct isis_area *area);

void cfnd_isis_adv_init(void);
void cfnd_isis_adv_fini(void);
void cfnd_isis_config_init(void);
void cfnd_isis_config_fini(void);
void cfnd_isis_show_init(void);
void cfnd_isis_debug_init(void);
void cfnd_isis_debug_fini(void);

#endif
