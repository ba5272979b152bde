// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cfn-ledger append --socket PATH --key KEYFILE [--timeout SECS]
 *
 * Reads decision records as JSON lines on stdin, signs each with KEYFILE,
 * submits them to cfn-ledgerd through lib/export, and prints each log
 * index (one per line, in input order) once the ledger has made it
 * durable.  All records of one run share an origin (one connection), the
 * key's name: a router signs only its own records.
 *
 * --timeout SECS (default 30) holds in every case: the command gives up
 * when SECS pass without progress (no input line read, no answer from the
 * ledger), whether it waits for stdin, for room in the queue, for a
 * connection or for acknowledgements.  A refusal of the connection (key,
 * uid, version) ends it at once with one line.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "cli.h"
#include "export.h"
#include "export_proto.h"
#include "note.h"
#include "record.h"
#include "util.h"

struct app {
	struct export *e;
	struct note_key *key;
	char origin[RECORD_NAME_MAX + 1];
	const char *socket;
	unsigned long line;
	bool failed;
	uint64_t progress_ms; /* last line read or answer received */
	char refusal[300];    /* the ledger's reason for a refusal */
	bool refused;	      /* ... and it was reported */
};

static void app_log(void *arg, int prio, const char *msg)
{
	struct app *a = arg;

	/* reported once, as the command's only line (see refused()) */
	if (!strncmp(msg, "export: ledger error ", 21)) {
		snprintf(a->refusal, sizeof(a->refusal), "%s", msg + 8);
		return;
	}
	if (a->refusal[0] && !strncmp(msg, "export: disconnected", 20))
		return; /* the consequence of that refusal */
	if (prio <= LOG_WARNING)
		cli_err("append", "%s", msg);
}

static int app_sign(void *arg, const uint8_t *msg, size_t len, uint8_t *sig)
{
	struct app *a = arg;

	return note_ed25519_sign(a->key, msg, len, sig, NULL, 0);
}

/* The ledger refused the connection itself: retrying will not help. */
static bool refused(struct app *a)
{
	struct export_stats st;

	if (!a->e)
		return false;
	if (a->refused)
		return true;
	export_get_stats(a->e, &st);
	if (st.last_error != EXPORT_ERR_KEY &&
	    st.last_error != EXPORT_ERR_PEER &&
	    st.last_error != EXPORT_ERR_VERSION)
		return false;
	cli_err("append", "%s", a->refusal);
	return a->refused = true;
}

static bool timed_out(const struct app *a, long timeout)
{
	return export_now_ms() - a->progress_ms >= (uint64_t)timeout * 1000;
}

static void app_ack(void *arg, uint64_t seq, uint64_t index, int status)
{
	struct app *a = arg;

	a->progress_ms = export_now_ms();
	if (status == EXPORT_ACK_REJECTED) {
		cli_err("append", "record seq %llu rejected by the ledger",
			(unsigned long long)seq);
		a->failed = true;
		return;
	}
	printf("%llu\n", (unsigned long long)index);
	fflush(stdout);
}

static int one_line(struct app *a, char *line, long timeout)
{
	struct record r;
	char err[256];
	uint8_t buf[RECORD_MAX_LEN];
	int n;

	a->line++;
	while (*line == ' ' || *line == '\t')
		line++;
	if (!*line)
		return 0;
	if (record_from_json(line, &r, err, sizeof(err)) < 0) {
		cli_err("append", "line %lu: %s", a->line, err);
		return -1;
	}
	/* the ledger would refuse it (after a reconnect loop): say so now */
	if (strcmp(r.origin, a->key->name) != 0) {
		cli_err("append",
			"line %lu: origin %s is not the key's (%s): a router signs only its own records",
			a->line, r.origin, a->key->name);
		return -1;
	}
	if (!a->e) {
		struct export_cfg cfg = {
			.socket_path = a->socket,
			.origin = r.origin,
			.key_id = a->key->id,
			.queue_max = 1024,
			.log = app_log,
			.on_ack = app_ack,
			.sign = app_sign,
			.arg = a,
		};

		snprintf(a->origin, sizeof(a->origin), "%s", r.origin);
		a->e = export_new(&cfg, err, sizeof(err));
		if (!a->e) {
			cli_err("append", "%s", err);
			return -1;
		}
	} else if (strcmp(r.origin, a->origin) != 0) {
		cli_err("append", "line %lu: origin %s differs from %s",
			a->line, r.origin, a->origin);
		return -1;
	}
	if (record_sign(&r, a->key, err, sizeof(err)) < 0 ||
	    (n = record_encode(&r, buf, sizeof(buf), err, sizeof(err))) < 0) {
		cli_err("append", "line %lu: %s", a->line, err);
		return -1;
	}
	/* Memory only, no spool: wait for room instead of dropping. */
	while (export_submit(a->e, r.seq, buf, (size_t)n) < 0) {
		struct export_stats st;

		export_get_stats(a->e, &st);
		if (st.queued < 1024) {
			cli_err("append", "line %lu: record not accepted",
				a->line);
			return -1;
		}
		if (refused(a))
			return -1;
		if (timed_out(a, timeout)) {
			cli_err("append",
				"timeout: no progress for %ld s (ledger %s)",
				timeout,
				st.connected ? "connected" : "unreachable");
			return -1;
		}
		export_poll(a->e, 100);
	}
	return 0;
}

int cli_append(int argc, char **argv, const struct cli_opts *o)
{
	struct app a = {.socket = o->socket};
	const char *keyfile = NULL;
	char err[256], *buf = NULL, *nl;
	size_t len = 0, cap = 0, off;
	long timeout = 30;
	bool eof = false;
	struct pollfd p[2];
	ssize_t r;
	int i, rc = 0;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--socket") && i + 1 < argc)
			a.socket = argv[++i];
		else if (!strcmp(argv[i], "--key") && i + 1 < argc)
			keyfile = argv[++i];
		else if (!strcmp(argv[i], "--timeout") && i + 1 < argc) {
			char *end;

			timeout = strtol(argv[++i], &end, 10);
			if (*end || timeout < 1 || timeout > 86400) {
				cli_err("append", "bad --timeout %s (1-86400)",
					argv[i]);
				return 2;
			}
		} else {
			cli_err("append",
				"usage: append --socket PATH --key "
				"KEYFILE [--timeout SECS] < records.jsonl");
			return 2;
		}
	}
	if (!a.socket || !keyfile) {
		cli_err("append", "needs --socket PATH and --key KEYFILE");
		return 2;
	}
	if (note_key_load(keyfile, &a.key, err, sizeof(err)) < 0 ||
	    !a.key->has_private) {
		cli_err("append", "key %s: %s", keyfile,
			a.key ? "not a private key" : err);
		return 1;
	}
	if (file_is_exposed(keyfile))
		cli_err("append",
			"warning: private key %s is readable by group or others (chmod 600 it)",
			keyfile);
	a.progress_ms = export_now_ms();
	while (!eof) {
		int np = 0, exp_idx = -1;

		if (refused(&a)) {
			rc = 1;
			break;
		}
		if (timed_out(&a, timeout)) {
			cli_err("append", "timeout: no input for %ld s",
				timeout);
			rc = 1;
			break;
		}

		p[np].fd = 0;
		p[np].events = POLLIN;
		np++;
		if (a.e && export_fd(a.e) >= 0) {
			exp_idx = np;
			p[np].fd = export_fd(a.e);
			p[np].events =
				POLLIN | (export_want_write(a.e) ? POLLOUT : 0);
			np++;
		}
		if (a.e)
			export_tick(a.e, export_now_ms());
		if (poll(p, (nfds_t)np, 100) < 0 && errno != EINTR)
			break;
		if (exp_idx >= 0 && p[exp_idx].fd == export_fd(a.e)) {
			if (p[exp_idx].revents & (POLLIN | POLLHUP | POLLERR))
				export_on_readable(a.e);
			if (p[exp_idx].revents & POLLOUT)
				export_on_writable(a.e);
		}
		if (!(p[0].revents & (POLLIN | POLLHUP)))
			continue;
		if (cap - len < 65536) {
			char *n = realloc(buf, cap + 65536);

			if (!n) {
				rc = 1;
				break;
			}
			buf = n;
			cap += 65536;
		}
		r = read(0, buf + len, cap - len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			eof = true;
			if (len) /* last line without a newline */
				buf[len++] = '\n';
		} else {
			len += (size_t)r;
			a.progress_ms = export_now_ms();
		}
		off = 0;
		while ((nl = memchr(buf + off, '\n', len - off))) {
			*nl = '\0';
			if (one_line(&a, buf + off, timeout) < 0) {
				rc = 1;
				eof = true;
				break;
			}
			off = (size_t)(nl - buf) + 1;
		}
		memmove(buf, buf + off, len - off);
		len -= off;
	}
	free(buf);
	/* Everything submitted is answered before we exit. */
	while (a.e && !a.refused && !export_idle(a.e) &&
	       !timed_out(&a, timeout)) {
		if (refused(&a)) {
			rc = 1;
			break;
		}
		export_poll(a.e, 100);
	}
	if (a.e && !a.refused && !export_idle(a.e)) {
		struct export_stats st;

		export_get_stats(a.e, &st);
		cli_err("append",
			"timeout: %llu records not acknowledged (ledger %s)",
			(unsigned long long)(st.queued + st.inflight),
			st.connected ? "connected" : "unreachable");
		rc = 1;
	}
	export_free(a.e);
	note_key_free(a.key);
	return rc || a.failed ? 1 : 0;
}
