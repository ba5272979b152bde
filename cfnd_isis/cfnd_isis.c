// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cfnd_isis: Computing First Networking for isisd.  Loaded with
 * 'isisd -M cfnd_isis'.  Plugs the IS-IS part into the model
 * (struct cfnd_daemon_ops) and starts every file's hooks.
 */
#include <zebra.h>

#include "command.h"
#include "libfrr.h"
#include "log.h"
#include "module.h"
#include "lib/version.h"

#include "isisd/isisd.h"
#include "isisd/isis_lsp.h"

#include "cfnd_common/cfnd_export.h"
#include "cfnd_common/cfnd_module.h"
#include "cfnd_common/cfnd_report.h"
#include "cfnd_isis.h"

DEFINE_MTYPE_STATIC(CFND, CFND_ISIS, "CFN IS-IS instance state");

struct isis_area *cfnd_isis_area(const struct cfnd_instance *inst)
{
	return isis_area_lookup(inst->tag, inst->vrf_id);
}

struct cfnd_instance *cfnd_isis_instance(const struct isis_area *area)
{
	struct cfnd_instance *inst;

	if (!area || !area->area_tag)
		return NULL;
	inst = cfnd_instance_find(area->isis->vrf_id, area->area_tag);
	return inst && inst->enabled ? inst : NULL;
}

static void isis_readvertise(struct cfnd_instance *inst)
{
	struct isis_area *area = cfnd_isis_area(inst);

	if (area)
		lsp_regenerate_schedule(area, area->is_type, 0);
}

static void *isis_instance_new(struct cfnd_instance *inst)
{
	struct cfnd_isis *ci = XCALLOC(MTYPE_CFND_ISIS, sizeof(*ci));

	ci->inst = inst;
	cfnd_frags_init(&ci->db);
	cfnd_steer_init(&ci->steer);
	return ci;
}

static void isis_instance_enable(struct cfnd_instance *inst, bool on)
{
	if (on) {
		/* the database as the LSDB has it now, under our app id */
		cfnd_db_resync(inst);
		cfnd_report_start();
		return;
	}
	cfnd_steer_clear(inst);
	cfnd_db_clear(inst);
}

static void isis_instance_free(struct cfnd_instance *inst)
{
	struct cfnd_isis *ci = cfnd_isis_of(inst);

	cfnd_steer_clear(inst);
	cfnd_steer_fini(inst);
	cfnd_db_clear(inst);
	XFREE(MTYPE_CFND_ISIS, ci);
	inst->daemon = NULL;
}

static const struct cfnd_daemon_ops isis_ops = {
	.name = CFND_ISIS_NAME,
	.default_app_id = CFND_DEFAULT_APP_ID,
	.readvertise = isis_readvertise,
	.instance_new = isis_instance_new,
	.instance_enable = isis_instance_enable,
	.instance_free = isis_instance_free,
	.hysteresis_changed = cfnd_steer_hysteresis_changed,
};

static int cfnd_isis_late_init(struct thread_master *master)
{
	cfnd_model_init(&isis_ops);
	cfnd_isis_debug_init();
	cfnd_isis_config_init();
	cfnd_isis_show_init();
	cfnd_isis_db_init();
	cfnd_isis_adv_init();
	cfnd_isis_steer_init();
	zlog_notice("%s %s loaded (FRR %s)", CFND_ISIS_NAME, CFN_VERSION,
		    FRR_VERSION);
	return 0;
}

static int cfnd_isis_fini(void)
{
	cfnd_isis_steer_fini();
	cfnd_export_fini();
	cfnd_report_fini();
	cfnd_isis_adv_fini();
	cfnd_isis_db_fini();
	cfnd_isis_config_fini();
	cfnd_isis_debug_fini();
	cfnd_model_fini();
	return 0;
}

static int cfnd_isis_module_init(void)
{
	if (!cfnd_build_matches(CFND_ISIS_NAME))
		return -1;
	/* The CLI does not exist yet at module init time. */
	hook_register(frr_late_init, cfnd_isis_late_init);
	hook_register(frr_fini, cfnd_isis_fini);
	return 0;
}

FRR_MODULE_SETUP(.name = CFND_ISIS_NAME, .version = CFN_VERSION,
		 .description = "Computing First Networking for IS-IS",
		 .init = cfnd_isis_module_init);
