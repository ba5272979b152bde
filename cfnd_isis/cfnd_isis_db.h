// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The compute database: every router's advertised services, per LSP
 * fragment that carried them, rebuilt from isisd's LSP events.
 */
#ifndef CFND_ISIS_DB_H
#define CFND_ISIS_DB_H

#include "typesafe.h"

#include "tlv.h"

struct cfnd_instance;
struct isis_lsp;
struct vty;

PREDECL_RBTREE_UNIQ(cfnd_frags);

/* What one LSP fragment of one router advertises. */
struct cfnd_frag {
	struct cfnd_frags_item item;
	int level;
	uint8_t lsp_id[8]; /* system id, pseudonode id, fragment number */
	uint32_t seqno;
	time_t updated;	   /* monotonic seconds */
	uint32_t bad_hash; /* hash of the bad TLVs last logged, 0 = none */
	unsigned int n_dropped;
	size_t n_entries;
	struct cfn_svc_entry *entries;
};

int cfnd_frag_cmp(const struct cfnd_frag *a, const struct cfnd_frag *b);
DECLARE_RBTREE_UNIQ(cfnd_frags, struct cfnd_frag, item, cfnd_frag_cmp);

void cfnd_db_clear(struct cfnd_instance *inst);
/* Re-reads the compute entries of every LSP in the area's database. */
void cfnd_db_resync(struct cfnd_instance *inst);

void cfnd_isis_db_init(void);
void cfnd_isis_db_fini(void);

#endif
