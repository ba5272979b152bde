// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cfn-witness: the C2SP tlog-witness HTTP interface on libmicrohttpd.
 *
 *   cfn-witness --listen ADDR:PORT --key WITNESS.key --state DIR
 *               --policy FILE [--print-vkey]
 *
 * POST /add-checkpoint only (witness.c does the work); bodies are bounded
 * (WITNESS_REQ_MAX), connections time out, and the witness state is
 * durable before any answer.  SIGTERM/SIGINT stop it.
 */
#include <getopt.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "util.h"
#include "witness.h"
#include "witness_net.h"
#include "witness_req.h"

#define PATH_ADD "/add-checkpoint"

struct upload {
	char *buf;
	size_t len;
	bool too_big;
};

static enum MHD_Result send_text(struct MHD_Connection *conn, int status,
				 const char *ctype, const char *body,
				 size_t len)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(
		len, (void *)body, MHD_RESPMEM_MUST_COPY);
	enum MHD_Result rc;

	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
	rc = MHD_queue_response(conn, (unsigned int)status, resp);
	MHD_destroy_response(resp);
	return rc;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn,
			      const char *url, const char *method,
			      const char *version, const char *data,
			      size_t *data_size, void **con_cls)
{
	struct witness *w = cls;
	struct upload *u = *con_cls;
	struct witness_reply r;
	static const char notfound[] = "not found\n", bad[] = "POST only\n",
			  big[] = "request too large\n";

	if (strcmp(url, PATH_ADD) != 0)
		return send_text(conn, 404, "text/plain", notfound,
				 sizeof(notfound) - 1);
	if (strcmp(method, MHD_HTTP_METHOD_POST) != 0)
		return send_text(conn, 405, "text/plain", bad, sizeof(bad) - 1);
	if (!u) {
		u = calloc(1, sizeof(*u));
		if (!u)
			return MHD_NO;
		*con_cls = u;
		return MHD_YES;
	}
	if (*data_size) {
		if (u->len + *data_size > WITNESS_REQ_MAX) {
			u->too_big = true;
		} else if (!u->too_big) {
			char *n = realloc(u->buf, u->len + *data_size + 1);

			if (!n)
				return MHD_NO;
			u->buf = n;
			memcpy(u->buf + u->len, data, *data_size);
			u->len += *data_size;
		}
		*data_size = 0;
		return MHD_YES;
	}
	if (u->too_big)
		return send_text(conn, 413, "text/plain", big, sizeof(big) - 1);
	witness_add_checkpoint(w, u->buf ? u->buf : "", u->len, &r);
	return send_text(conn, r.status, r.ctype, r.body, r.len);
}

static void done(void *cls, struct MHD_Connection *conn, void **con_cls,
		 enum MHD_RequestTerminationCode toe)
{
	struct upload *u = *con_cls;

	if (u) {
		free(u->buf);
		free(u);
		*con_cls = NULL;
	}
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: cfn-witness --listen ADDR:PORT --key WITNESS.key "
		"--state DIR --policy FILE\n"
		"       cfn-witness --key WITNESS.key --print-vkey\n");
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{"listen", required_argument, NULL, 'l'},
		{"key", required_argument, NULL, 'k'},
		{"state", required_argument, NULL, 's'},
		{"policy", required_argument, NULL, 'p'},
		{"print-vkey", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{},
	};
	const char *listen = NULL, *keyf = NULL, *state = NULL, *polf = NULL;
	bool print_vkey = false;
	struct sockaddr_storage ss;
	socklen_t sl;
	struct note_key *key = NULL;
	struct policy *pol;
	struct witness w;
	struct MHD_Daemon *mhd;
	char err[1024], vkey[NOTE_VKEY_MAX], path[4096];
	sigset_t set;
	int c, sig;

	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'l':
			listen = optarg;
			break;
		case 'k':
			keyf = optarg;
			break;
		case 's':
			state = optarg;
			break;
		case 'p':
			polf = optarg;
			break;
		case 'v':
			print_vkey = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc || !keyf ||
	    (!print_vkey && (!listen || !state || !polf))) {
		usage(stderr);
		return 2;
	}
	if (note_key_load(keyf, &key, err, sizeof(err)) < 0 ||
	    !key->has_private) {
		fprintf(stderr, "cfn-witness: %s\n",
			key ? "the witness key must be a private key" : err);
		return 1;
	}
	cosig_key_adopt(key);
	cosig_key_format_vkey(key, vkey, sizeof(vkey));
	if (print_vkey) {
		printf("%s\n", vkey);
		note_key_free(key);
		return 0;
	}
	if (net_parse_listen(listen, &ss, &sl) < 0) {
		fprintf(stderr, "cfn-witness: bad --listen %s (ADDR:PORT)\n",
			listen);
		return 2;
	}
	if (policy_load(polf, &pol, err, sizeof(err)) < 0) {
		fprintf(stderr, "cfn-witness: %s\n", err);
		return 1;
	}
	if (pol->nlogs == 0) {
		fprintf(stderr, "cfn-witness: %s lists no log to witness\n",
			polf);
		return 1;
	}
	if (witness_init(&w, key, pol, state, err, sizeof(err)) < 0) {
		fprintf(stderr, "cfn-witness: %s\n", err);
		return 1;
	}
	snprintf(path, sizeof(path), "%s/witness.vkey", state);
	{
		char line[NOTE_VKEY_MAX + 1];
		int n = snprintf(line, sizeof(line), "%s\n", vkey);

		write_file_atomic(path, line, (size_t)n, 0644, NULL, 0);
	}
	/* Signals are taken by sigwait() below, not by MHD's threads. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	mhd = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG |
			(ss.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0),
		0, NULL, NULL, handle, &w, MHD_OPTION_SOCK_ADDR,
		(struct sockaddr *)&ss, MHD_OPTION_THREAD_POOL_SIZE, 2u,
		MHD_OPTION_CONNECTION_LIMIT, 256u,
		MHD_OPTION_CONNECTION_TIMEOUT, 10u, MHD_OPTION_NOTIFY_COMPLETED,
		done, NULL, MHD_OPTION_END);
	if (!mhd) {
		fprintf(stderr, "cfn-witness: cannot listen on %s\n", listen);
		return 1;
	}
	(void)sl;
	fprintf(stderr,
		"cfn-witness: %s listening on %s, %zu log(s), state %s\n", vkey,
		listen, pol->nlogs, state);
	sigwait(&set, &sig);
	MHD_stop_daemon(mhd);
	fprintf(stderr, "cfn-witness: stopped: %llu cosigned, %llu refused\n",
		(unsigned long long)w.cosigned, (unsigned long long)w.refused);
	witness_fini(&w);
	return 0;
}
