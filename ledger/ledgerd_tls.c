// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cfn-ledgerd's TLS front (OpenSSL): accept, handshake, pass the daemon's
 * CHALLENGE on, check the router's identity against its HELLO (whose
 * signature the daemon checks), relay to the UNIX socket.  One
 * thread per session with blocking I/O: routers are few, and a session
 * never holds a lock or touches the daemon's state.  See ledgerd_tls.h.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <syslog.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "export_proto.h"
#include "ledgerd.h"
#include "ledgerd_tls.h"
#include "util.h"
#include "witness_net.h"

#define HANDSHAKE_TIMEOUT_S 10
#define HELLO_MAX 4096

static struct {
	SSL_CTX *ctx;
	int lfd;
	pthread_t thread;
	char *unix_path;
	bool running;
} T = {.lfd = -1};

struct session {
	int fd;
	char peer[INET6_ADDRSTRLEN + 8];
};

static void tls_reason(SSL *ssl, char *buf, size_t size)
{
	long v = ssl ? SSL_get_verify_result(ssl) : X509_V_OK;
	unsigned long e = ERR_get_error();

	if (v != X509_V_OK)
		snprintf(buf, size, "certificate: %s",
			 X509_verify_cert_error_string(v));
	else if (e)
		ERR_error_string_n(e, buf, size);
	else
		snprintf(buf, size, "connection closed during the handshake");
	ERR_clear_error();
}

/* Read the first frame (it must be HELLO) into buf; its length or -1. */
static int read_full(int fd, uint8_t *buf, size_t len)
{
	while (len) {
		ssize_t r = read(fd, buf, len);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		buf += r;
		len -= (size_t)r;
	}
	return 0;
}

static int read_hello(SSL *ssl, uint8_t *buf, size_t size,
		      struct export_hello *h, char *why, size_t wlen)
{
	size_t len = 0, used;
	struct export_frame f;
	int code, rc;

	for (;;) {
		int n = SSL_read(ssl, buf + len, (int)(size - len));

		if (n <= 0) {
			snprintf(why, wlen, "no HELLO");
			return -1;
		}
		len += (size_t)n;
		rc = export_frame_parse(buf, len, &f, &used, &code, why, wlen);
		if (rc < 0)
			return -1;
		if (rc == 1)
			break;
		if (len == size) {
			snprintf(why, wlen, "HELLO too large");
			return -1;
		}
	}
	if (f.type != EXPORT_MSG_HELLO) {
		snprintf(why, wlen, "first message is not HELLO");
		return -1;
	}
	if (export_dec_hello(&f, h, why, wlen) < 0)
		return -1;
	return (int)len;
}

/*
 * The daemon's first frame (its CHALLENGE, or an ERROR refusing us) from
 * the UNIX socket into buf; its length or -1.  The client needs it before
 * it can sign its HELLO.
 */
static int read_first_frame(int ufd, uint8_t *buf, size_t size)
{
	uint32_t n;

	if (size < EXPORT_HDR_LEN || read_full(ufd, buf, EXPORT_HDR_LEN) < 0)
		return -1;
	n = get_be32(buf);
	if (n > size - EXPORT_HDR_LEN ||
	    read_full(ufd, buf + EXPORT_HDR_LEN, n) < 0)
		return -1;
	return (int)(EXPORT_HDR_LEN + n);
}

static int unix_connect(void)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", T.unix_path);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* Both ways until either side closes. */
static void relay(SSL *ssl, int tfd, int ufd)
{
	char buf[16384];

	for (;;) {
		struct pollfd p[2] = {{.fd = tfd, .events = POLLIN},
				      {.fd = ufd, .events = POLLIN}};
		int n;

		if (!SSL_pending(ssl) && poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		if (SSL_pending(ssl) || p[0].revents) {
			n = SSL_read(ssl, buf, sizeof(buf));
			if (n <= 0) {
				if (SSL_get_error(ssl, n) ==
				    SSL_ERROR_WANT_READ)
					continue;
				return;
			}
			if (write_all(ufd, buf, (size_t)n) < 0)
				return;
		}
		if (p[1].revents) {
			ssize_t r = read(ufd, buf, sizeof(buf));

			if (r <= 0 || SSL_write(ssl, buf, (int)r) != (int)r)
				return;
		}
	}
}

static void *session(void *arg)
{
	struct session *s = arg;
	struct timeval tv = {.tv_sec = HANDSHAKE_TIMEOUT_S};
	struct timeval none = {0};
	struct export_hello h;
	uint8_t hello[HELLO_MAX];
	char why[256];
	SSL *ssl = SSL_new(T.ctx);
	X509 *cert;
	int len, ufd = -1;

	setsockopt(s->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(s->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (!ssl || SSL_set_fd(ssl, s->fd) != 1 || SSL_accept(ssl) != 1) {
		tls_reason(ssl, why, sizeof(why));
		ld_log(LOG_WARNING, "tls %s: refused: %s", s->peer, why);
		goto out;
	}
	cert = SSL_get0_peer_certificate(ssl);
	if (!cert) { /* SSL_VERIFY_FAIL_IF_NO_PEER_CERT makes this moot */
		ld_log(LOG_WARNING, "tls %s: refused: no certificate", s->peer);
		goto out;
	}
	ufd = unix_connect();
	if (ufd < 0) {
		ld_log(LOG_ERR, "tls %s: cannot reach %s: %s", s->peer,
		       T.unix_path, strerror(errno));
		goto out;
	}
	len = read_first_frame(ufd, hello, sizeof(hello));
	if (len < 0 || SSL_write(ssl, hello, len) != len) {
		ld_log(LOG_WARNING, "tls %s: no challenge from %s", s->peer,
		       T.unix_path);
		goto out;
	}
	len = read_hello(ssl, hello, sizeof(hello), &h, why, sizeof(why));
	if (len < 0) {
		ld_log(LOG_WARNING, "tls %s: refused: %s", s->peer, why);
		goto out;
	}
	if (X509_check_host(cert, h.name, strlen(h.name),
			    X509_CHECK_FLAG_NO_WILDCARDS, NULL) != 1) {
		char subj[256];

		X509_NAME_oneline(X509_get_subject_name(cert), subj,
				  sizeof(subj));
		ld_log(LOG_WARNING,
		       "tls %s: refused: certificate %s does not name origin "
		       "%s",
		       s->peer, subj, h.name);
		goto out;
	}
	ld_log(LOG_INFO, "tls %s: origin %s authenticated (TLS 1.3)", s->peer,
	       h.name);
	setsockopt(s->fd, SOL_SOCKET, SO_RCVTIMEO, &none, sizeof(none));
	setsockopt(s->fd, SOL_SOCKET, SO_SNDTIMEO, &none, sizeof(none));
	if (write_all(ufd, hello, (size_t)len) == 0)
		relay(ssl, s->fd, ufd);
out:
	if (ssl) {
		SSL_shutdown(ssl);
		SSL_free(ssl);
	}
	if (ufd >= 0)
		close(ufd);
	close(s->fd);
	free(s);
	return NULL;
}

static void *acceptor(void *arg)
{
	for (;;) {
		struct sockaddr_storage ss;
		socklen_t sl = sizeof(ss);
		struct session *s;
		pthread_t t;
		int fd = accept4(T.lfd, (struct sockaddr *)&ss, &sl,
				 SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED ||
			    errno == EMFILE || errno == ENFILE)
				continue;
			return NULL; /* shut down */
		}
		s = calloc(1, sizeof(*s));
		if (!s) {
			close(fd);
			continue;
		}
		s->fd = fd;
		if (ss.ss_family == AF_INET6)
			inet_ntop(AF_INET6,
				  &((struct sockaddr_in6 *)&ss)->sin6_addr,
				  s->peer, sizeof(s->peer));
		else
			inet_ntop(AF_INET,
				  &((struct sockaddr_in *)&ss)->sin_addr,
				  s->peer, sizeof(s->peer));
		if (pthread_create(&t, NULL, session, s) != 0) {
			close(fd);
			free(s);
			continue;
		}
		pthread_detach(t);
	}
}

int ld_tls_start(const struct ld_tls_cfg *cfg, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int one = 1;

	if (net_parse_listen(cfg->listen, &ss, &sl) < 0)
		return cfn_err(err, errlen, "bad --tls-listen %s (ADDR:PORT)",
			       cfg->listen);
	T.ctx = SSL_CTX_new(TLS_server_method());
	if (!T.ctx || !SSL_CTX_set_min_proto_version(T.ctx, TLS1_3_VERSION) ||
	    SSL_CTX_use_certificate_chain_file(T.ctx, cfg->cert) != 1 ||
	    SSL_CTX_use_PrivateKey_file(T.ctx, cfg->key, SSL_FILETYPE_PEM) !=
		    1 ||
	    SSL_CTX_check_private_key(T.ctx) != 1 ||
	    SSL_CTX_load_verify_locations(T.ctx, cfg->ca, NULL) != 1) {
		char e[256];

		tls_reason(NULL, e, sizeof(e));
		return cfn_err(err, errlen, "tls: %s", e);
	}
	SSL_CTX_set_client_CA_list(T.ctx, SSL_load_client_CA_file(cfg->ca));
	SSL_CTX_set_verify(
		T.ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
	/* no post-handshake tickets: the relay reads only application data */
	SSL_CTX_set_num_tickets(T.ctx, 0);
	T.unix_path = strdup(cfg->unix_path);
	T.lfd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (T.lfd < 0 ||
	    setsockopt(T.lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(T.lfd, (struct sockaddr *)&ss, sl) < 0 ||
	    listen(T.lfd, 64) < 0)
		return cfn_err(err, errlen, "tls listen %s: %s", cfg->listen,
			       strerror(errno));
	if (pthread_create(&T.thread, NULL, acceptor, NULL) != 0)
		return cfn_err(err, errlen, "tls: cannot start its thread");
	T.running = true;
	ld_log(LOG_NOTICE,
	       "tls: listening on %s (TLS 1.3, client certificates "
	       "from %s)",
	       cfg->listen, cfg->ca);
	return 0;
}

void ld_tls_stop(void)
{
	if (!T.running)
		return;
	shutdown(T.lfd, SHUT_RDWR);
	pthread_join(T.thread, NULL);
	close(T.lfd);
	T.running = false;
	/* sessions end with the process; their relays hold no state */
}
