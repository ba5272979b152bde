// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cfn-ledgerd's TLS front: the export protocol over TCP with TLS 1.3 and
 * mutual certificate authentication, for routers on other machines.
 *
 * A thread accepts TLS connections; each is handshaken (the router must
 * present a certificate chaining to the CA, valid now), its first frame
 * must be a HELLO whose origin the certificate names (DNS SAN, or the
 * subject CN when it has no DNS SAN), and then the session is relayed,
 * byte for byte, to the daemon's own UNIX socket, so the event loop and
 * its checks are the same for both transports.  Refusals are logged with
 * their reason.  See doc/export-tls.md.
 */
#ifndef CFN_LEDGERD_TLS_H
#define CFN_LEDGERD_TLS_H

#include <stddef.h>

struct ld_tls_cfg {
	const char *listen; /* ADDR:PORT */
	const char *ca;	    /* CA of router certificates */
	const char *cert;   /* the ledger's certificate chain */
	const char *key;
	const char *unix_path; /* the daemon's socket (absolute) */
};

int ld_tls_start(const struct ld_tls_cfg *cfg, char *err, size_t errlen);
void ld_tls_stop(void);

#endif
