// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Decision export to the ledger: one export client per daemon (lib/export),
 * configured once ("export socket PATH key FILE [spool FILE]" or "export
 * tls HOST PORT ca FILE cert FILE key FILE sign-key FILE [spool FILE]" in any
 * compute-routing instance).  Steering hands over a finished decision;
 * this file signs it as a ledger record (lib/record) and submits it.
 */
#ifndef CFND_EXPORT_H
#define CFND_EXPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "record.h"
#include "svcprefix.h"

struct vty;

/* A steering decision as the ledger records it. */
struct cfnd_decision {
	struct cfn_svc_prefix prefix;
	uint32_t nsites; /* 0: back to plain routing */
	char sites[RECORD_SITES_MAX][RECORD_NAME_MAX + 1];
	uint32_t npath; /* router names from us to the first site */
	char path[RECORD_PATH_MAX][RECORD_NAME_MAX + 1];
	uint64_t cost, distance;
	uint32_t metric;
};

/*
 * Starts exporting with this router's key; refused (-1 with err, the old
 * configuration kept) when the key cannot sign.
 */
int cfnd_export_configure(const char *sock, const char *keyfile,
			  const char *spool, char *err, size_t errlen);
struct export_tls_cfg;
/*
 * The same over TLS 1.3 (doc/export-tls.md): tls->key is the TLS private
 * key, signkey the router's Ed25519 signing key.  CA, certificate and key
 * are loaded first: refused with err, the old configuration kept.
 */
int cfnd_export_configure_tls(const struct export_tls_cfg *tls,
			      const char *signkey, const char *spool, char *err,
			      size_t errlen);
void cfnd_export_unconfigure(void);
/* True when decisions go anywhere: skip building them otherwise. */
bool cfnd_export_enabled(void);
/* Signs and submits; the record's sequence number, 0 when not exported. */
uint64_t cfnd_export_decision(const struct cfnd_decision *d);
/* "  export socket ..." (indent included) when configured. */
void cfnd_export_config_write(struct vty *vty);
/* Body of "show <isis|bgp> compute export [json]". */
void cfnd_export_show(struct vty *vty, bool json);
void cfnd_export_fini(void);

#endif
