// SPDX-License-Identifier: GPL-2.0-or-later
/* TLS 1.3 transport of the export client (OpenSSL).  See export_tls.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "export_tls.h"

struct export_tls {
	SSL_CTX *ctx;
	SSL *ssl;
	int fd;
	bool want_write, write_blocked;
	char host[256], port[16], peer[300];
	char error[256];
};

/* file: the configured file the failure is about (named in the message) */
static void ssl_error_file(char *buf, size_t size, const char *what,
			   const char *file)
{
	unsigned long e = ERR_get_error();
	char s[200];

	if (e) {
		ERR_error_string_n(e, s, sizeof(s));
		snprintf(buf, size, "%s%s%s: %s", what, file ? " " : "",
			 file ? file : "", s);
	} else {
		snprintf(buf, size, "%s%s%s", what, file ? " " : "",
			 file ? file : "");
	}
	ERR_clear_error();
}

static void ssl_error(char *buf, size_t size, const char *what)
{
	ssl_error_file(buf, size, what, NULL);
}

struct export_tls *export_tls_new(const struct export_tls_cfg *cfg, char *err,
				  size_t errlen)
{
	struct export_tls *t = calloc(1, sizeof(*t));

	if (!t) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	t->fd = -1;
	snprintf(t->host, sizeof(t->host), "%s", cfg->host);
	snprintf(t->port, sizeof(t->port), "%s", cfg->port);
	snprintf(t->peer, sizeof(t->peer), "%s:%s", cfg->host, cfg->port);
	t->ctx = SSL_CTX_new(TLS_client_method());
	if (!t->ctx || !SSL_CTX_set_min_proto_version(t->ctx, TLS1_3_VERSION)) {
		ssl_error(err, errlen, "TLS context");
		goto fail;
	}
	if (SSL_CTX_load_verify_locations(t->ctx, cfg->ca, NULL) != 1) {
		ssl_error_file(err, errlen, "export tls ca", cfg->ca);
		goto fail;
	}
	if (SSL_CTX_use_certificate_chain_file(t->ctx, cfg->cert) != 1) {
		ssl_error_file(err, errlen, "export tls cert", cfg->cert);
		goto fail;
	}
	if (SSL_CTX_use_PrivateKey_file(t->ctx, cfg->key, SSL_FILETYPE_PEM) !=
		    1 ||
	    SSL_CTX_check_private_key(t->ctx) != 1) {
		ssl_error_file(err, errlen, "export tls key", cfg->key);
		goto fail;
	}
	SSL_CTX_set_verify(t->ctx, SSL_VERIFY_PEER, NULL);
	/* export.c resends from a buffer that may move and grow */
	SSL_CTX_set_mode(t->ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
					 SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	return t;
fail:
	export_tls_free(t);
	return NULL;
}

void export_tls_close(struct export_tls *t)
{
	if (t->ssl) {
		SSL_free(t->ssl);
		t->ssl = NULL;
	}
	if (t->fd >= 0) {
		close(t->fd);
		t->fd = -1;
	}
	t->want_write = t->write_blocked = false;
}

void export_tls_free(struct export_tls *t)
{
	if (!t)
		return;
	export_tls_close(t);
	SSL_CTX_free(t->ctx);
	free(t);
}

static bool is_ip(const char *s)
{
	unsigned char a[16];

	return inet_pton(AF_INET, s, a) == 1 || inet_pton(AF_INET6, s, a) == 1;
}

int export_tls_connect(struct export_tls *t, char *err, size_t errlen)
{
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM,
				 .ai_flags = AI_NUMERICSERV},
			*res, *ai;
	int rc, fd = -1;

	export_tls_close(t);
	rc = getaddrinfo(t->host, t->port, &hints, &res);
	if (rc) {
		snprintf(err, errlen, "%s: %s", t->peer, gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family,
			    SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd < 0)
			continue;
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0 ||
		    errno == EINPROGRESS)
			break;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", t->peer, strerror(errno));
		return -1;
	}
	t->ssl = SSL_new(t->ctx);
	/* the ledger's certificate must name what we connect to: its
	 * address (IP SAN) or its name (DNS SAN, also sent as SNI) */
	if (!t->ssl || SSL_set_fd(t->ssl, fd) != 1 ||
	    (is_ip(t->host) ? X509_VERIFY_PARAM_set1_ip_asc(
				      SSL_get0_param(t->ssl), t->host) != 1
			    : SSL_set_tlsext_host_name(t->ssl, t->host) != 1 ||
				      SSL_set1_host(t->ssl, t->host) != 1)) {
		ssl_error(err, errlen, "TLS session");
		SSL_free(t->ssl);
		t->ssl = NULL;
		close(fd);
		return -1;
	}
	SSL_set_connect_state(t->ssl);
	t->fd = fd;
	/* the ClientHello goes out as soon as the socket is writable */
	t->want_write = true;
	return fd;
}

/* Map an SSL_read/SSL_write result to recv/send conventions. */
static ssize_t io_result(struct export_tls *t, int n, const char *what)
{
	int e = SSL_get_error(t->ssl, n);

	t->want_write = false;
	switch (e) {
	case SSL_ERROR_NONE:
		return n;
	case SSL_ERROR_WANT_READ:
		errno = EAGAIN;
		return -1;
	case SSL_ERROR_WANT_WRITE:
		t->want_write = true;
		errno = EAGAIN;
		return -1;
	case SSL_ERROR_ZERO_RETURN:
		return 0;
	case SSL_ERROR_SYSCALL:
		if (errno == EAGAIN || errno == EINPROGRESS) {
			/* TCP still connecting */
			t->want_write = true;
			errno = EAGAIN;
			return -1;
		}
		snprintf(t->error, sizeof(t->error), "%s: %s", what,
			 errno ? strerror(errno) : "connection closed");
		errno = ECONNRESET;
		return -1;
	default: {
		long v = SSL_get_verify_result(t->ssl);

		if (v != X509_V_OK)
			snprintf(t->error, sizeof(t->error),
				 "%s: ledger certificate: %s", what,
				 X509_verify_cert_error_string(v));
		else
			ssl_error(t->error, sizeof(t->error), what);
		errno = ECONNRESET;
		return -1;
	}
	}
}

ssize_t export_tls_recv(struct export_tls *t, void *buf, size_t len)
{
	/* something arrived: a send waiting for it may go on */
	t->write_blocked = false;
	ERR_clear_error();
	return io_result(t, SSL_read(t->ssl, buf, (int)len), "TLS read");
}

ssize_t export_tls_send(struct export_tls *t, const void *buf, size_t len)
{
	ssize_t n;
	bool ww;

	ERR_clear_error();
	n = io_result(t, SSL_write(t->ssl, buf, (int)len), "TLS write");
	ww = t->want_write;
	t->write_blocked = n < 0 && errno == EAGAIN && !ww;
	return n;
}

bool export_tls_want_write(const struct export_tls *t)
{
	return t->ssl && t->want_write;
}

bool export_tls_write_blocked(const struct export_tls *t)
{
	return t->write_blocked;
}

ssize_t export_io_recv(struct export_tls *t, int fd, void *buf, size_t len)
{
	return t ? export_tls_recv(t, buf, len) : recv(fd, buf, len, 0);
}

ssize_t export_io_send(struct export_tls *t, int fd, const void *buf,
		       size_t len)
{
	return t ? export_tls_send(t, buf, len)
		 : send(fd, buf, len, MSG_NOSIGNAL);
}

const char *export_tls_error(const struct export_tls *t)
{
	return t->error[0] ? t->error : "TLS failure";
}

const char *export_tls_peer(const struct export_tls *t)
{
	return t->peer;
}
