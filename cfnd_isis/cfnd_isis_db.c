// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Receive side: GENINFO TLVs with our application id, kept raw by isisd
 * (FRR patch 0003), are decoded on every LSP event into the compute
 * database.  Malformed entries are skipped with one log line per LSP
 * content, never affecting the rest of the LSP or the LSP itself.
 */
#include <zebra.h>

#include "command.h"
#include "hook.h"
#include "jhash.h"
#include "json.h"
#include "memory.h"
#include "monotime.h"
#include "vty.h"

#include "isisd/isisd.h"
#include "isisd/isis_lsp.h"
#include "isisd/isis_misc.h"
#include "isisd/isis_te.h"
#include "isisd/isis_tlvs.h"

#include "cfnd_isis.h"
#include "cfnd_isis_db.h"
#include "cfnd_isis_debug.h"

#ifndef VTYSH_EXTRACT_PL
#include "cfnd_isis/cfnd_isis_db_clippy.c"
#endif

DEFINE_MTYPE_STATIC(ISISD, CFND_FRAG, "CFN compute LSP fragment");
DEFINE_MTYPE_STATIC(ISISD, CFND_ENTRIES, "CFN compute entries");

void cfnd_prefix_from_svc(const struct cfn_svc_prefix *sp, struct prefix *p)
{
	memset(p, 0, sizeof(*p));
	p->family = sp->afi == CFN_AFI_IPV4 ? AF_INET : AF_INET6;
	p->prefixlen = sp->plen;
	memcpy(&p->u.prefix, sp->addr, sp->afi == CFN_AFI_IPV4 ? 4 : 16);
}

int cfnd_frag_cmp(const struct cfnd_frag *a, const struct cfnd_frag *b)
{
	if (a->level != b->level)
		return a->level - b->level;
	return memcmp(a->lsp_id, b->lsp_id, sizeof(a->lsp_id));
}

static void frag_free(struct cfnd_frag *f)
{
	XFREE(MTYPE_CFND_ENTRIES, f->entries);
	XFREE(MTYPE_CFND_FRAG, f);
}

void cfnd_db_init(struct cfnd_area *ca)
{
	cfnd_frags_init(&ca->db);
}

void cfnd_db_clear(struct cfnd_area *ca)
{
	struct cfnd_frag *f;

	while ((f = cfnd_frags_pop(&ca->db)))
		frag_free(f);
}

struct decode_log {
	const struct isis_lsp *lsp;
	bool verbose;
	unsigned int dropped;
	unsigned int problems;
};

static void count_problem(void *arg, const struct cfn_gi_report *r)
{
	struct decode_log *dl = arg;

	dl->problems++;
	if (r->dropped)
		dl->dropped++;
	if (dl->verbose)
		zlog_warn("%s: LSP %s: compute entry %d: %s%s", CFND_ISIS_NAME,
			  rawlspid_print(dl->lsp->hdr.lsp_id), r->entry,
			  r->reason, r->dropped ? " (skipped)" : "");
}

/*
 * The compute entries an LSP carries for our application id.  Problems are
 * logged once per distinct bad TLV content (the hash of the offending TLVs
 * is kept in the fragment), not again at every refresh of the LSP.
 */
static size_t decode_lsp(struct cfnd_area *ca, const struct isis_lsp *lsp,
			 struct cfnd_frag *old, struct cfn_svc_entry **out,
			 unsigned int *dropped, uint32_t *bad_hash)
{
	static struct cfn_geninfo_decoded dec;
	struct decode_log dl = {.lsp = lsp};
	struct cfn_svc_entry *entries = NULL;
	uint32_t hash = 0;
	size_t n = 0;

	for (const struct isis_raw_tlv *raw = lsp->tlvs->raw_tlvs; raw;
	     raw = raw->next) {
		unsigned int problems = dl.problems;

		if (raw->type != CFND_GENINFO_TLV)
			continue;
		if (cfn_geninfo_decode(raw->value, raw->length, ca->app_id,
				       &dec, count_problem,
				       &dl) == CFN_GI_OTHER_APP)
			continue;
		if (dl.problems != problems)
			hash = jhash(raw->value, raw->length,
				     hash ^ raw->length);
		if (!dec.n_entries)
			continue;
		entries = XREALLOC(MTYPE_CFND_ENTRIES, entries,
				   (n + dec.n_entries) * sizeof(*entries));
		memcpy(entries + n, dec.entries,
		       dec.n_entries * sizeof(*entries));
		n += dec.n_entries;
	}
	if (dl.problems && (!old || old->bad_hash != hash)) {
		/* again, now logging each problem */
		dl.verbose = true;
		for (const struct isis_raw_tlv *raw = lsp->tlvs->raw_tlvs; raw;
		     raw = raw->next)
			if (raw->type == CFND_GENINFO_TLV)
				cfn_geninfo_decode(raw->value, raw->length,
						   ca->app_id, &dec,
						   count_problem, &dl);
	}
	*out = entries;
	*dropped = dl.dropped;
	*bad_hash = hash;
	return n;
}

static bool entries_equal(const struct cfnd_frag *f,
			  const struct cfn_svc_entry *e, size_t n)
{
	if (f->n_entries != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!cfn_svc_entry_equal(&f->entries[i], &e[i]))
			return false;
	return true;
}

/* Returns true when the database changed. */
static bool db_update_lsp(struct cfnd_area *ca, struct isis_lsp *lsp, bool gone)
{
	struct cfnd_frag key = {.level = lsp->level}, *f;
	struct cfn_svc_entry *entries = NULL;
	unsigned int dropped = 0;
	uint32_t bad_hash = 0;
	size_t n = 0;
	bool changed;

	memcpy(key.lsp_id, lsp->hdr.lsp_id, sizeof(key.lsp_id));
	f = cfnd_frags_find(&ca->db, &key);

	/* A purged LSP (zero lifetime) advertises nothing. */
	if (!gone && lsp->tlvs && lsp->hdr.rem_lifetime)
		n = decode_lsp(ca, lsp, f, &entries, &dropped, &bad_hash);

	if (n == 0 && bad_hash == 0) {
		if (!f)
			return false;
		changed = f->n_entries > 0;
		cfnd_frags_del(&ca->db, f);
		frag_free(f);
		if (changed && IS_DEBUG_CFN_DB)
			zlog_debug(
				"%s: %s no longer advertises compute entries",
				CFND_ISIS_NAME,
				rawlspid_print(lsp->hdr.lsp_id));
		return changed;
	}
	if (!f) {
		f = XCALLOC(MTYPE_CFND_FRAG, sizeof(*f));
		*f = key;
		cfnd_frags_add(&ca->db, f);
	}
	changed = !entries_equal(f, entries, n);
	XFREE(MTYPE_CFND_ENTRIES, f->entries);
	f->entries = entries;
	f->n_entries = n;
	f->n_dropped = dropped;
	f->seqno = lsp->hdr.seqno;
	f->updated = monotime(NULL);
	f->bad_hash = bad_hash;
	if (changed && IS_DEBUG_CFN_DB)
		zlog_debug("%s: %s seq 0x%08x advertises %zu compute entries",
			   CFND_ISIS_NAME, rawlspid_print(lsp->hdr.lsp_id),
			   lsp->hdr.seqno, n);
	return changed;
}

static int cfnd_lsp_event(struct isis_lsp *lsp, int event)
{
	struct cfnd_area *ca;

	if (!lsp->area || event == LSP_TICK)
		return 0;
	ca = cfnd_area_find(lsp->area->area_tag);
	if (!ca || !ca->enabled)
		return 0;
	cfnd_steer_lsp_changed(ca, lsp, event == LSP_DEL);
	if (db_update_lsp(ca, lsp, event == LSP_DEL))
		cfnd_area_db_changed(ca);
	return 0;
}

void cfnd_db_resync(struct cfnd_area *ca)
{
	struct isis_area *area = isis_area_lookup(ca->tag, VRF_DEFAULT);
	struct isis_lsp *lsp;
	bool changed = false;

	cfnd_db_clear(ca);
	if (!area || !ca->enabled)
		return;
	for (int level = IS_LEVEL_1; level <= IS_LEVEL_2; level++)
		frr_each (lspdb, &area->lspdb[level - 1], lsp)
			changed |= db_update_lsp(ca, lsp, false);
	if (changed)
		cfnd_area_db_changed(ca);
}

void cfnd_isis_db_init(void)
{
	hook_register(isis_lsp_event_hook, cfnd_lsp_event);
}

void cfnd_isis_db_fini(void)
{
	hook_unregister(isis_lsp_event_hook, cfnd_lsp_event);
}

/* show isis compute database */

static void entry_json(json_object *o, const struct cfn_svc_entry *e)
{
	char buf[CFN_SVCPREFIX_STRLEN];

	json_object_string_add(
		o, "prefix", cfn_svc_prefix_str(&e->prefix, buf, sizeof(buf)));
	json_object_int_add(o, "metric", e->metric);
	json_object_boolean_add(o, "eligible",
				e->metric != CFN_METRIC_INELIGIBLE);
	if (e->present & CFN_SE_CAP_TOTAL)
		json_object_int_add(o, "capacityTotal", e->cap_total);
	if (e->present & CFN_SE_CAP_AVAIL)
		json_object_int_add(o, "capacityAvailable", e->cap_avail);
	if (e->present & CFN_SE_CPU)
		json_object_int_add(o, "cpuUtilization", e->cpu_pct);
	if (e->present & CFN_SE_MEM)
		json_object_int_add(o, "memoryUtilization", e->mem_pct);
	if (e->present & CFN_SE_GPU)
		json_object_int_add(o, "gpuUtilization", e->gpu_pct);
	if (e->present & CFN_SE_SCORE)
		json_object_int_add(o, "score", e->score);
	if (e->present & CFN_SE_PRICE)
		json_object_double_add(o, "price", e->price_milli / 1000.0);
	if (e->present & CFN_SE_SITE)
		json_object_string_add(o, "siteId", e->site_id);
}

static void entry_text(struct vty *vty, const char *router,
		       const struct cfnd_frag *f, const struct cfn_svc_entry *e,
		       time_t age)
{
	char buf[CFN_SVCPREFIX_STRLEN], metric[16], avail[24] = "-";

	if (e->metric == CFN_METRIC_INELIGIBLE)
		strlcpy(metric, "inelig.", sizeof(metric));
	else
		snprintf(metric, sizeof(metric), "%u", e->metric);
	if ((e->present & CFN_SE_CAP_AVAIL) && (e->present & CFN_SE_CAP_TOTAL))
		snprintf(avail, sizeof(avail), "%u/%u", e->cap_avail,
			 e->cap_total);
	vty_out(vty, "%-16s %-28s %10s %13s %-20s L%d %5lds\n", router,
		cfn_svc_prefix_str(&e->prefix, buf, sizeof(buf)), metric, avail,
		rawlspid_print(f->lsp_id), f->level, (long)age);
}

DEFPY(show_isis_compute_database, show_isis_compute_database_cmd,
      "show isis compute database [json]$json",
      SHOW_STR
      "IS-IS information\n"
      "Computing First Networking\n"
      "Compute capacity advertised by every router\n" JSON_STR)
{
	json_object *top = json ? json_object_new_object() : NULL;
	struct cfnd_area *ca;
	time_t now = monotime(NULL);

	if (!json)
		vty_out(vty, "%-16s %-28s %10s %13s %-20s %s %6s\n", "Router",
			"Service", "Metric", "Avail/Total", "LSP", "Lv", "Age");
	frr_each (cfnd_areas, &cfnd_areas, ca) {
		struct cfnd_frag *f;

		frr_each (cfnd_frags, &ca->db, f) {
			const char *router = print_sys_hostname(f->lsp_id);
			json_object *list = NULL;

			if (json) {
				list = json_object_object_get(top, router);
				if (!list) {
					list = json_object_new_array();
					json_object_object_add(top, router,
							       list);
				}
			}
			for (size_t i = 0; i < f->n_entries; i++) {
				const struct cfn_svc_entry *e = &f->entries[i];

				if (!json) {
					entry_text(vty, router, f, e,
						   now - f->updated);
					continue;
				}
				json_object *o = json_object_new_object();

				entry_json(o, e);
				json_object_string_add(o, "area", ca->tag);
				json_object_int_add(o, "level", f->level);
				json_object_string_add(
					o, "lsp", rawlspid_print(f->lsp_id));
				json_object_int_add(o, "sequence", f->seqno);
				json_object_int_add(o, "age", now - f->updated);
				json_object_array_add(list, o);
			}
			if (f->n_dropped && !json)
				vty_out(vty,
					"%-16s (%u malformed entries skipped in %s)\n",
					router, f->n_dropped,
					rawlspid_print(f->lsp_id));
		}
	}
	if (json)
		vty_json(vty, top);
	return CMD_SUCCESS;
}

void cfnd_isis_db_vty_init(void)
{
	install_element(VIEW_NODE, &show_isis_compute_database_cmd);
}
