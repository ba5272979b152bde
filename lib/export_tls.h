// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * TLS 1.3 transport of the decision export client (OpenSSL): TCP to the
 * ledger, mutual certificate authentication.  The UNIX socket stays the
 * default; export.c uses this when its configuration has a tls part.
 *
 * The router presents its certificate (its record origin is the identity
 * the ledger checks) and checks the ledger's certificate against the CA
 * and the host name or address it connects to.  Everything is
 * non-blocking: the handshake runs inside export_tls_recv/send, which
 * report "try again" as -1 with errno EAGAIN.  See doc/export-tls.md.
 */
#ifndef CFN_EXPORT_TLS_H
#define CFN_EXPORT_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct export_tls_cfg {
	const char *host; /* address or name of the ledger */
	const char *port;
	const char *ca;	  /* PEM: the CA that signs ledger certificates */
	const char *cert; /* PEM: this router's certificate (chain) */
	const char *key;  /* PEM: its private key */
};

struct export_tls;

/* Load and check CA, certificate and key.  NULL with err. */
struct export_tls *export_tls_new(const struct export_tls_cfg *cfg, char *err,
				  size_t errlen);
void export_tls_free(struct export_tls *t);

/* Start a connection: a non-blocking fd, or -1 with err. */
int export_tls_connect(struct export_tls *t, char *err, size_t errlen);
/* Like recv/send: >0 bytes, 0 closed (recv), -1 with errno (EAGAIN: try
 * again when export_tls_want_write() says which way). */
ssize_t export_tls_recv(struct export_tls *t, void *buf, size_t len);
ssize_t export_tls_send(struct export_tls *t, const void *buf, size_t len);
/* The handshake needs the socket writable (TCP connecting, or a record
 * half sent). */
bool export_tls_want_write(const struct export_tls *t);
/* A send is waiting for the peer's handshake messages: do not poll for
 * writing until something was read. */
bool export_tls_write_blocked(const struct export_tls *t);
/* The last TLS failure, for the log ("certificate verify failed"...). */
const char *export_tls_error(const struct export_tls *t);
/* "HOST:PORT", for messages. */
const char *export_tls_peer(const struct export_tls *t);
void export_tls_close(struct export_tls *t);

/* recv(2)/send(2) on fd when t is NULL (the UNIX socket), TLS otherwise. */
ssize_t export_io_recv(struct export_tls *t, int fd, void *buf, size_t len);
ssize_t export_io_send(struct export_tls *t, int fd, const void *buf,
		       size_t len);

#endif
