// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Test and bench driver for lib/export: N exporters (origins ORIGIN-0..)
 * in one poll loop, each submitting signed decision records seq
 * FROM..FROM+COUNT-1 to cfn-ledgerd, until all are acknowledged.
 *
 *   export_driver --socket S (--key K | --key-dir D) --origin O [--exporters N]
 *       [--from N] [--count N] [--spool DIR] [--bad-sig SEQ]
 *       [--bad-from SEQ (every record from SEQ on is badly signed)]
 *       [--print-acks] [--timeout SECS] [--rate PER_SEC]
 *
 * --print-acks: one line "ORIGIN SEQ INDEX STATUS" per answer, flushed,
 * --key-dir D: exporter ORIGIN-k signs with D/ORIGIN-k.key (the ledger
 * accepts a router's records only under the router's own key name).
 * so a test killing the ledger knows exactly what was acknowledged.
 * Prints "records N seconds S rate R" on stderr at the end.  Exit 0 when
 * all were acknowledged (appended or duplicate), 1 otherwise.
 */
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "export.h"
#include "export_tls.h"
#include "note.h"
#include "record.h"

struct exporter {
	struct export *e;
	double *t_sub; /* submit time of each record */
	uint64_t from;
	char origin[64];
	uint8_t **recs;
	size_t *lens;
	uint64_t next; /* next to submit, 0-based */
	uint64_t count;
	uint64_t answered;
};

static bool print_acks;
static uint64_t bad_acks;
static double *lat; /* submit -> durable ack, seconds */
static size_t nlat;

static double now_s(void);

static void on_log(void *arg, int prio, const char *msg)
{
	struct exporter *x = arg;

	if (prio <= LOG_WARNING)
		fprintf(stderr, "%s: %s\n", x->origin, msg);
}

static void on_ack(void *arg, uint64_t seq, uint64_t index, int status)
{
	struct exporter *x = arg;

	x->answered++;
	if (status == 2)
		bad_acks++;
	if (seq >= x->from && seq - x->from < x->count &&
	    x->t_sub[seq - x->from] > 0) {
		lat[nlat++] = now_s() - x->t_sub[seq - x->from];
		/* a record submitted again (spool + run) counts once */
		x->t_sub[seq - x->from] = 0;
	}
	if (print_acks)
		printf("%s %llu %llu %d\n", x->origin, (unsigned long long)seq,
		       (unsigned long long)index, status);
}

static int make_record(const char *origin, uint64_t seq,
		       const struct note_key *key, bool bad, uint8_t **out,
		       size_t *len)
{
	struct record r = {0};
	char err[256];
	uint8_t buf[RECORD_MAX_LEN];
	int n;

	snprintf(r.origin, sizeof(r.origin), "%s", origin);
	r.seq = seq;
	r.time_s = 1764000000 + (int64_t)seq;
	r.family = 4;
	r.plen = 32;
	r.addr[0] = 10;
	r.addr[3] = 1;
	r.nsites = 1;
	strcpy(r.sites[0], "edge1");
	r.cost = 100 + (uint32_t)(seq % 50);
	r.net_dist = 20;
	r.compute = 80;
	r.npath = 2;
	snprintf(r.path[0], sizeof(r.path[0]), "%s", origin);
	strcpy(r.path[1], "edge1");
	if (record_sign(&r, key, err, sizeof(err)) < 0) {
		fprintf(stderr, "sign: %s\n", err);
		return -1;
	}
	if (bad)
		r.sig[0] ^= 1;
	n = record_encode(&r, buf, sizeof(buf), err, sizeof(err));
	if (n < 0) {
		fprintf(stderr, "encode: %s\n", err);
		return -1;
	}
	*out = malloc((size_t)n);
	if (!*out)
		return -1;
	memcpy(*out, buf, (size_t)n);
	*len = (size_t)n;
	return 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{"socket", required_argument, NULL, 's'},
		{"key", required_argument, NULL, 'k'},
		{"key-dir", required_argument, NULL, 'K'},
		{"origin", required_argument, NULL, 'o'},
		{"exporters", required_argument, NULL, 'n'},
		{"from", required_argument, NULL, 'f'},
		{"count", required_argument, NULL, 'c'},
		{"spool", required_argument, NULL, 'S'},
		{"bad-sig", required_argument, NULL, 'b'},
		{"bad-from", required_argument, NULL, 'B'},
		{"print-acks", no_argument, NULL, 'p'},
		{"timeout", required_argument, NULL, 't'},
		{"rate", required_argument, NULL, 'r'},
		/* export over TLS (lib/export_tls.h) */
		{"tls-host", required_argument, NULL, 1000},
		{"tls-port", required_argument, NULL, 1001},
		{"tls-ca", required_argument, NULL, 1002},
		{"tls-cert", required_argument, NULL, 1003},
		{"tls-key", required_argument, NULL, 1004},
		{},
	};
	const char *sock = NULL, *keyfile = NULL, *keydir = NULL, *origin = "r",
		   *spool = NULL;
	uint64_t from = 1, count = 100, bad = 0, bad_from = 0, i, total, done;
	unsigned nexp = 1, k, timeout = 60;
	double rate = 0, t0, t1;
	struct export_tls_cfg tls = {0};
	struct note_key *key = NULL;
	struct exporter *xs;
	struct pollfd *pfd;
	char err[256], path[512];
	int c, wait;

	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 's':
			sock = optarg;
			break;
		case 'k':
			keyfile = optarg;
			break;
		case 'K':
			keydir = optarg;
			break;
		case 'o':
			origin = optarg;
			break;
		case 'n':
			nexp = (unsigned)atoi(optarg);
			break;
		case 'f':
			from = strtoull(optarg, NULL, 10);
			break;
		case 'c':
			count = strtoull(optarg, NULL, 10);
			break;
		case 'S':
			spool = optarg;
			break;
		case 'b':
			bad = strtoull(optarg, NULL, 10);
			break;
		case 'B':
			bad_from = strtoull(optarg, NULL, 10);
			break;
		case 'p':
			print_acks = true;
			break;
		case 't':
			timeout = (unsigned)atoi(optarg);
			break;
		case 'r':
			rate = atof(optarg);
			break;
		case 1000:
			tls.host = optarg;
			break;
		case 1001:
			tls.port = optarg;
			break;
		case 1002:
			tls.ca = optarg;
			break;
		case 1003:
			tls.cert = optarg;
			break;
		case 1004:
			tls.key = optarg;
			break;
		default:
			return 2;
		}
	}
	if ((!sock && !tls.host) || !!keyfile == !!keydir || nexp < 1) {
		fprintf(stderr, "usage: see the source\n");
		return 2;
	}
	if (keyfile && note_key_load(keyfile, &key, err, sizeof(err)) < 0) {
		fprintf(stderr, "key: %s\n", err);
		return 1;
	}
	xs = calloc(nexp, sizeof(*xs));
	pfd = calloc(nexp, sizeof(*pfd));
	if (!xs || !pfd)
		return 1;
	/* Sign everything up front: the run measures transport only. */
	for (k = 0; k < nexp; k++) {
		struct exporter *x = &xs[k];
		struct export_cfg cfg = {
			.socket_path = sock,
			.tls = tls.host ? &tls : NULL,
			.key_id = key ? key->id : 0,
			.queue_max = 65536,
			.batch_max = 512,
			.window = 4096,
			.log = on_log,
			.on_ack = on_ack,
			.arg = x,
		};

		if (nexp == 1)
			snprintf(x->origin, sizeof(x->origin), "%s", origin);
		else
			snprintf(x->origin, sizeof(x->origin), "%s-%u", origin,
				 k);
		if (keydir) {
			snprintf(path, sizeof(path), "%s/%s.key", keydir,
				 x->origin);
			if (note_key_load(path, &key, err, sizeof(err)) < 0) {
				fprintf(stderr, "key: %s\n", err);
				return 1;
			}
			cfg.key_id = key->id;
		}
		x->from = from;
		x->count = count;
		x->t_sub = calloc(count, sizeof(*x->t_sub));
		if (!x->t_sub)
			return 1;
		x->recs = calloc(count, sizeof(*x->recs));
		x->lens = calloc(count, sizeof(*x->lens));
		if (!x->recs || !x->lens)
			return 1;
		for (i = 0; i < count; i++)
			if (make_record(
				    x->origin, from + i, key,
				    from + i == bad ||
					    (bad_from && from + i >= bad_from),
				    &x->recs[i], &x->lens[i]) < 0)
				return 1;
		cfg.origin = x->origin;
		if (spool) {
			snprintf(path, sizeof(path), "%s/%s.spool", spool,
				 x->origin);
			cfg.spool_path = path;
		}
		if (keydir) {
			note_key_free(key);
			key = NULL;
		}
		x->e = export_new(&cfg, err, sizeof(err));
		if (!x->e) {
			fprintf(stderr, "%s\n", err);
			return 1;
		}
	}
	total = count * nexp;
	/* acks of an earlier run's spool may come on top */
	lat = calloc(total + 1, sizeof(*lat));
	if (!lat)
		return 1;
	t0 = now_s();
	for (;;) {
		double t = now_s();
		uint64_t allowed =
			rate > 0 ? (uint64_t)((t - t0) * rate) + 1 : count;

		bool idle = true;

		done = 0;
		for (k = 0; k < nexp; k++) {
			struct exporter *x = &xs[k];

			while (x->next < count && x->next < allowed) {
				if (export_submit(x->e, from + x->next,
						  x->recs[x->next],
						  x->lens[x->next]) < 0)
					break;
				x->t_sub[x->next] = t;
				x->next++;
			}
			done += x->answered;
			idle = idle && export_idle(x->e);
		}
		/* Spooled records of an earlier run are answered, too. */
		if (done >= total && idle)
			break;
		if (t - t0 > timeout) {
			fprintf(stderr, "timeout: %llu of %llu answered\n",
				(unsigned long long)done,
				(unsigned long long)total);
			return 1;
		}
		wait = 50;
		for (k = 0; k < nexp; k++) {
			int w = export_tick(xs[k].e, export_now_ms());

			if (w < wait)
				wait = w;
			pfd[k].fd = export_fd(xs[k].e);
			pfd[k].events =
				(export_want_read(xs[k].e) ? POLLIN : 0) |
				(export_want_write(xs[k].e) ? POLLOUT : 0);
			pfd[k].revents = 0;
		}
		if (rate > 0)
			wait = 1;
		poll(pfd, nexp, wait);
		for (k = 0; k < nexp; k++) {
			if (pfd[k].fd < 0 || pfd[k].fd != export_fd(xs[k].e))
				continue;
			if (pfd[k].revents & (POLLIN | POLLHUP | POLLERR))
				export_on_readable(xs[k].e);
			if (pfd[k].revents & POLLOUT)
				export_on_writable(xs[k].e);
		}
		fflush(stdout);
	}
	t1 = now_s();
	fflush(stdout);
	qsort(lat, nlat, sizeof(*lat), cmp_double);
	fprintf(stderr,
		"records %llu seconds %.3f rate %.0f rejected %llu "
		"latency_ms p50 %.2f p99 %.2f\n",
		(unsigned long long)total, t1 - t0, (double)total / (t1 - t0),
		(unsigned long long)bad_acks, nlat ? lat[nlat / 2] * 1e3 : 0.0,
		nlat ? lat[nlat * 99 / 100] * 1e3 : 0.0);
	for (k = 0; k < nexp; k++) {
		export_free(xs[k].e);
		for (i = 0; i < count; i++)
			free(xs[k].recs[i]);
		free(xs[k].recs);
		free(xs[k].lens);
		free(xs[k].t_sub);
	}
	free(xs);
	free(pfd);
	free(lat);
	if (keyfile)
		note_key_free(key);
	return bad_acks ? 1 : 0;
}
