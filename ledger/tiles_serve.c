// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cfn-ledger serve --dir D --listen ADDR:PORT
 *
 * The ledger, read-only, as C2SP tlog-tiles over HTTP (libmicrohttpd):
 * the signed checkpoint, hash tiles and entry bundles up to the
 * checkpoint's size.  Reads DIR like the other offline commands (safe
 * while cfn-ledgerd appends) and never writes; monitors and regulators
 * fetch from here without touching the writer.  Prints
 * "serving http://ADDR:PORT/" once listening; stops on SIGINT/SIGTERM.
 */
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "checkpoint.h"
#include "cli_token.h"
#include "store.h"
#include "tiles.h"

struct server {
	const char *dir;
	struct ledger_store *view; /* reopened when the checkpoint grows */
};

static enum MHD_Result reply(struct MHD_Connection *c, unsigned status,
			     void *body, size_t len, const char *type,
			     const char *cache)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(
		len, body, MHD_RESPMEM_MUST_FREE);
	enum MHD_Result rc;

	if (!r) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (cache)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL,
					cache);
	rc = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return rc;
}

static enum MHD_Result text(struct MHD_Connection *c, unsigned status,
			    const char *msg)
{
	char *b = strdup(msg);

	return b ? reply(c, status, b, strlen(b), "text/plain; charset=utf-8",
			 "no-store")
		 : MHD_NO;
}

/* The current checkpoint (malloc'd) and its size; the view covers it. */
static int current(struct server *sv, char **note, size_t *len, uint64_t *size)
{
	struct checkpoint ck;
	char err[256];

	if (checkpoint_read(sv->dir, note, len, err, sizeof(err)) < 0)
		return -1;
	if (checkpoint_parse(*note, *len, &ck, err, sizeof(err)) < 0) {
		free(*note);
		return -1;
	}
	*size = ck.size;
	if (!sv->view || store_size(sv->view) < ck.size) {
		store_close(sv->view);
		sv->view = NULL;
		if (store_open_ro(sv->dir, &sv->view, NULL, err, sizeof(err)) <
			    0 ||
		    store_size(sv->view) < ck.size) {
			free(*note);
			return -1;
		}
	}
	return 0;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c,
			      const char *url, const char *method,
			      const char *version, const char *upload_data,
			      size_t *upload_size, void **con_cls)
{
	struct server *sv = cls;
	struct tile t;
	char *note, err[256];
	uint8_t *body;
	size_t len;
	uint64_t size;

	(void)version;
	(void)upload_data;
	(void)con_cls;
	if (strcmp(method, MHD_HTTP_METHOD_GET) &&
	    strcmp(method, MHD_HTTP_METHOD_HEAD))
		return text(c, MHD_HTTP_METHOD_NOT_ALLOWED,
			    "read-only log: GET only\n");
	if (*upload_size)
		return text(c, MHD_HTTP_BAD_REQUEST, "no body expected\n");
	if (current(sv, &note, &len, &size) < 0)
		return text(c, MHD_HTTP_SERVICE_UNAVAILABLE,
			    "no readable checkpoint\n");
	if (!strcmp(url, "/checkpoint"))
		/* mutable: "SHOULD prevent caching beyond a few seconds" */
		return reply(c, MHD_HTTP_OK, note, len,
			     "text/plain; charset=utf-8", "max-age=2");
	free(note);
	if (url[0] != '/' || tile_parse(url + 1, &t) < 0)
		return text(c, MHD_HTTP_NOT_FOUND, "not a tlog-tiles path\n");
	if (tile_build(sv->view, size, &t, &body, &len, err, sizeof(err)) < 0)
		return text(c, MHD_HTTP_NOT_FOUND, "no such tile\n");
	return reply(c, MHD_HTTP_OK, body, len, "application/octet-stream",
		     "public, max-age=31536000, immutable");
}

int cli_serve(int argc, char **argv, const struct cli_opts *o)
{
	const char *dir = o->dir, *listen = NULL;
	struct server sv = {0};
	struct addrinfo hints = {.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV,
				 .ai_socktype = SOCK_STREAM},
			*ai = NULL;
	struct MHD_Daemon *d;
	const union MHD_DaemonInfo *info;
	char host[256], *port;
	sigset_t set;
	int sig;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--dir") && i + 1 < argc)
			dir = argv[++i];
		else if (!strcmp(argv[i], "--listen") && i + 1 < argc)
			listen = argv[++i];
		else
			listen = NULL, i = argc;
	}
	if (!dir || !listen || strlen(listen) >= sizeof(host)) {
		cli_err("serve", "usage: serve --dir D --listen ADDR:PORT");
		return 2;
	}
	/* ADDR:PORT or [V6ADDR]:PORT */
	strcpy(host, listen[0] == '[' ? listen + 1 : listen);
	port = strrchr(host, ':');
	if (!port || (listen[0] == '[' && port[-1] != ']')) {
		cli_err("serve", "--listen wants ADDR:PORT or [ADDR]:PORT");
		return 2;
	}
	*port++ = '\0';
	if (listen[0] == '[')
		port[-2] = '\0';
	if (getaddrinfo(host, port, &hints, &ai) != 0) {
		cli_err("serve", "bad address %s", listen);
		return 2;
	}
	sv.dir = dir;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL); /* before MHD's thread */
	d = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD |
			(ai->ai_family == AF_INET6 ? MHD_USE_IPv6 : 0),
		0, NULL, NULL, handle, &sv, MHD_OPTION_SOCK_ADDR, ai->ai_addr,
		MHD_OPTION_END);
	freeaddrinfo(ai);
	if (!d) {
		cli_err("serve", "cannot listen on %s", listen);
		return 1;
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	printf("serving %s on http://%s%s%s:%u/\n", dir,
	       listen[0] == '[' ? "[" : "", host, listen[0] == '[' ? "]" : "",
	       info ? info->port : 0);
	fflush(stdout);
	sigwait(&set, &sig);
	MHD_stop_daemon(d);
	store_close(sv.view);
	return 0;
}
