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

#include "cfnd_common/cfnd_debug.h"
#include "cfnd_isis.h"
#include "cfnd_isis_db.h"
#include "cfnd_isis_steer.h"

DEFINE_MTYPE_STATIC(CFND, CFND_FRAG, "CFN compute LSP fragment");
DEFINE_MTYPE_STATIC(CFND, CFND_ENTRIES, "CFN compute entries");

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

void cfnd_db_clear(struct cfnd_instance *inst)
{
	struct cfnd_frag *f;

	while ((f = cfnd_frags_pop(&cfnd_isis_of(inst)->db)))
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
static size_t decode_lsp(struct cfnd_instance *inst, const struct isis_lsp *lsp,
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
		if (cfn_geninfo_decode(raw->value, raw->length, inst->app_id,
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
						   inst->app_id, &dec,
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
static bool db_update_lsp(struct cfnd_instance *inst, struct isis_lsp *lsp,
			  bool gone)
{
	struct cfnd_frags_head *db = &cfnd_isis_of(inst)->db;
	struct cfnd_frag key = {.level = lsp->level}, *f;
	struct cfn_svc_entry *entries = NULL;
	unsigned int dropped = 0;
	uint32_t bad_hash = 0;
	size_t n = 0;
	bool changed;

	memcpy(key.lsp_id, lsp->hdr.lsp_id, sizeof(key.lsp_id));
	f = cfnd_frags_find(db, &key);

	/* A purged LSP (zero lifetime) advertises nothing. */
	if (!gone && lsp->tlvs && lsp->hdr.rem_lifetime)
		n = decode_lsp(inst, lsp, f, &entries, &dropped, &bad_hash);

	if (n == 0 && bad_hash == 0) {
		if (!f)
			return false;
		changed = f->n_entries > 0;
		cfnd_frags_del(db, f);
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
		cfnd_frags_add(db, f);
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
	struct cfnd_instance *inst;

	if (!lsp->area || event == LSP_TICK)
		return 0;
	inst = cfnd_isis_instance(lsp->area);
	if (!inst)
		return 0;
	cfnd_steer_lsp_changed(inst, lsp, event == LSP_DEL);
	if (db_update_lsp(inst, lsp, event == LSP_DEL))
		cfnd_instance_db_changed(inst);
	return 0;
}

void cfnd_db_resync(struct cfnd_instance *inst)
{
	struct isis_area *area = cfnd_isis_area(inst);
	struct isis_lsp *lsp;
	bool changed = false;

	cfnd_db_clear(inst);
	if (!area || !inst->enabled)
		return;
	for (int level = IS_LEVEL_1; level <= IS_LEVEL_2; level++)
		frr_each (lspdb, &area->lspdb[level - 1], lsp)
			changed |= db_update_lsp(inst, lsp, false);
	if (changed)
		cfnd_instance_db_changed(inst);
}

void cfnd_isis_db_init(void)
{
	hook_register(isis_lsp_event_hook, cfnd_lsp_event);
}

void cfnd_isis_db_fini(void)
{
	hook_unregister(isis_lsp_event_hook, cfnd_lsp_event);
}
