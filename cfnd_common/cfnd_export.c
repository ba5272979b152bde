// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Decision export: every changed steering decision becomes a signed ledger
 * record (ledger/record) handed to the export client (lib/export), which
 * queues, spools to disk while cfn-ledgerd is away and replays in order; it
 * never blocks the daemon.  Configured in compute-routing:
 *
 *   export socket PATH key FILE [spool FILE]
 *
 * Sequence numbers must grow across restarts, or the ledger would take new
 * decisions for duplicates of old ones: seq = max(last + 1, unix-seconds
 * << 20), i.e. up to a million decisions a second (doc/steering.md).
 */
#include <zebra.h>

#include "command.h"
#include "json.h"
#include "log.h"
#include "memory.h"
#include "thread.h"
#include "vty.h"

#include "cfnd_debug.h"
#include "cfnd_export.h"
#include "cfnd_model.h"
#include "export.h"
#include "note.h"

extern struct thread_master *master;

static struct {
	struct export *exp;
	struct note_key *key;
	char socket[108];
	char keyfile[256];
	char spool[256];
	uint64_t last_seq;
	uint64_t exported, failed;
	struct thread *t_read, *t_write, *t_tick;
} ex;

static void export_log(void *arg, int prio, const char *msg)
{
	if (prio <= LOG_WARNING)
		zlog_warn("%s: export: %s", cfnd_ops->name, msg);
	else if (IS_DEBUG_CFN_EXPORT)
		zlog_debug("%s: export: %s", cfnd_ops->name, msg);
}

static void export_ack(void *arg, uint64_t seq, uint64_t index, int status)
{
	if (IS_DEBUG_CFN_EXPORT)
		zlog_debug("%s: decision %" PRIu64 " in the ledger at %" PRIu64
			   " (status %d)",
			   cfnd_ops->name, seq, index, status);
}

static void ex_readable(struct thread *t);
static void ex_writable(struct thread *t);

/* After every call into the client: its fd may have changed. */
static void ex_rearm(void)
{
	int fd = ex.exp ? export_fd(ex.exp) : -1;

	THREAD_OFF(ex.t_read);
	THREAD_OFF(ex.t_write);
	if (fd < 0)
		return;
	if (export_want_read(ex.exp))
		thread_add_read(master, ex_readable, NULL, fd, &ex.t_read);
	if (export_want_write(ex.exp))
		thread_add_write(master, ex_writable, NULL, fd, &ex.t_write);
}

static void ex_readable(struct thread *t)
{
	export_on_readable(ex.exp);
	ex_rearm();
}

static void ex_writable(struct thread *t)
{
	export_on_writable(ex.exp);
	ex_rearm();
}

static void ex_tick(struct thread *t)
{
	int ms = export_tick(ex.exp, export_now_ms());

	ex_rearm();
	thread_add_timer_msec(master, ex_tick, NULL, ms > 0 ? ms : 1,
			      &ex.t_tick);
}

static void ex_stop(void)
{
	THREAD_OFF(ex.t_read);
	THREAD_OFF(ex.t_write);
	THREAD_OFF(ex.t_tick);
	if (ex.exp) {
		/* what is not acknowledged stays in the spool */
		export_free(ex.exp);
		ex.exp = NULL;
	}
	note_key_free(ex.key);
	ex.key = NULL;
}

static int ex_start(char *err, size_t errlen)
{
	struct export_cfg cfg = {
		.socket_path = ex.socket,
		.spool_path = ex.spool[0] ? ex.spool : NULL,
		.log = export_log,
		.on_ack = export_ack,
	};

	if (note_key_load(ex.keyfile, &ex.key, err, errlen))
		return -1;
	cfg.origin = ex.key->name;
	cfg.key_id = ex.key->id;
	ex.exp = export_new(&cfg, err, errlen);
	if (!ex.exp) {
		note_key_free(ex.key);
		ex.key = NULL;
		return -1;
	}
	thread_add_timer_msec(master, ex_tick, NULL, 0, &ex.t_tick);
	return 0;
}

bool cfnd_export_enabled(void)
{
	return ex.exp != NULL;
}

uint64_t cfnd_export_decision(const struct cfnd_decision *d)
{
	uint8_t buf[RECORD_MAX_LEN];
	char err[256], pfx[CFN_SVCPREFIX_STRLEN];
	struct record rec = {};
	struct timespec now;
	int len;

	if (!ex.exp)
		return 0;
	cfn_svc_prefix_str(&d->prefix, pfx, sizeof(pfx));
	clock_gettime(CLOCK_REALTIME, &now);
	strlcpy(rec.origin, ex.key->name, sizeof(rec.origin));
	rec.seq = MAX(ex.last_seq + 1, (uint64_t)now.tv_sec << 20);
	rec.time_s = now.tv_sec;
	rec.time_ns = now.tv_nsec;
	rec.family = d->prefix.afi == CFN_AFI_IPV4 ? 4 : 6;
	rec.plen = d->prefix.plen;
	memcpy(rec.addr, d->prefix.addr, rec.family == 4 ? 4 : 16);
	for (uint32_t i = 0; i < d->nsites && i < RECORD_SITES_MAX; i++)
		strlcpy(rec.sites[rec.nsites++], d->sites[i],
			sizeof(rec.sites[0]));
	rec.cost = MIN(d->cost, UINT32_MAX);
	rec.net_dist = MIN(d->distance, UINT32_MAX);
	rec.compute = d->metric;
	for (uint32_t i = 0; i < d->npath && i < RECORD_PATH_MAX; i++)
		strlcpy(rec.path[rec.npath++], d->path[i], sizeof(rec.path[0]));

	if (record_sign(&rec, ex.key, err, sizeof(err)) ||
	    (len = record_encode(&rec, buf, sizeof(buf), err, sizeof(err))) <
		    0) {
		ex.failed++;
		zlog_warn("%s: decision for %s not exported: %s",
			  cfnd_ops->name, pfx, err);
		return 0;
	}
	if (export_submit(ex.exp, rec.seq, buf, len)) {
		ex.failed++;
		return 0; /* counted and logged by the client */
	}
	ex.last_seq = rec.seq;
	ex.exported++;
	if (IS_DEBUG_CFN_EXPORT)
		zlog_debug("%s: exported decision %" PRIu64 " for %s",
			   cfnd_ops->name, rec.seq, pfx);
	ex_rearm();
	return rec.seq;
}

int cfnd_export_configure(const char *sock, const char *keyfile,
			  const char *spool, char *err, size_t errlen)
{
	if (strlen(sock) >= sizeof(ex.socket) ||
	    strlen(keyfile) >= sizeof(ex.keyfile) ||
	    (spool && strlen(spool) >= sizeof(ex.spool))) {
		snprintf(err, errlen, "path too long");
		return -1;
	}
	ex_stop();
	strlcpy(ex.socket, sock, sizeof(ex.socket));
	strlcpy(ex.keyfile, keyfile, sizeof(ex.keyfile));
	strlcpy(ex.spool, spool ? spool : "", sizeof(ex.spool));
	if (ex_start(err, errlen)) {
		ex.socket[0] = '\0';
		return -1;
	}
	return 0;
}

void cfnd_export_unconfigure(void)
{
	ex_stop();
	ex.socket[0] = '\0';
}

void cfnd_export_config_write(struct vty *vty)
{
	if (!ex.socket[0])
		return;
	vty_out(vty, "  export socket %s key %s", ex.socket, ex.keyfile);
	if (ex.spool[0])
		vty_out(vty, " spool %s", ex.spool);
	vty_out(vty, "\n");
}

void cfnd_export_show(struct vty *vty, bool json)
{
	struct export_stats s = {};
	json_object *o;

	if (ex.exp)
		export_get_stats(ex.exp, &s);
	if (!json) {
		if (!ex.exp) {
			vty_out(vty, "Decision export is not configured\n");
			return;
		}
		vty_out(vty,
			"Ledger %s (%s), origin %s\n"
			"  exported %" PRIu64 ", acknowledged %" PRIu64
			", queued %" PRIu64 ", spooled %" PRIu64
			", dropped %" PRIu64 ", rejected %" PRIu64
			", failed %" PRIu64 "\n",
			ex.socket, s.connected ? "connected" : "not connected",
			ex.key->name, ex.exported, s.acked, s.queued, s.spooled,
			s.dropped, s.rejected, ex.failed);
		return;
	}
	o = json_object_new_object();
	json_object_boolean_add(o, "configured", !!ex.exp);
	if (ex.exp) {
		json_object_string_add(o, "socket", ex.socket);
		json_object_string_add(o, "origin", ex.key->name);
		json_object_boolean_add(o, "connected", s.connected);
		json_object_int_add(o, "exported", ex.exported);
		json_object_int_add(o, "acknowledged", s.acked);
		json_object_int_add(o, "duplicates", s.duplicates);
		json_object_int_add(o, "queued", s.queued);
		json_object_int_add(o, "spooled", s.spooled);
		json_object_int_add(o, "dropped", s.dropped);
		json_object_int_add(o, "rejected", s.rejected);
		json_object_int_add(o, "failed", ex.failed);
		json_object_int_add(o, "lastSequence", ex.last_seq);
		json_object_int_add(o, "lastIndex", s.last_index);
	}
	vty_json(vty, o);
}

void cfnd_export_fini(void)
{
	ex_stop();
}
