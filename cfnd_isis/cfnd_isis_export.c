// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Decision export: every changed steering decision becomes a signed ledger
 * record (ledger/record) handed to the export client (lib/export), which
 * queues, spools to disk while cfn-ledgerd is away and replays in order; it
 * never blocks isisd.  Configured in compute-routing:
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

#include "isisd/isisd.h"
#include "isisd/isis_dynhn.h"
#include "isisd/isis_misc.h"

#include "cfnd_isis.h"
#include "cfnd_isis_debug.h"
#include "export.h"
#include "note.h"
#include "record.h"

#ifndef VTYSH_EXTRACT_PL
#include "cfnd_isis/cfnd_isis_export_clippy.c"
#endif

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
		zlog_warn("%s: export: %s", CFND_ISIS_NAME, msg);
	else if (IS_DEBUG_CFN_EXPORT)
		zlog_debug("%s: export: %s", CFND_ISIS_NAME, msg);
}

static void export_ack(void *arg, uint64_t seq, uint64_t index, int status)
{
	if (IS_DEBUG_CFN_EXPORT)
		zlog_debug("%s: decision %" PRIu64 " in the ledger at %" PRIu64
			   " (status %d)",
			   CFND_ISIS_NAME, seq, index, status);
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

/* The path of the first chosen edges: root -> ... -> first site. */
static void record_path(const struct cfn_spf *c, const struct cfnd_steer *st,
			uint32_t svc, struct record *rec)
{
	struct cfn_spf_edge edges[256];
	struct cfn_spf_error err;
	int n = cfn_spf_service_path_edges(c, svc, edges, 256, &err);
	uint32_t at = cfn_spf_root(c);

	rec->npath = 0;
	if (n < 0)
		return;
	if (n > 256)
		n = 256;
	for (int hops = 0; hops <= n && rec->npath < RECORD_PATH_MAX; hops++) {
		uint32_t next = UINT32_MAX;

		if (!cfn_spf_is_pseudonode(c, at))
			strlcpy(rec->path[rec->npath++],
				print_sys_hostname(st->ids[at]),
				sizeof(rec->path[0]));
		for (int i = 0; i < n; i++)
			if (edges[i].from == at && edges[i].to < next)
				next = edges[i].to;
		if (next == UINT32_MAX)
			break;
		at = next;
	}
}

void cfnd_export_decision(struct cfnd_area *ca, struct cfnd_route *r)
{
	const struct cfnd_steer *st = &ca->steer;
	uint8_t buf[RECORD_MAX_LEN];
	struct record rec = {};
	struct timespec now;
	char err[256], key[PREFIX_STRLEN];
	int len, svc;

	if (!ex.exp)
		return;
	clock_gettime(CLOCK_REALTIME, &now);
	strlcpy(rec.origin, ex.key->name, sizeof(rec.origin));
	rec.seq = MAX(ex.last_seq + 1, (uint64_t)now.tv_sec << 20);
	rec.time_s = now.tv_sec;
	rec.time_ns = now.tv_nsec;
	rec.family = r->prefix.family == AF_INET ? 4 : 6;
	rec.plen = r->prefix.prefixlen;
	memcpy(rec.addr, &r->prefix.u.prefix, rec.family == 4 ? 4 : 16);
	for (uint32_t i = 0; i < r->nsites && i < RECORD_SITES_MAX; i++)
		strlcpy(rec.sites[rec.nsites++],
			print_sys_hostname(r->sites[i]), sizeof(rec.sites[0]));
	rec.cost = MIN(r->cost, UINT32_MAX);
	rec.net_dist = MIN(r->distance, UINT32_MAX);
	rec.compute = r->metric;
	svc = st->graph
		      ? cfn_spf_find_service(st->graph, prefix2str(&r->prefix, key,
								sizeof(key)))
		      : -1;
	if (svc >= 0 && r->nsites)
		record_path(st->graph, st, svc, &rec);

	if (record_sign(&rec, ex.key, err, sizeof(err)) ||
	    (len = record_encode(&rec, buf, sizeof(buf), err, sizeof(err))) <
		    0) {
		ex.failed++;
		zlog_warn("%s: decision for %pFX not exported: %s",
			  CFND_ISIS_NAME, &r->prefix, err);
		return;
	}
	if (export_submit(ex.exp, rec.seq, buf, len)) {
		ex.failed++;
		return; /* counted and logged by the client */
	}
	ex.last_seq = rec.seq;
	r->export_seq = rec.seq;
	ex.exported++;
	if (IS_DEBUG_CFN_EXPORT)
		zlog_debug("%s: exported decision %" PRIu64 " for %pFX",
			   CFND_ISIS_NAME, rec.seq, &r->prefix);
	ex_rearm();
}

DEFPY(isis_compute_export, isis_compute_export_cmd,
      "export socket PATH$sock key PATH$keyfile [spool PATH$spool]",
      "Export steering decisions to the ledger (cfn-ledgerd)\n"
      "The ledger's UNIX socket\n"
      "Socket path\n"
      "This router's signing key (cfn-ledger keygen; its name is the origin)\n"
      "Private key file\n"
      "Spool decisions here while the ledger is away\n"
      "Spool file\n")
{
	char err[256];

	if (strlen(sock) >= sizeof(ex.socket) ||
	    strlen(keyfile) >= sizeof(ex.keyfile) ||
	    (spool && strlen(spool) >= sizeof(ex.spool))) {
		vty_out(vty, "%% path too long\n");
		return CMD_WARNING_CONFIG_FAILED;
	}
	ex_stop();
	strlcpy(ex.socket, sock, sizeof(ex.socket));
	strlcpy(ex.keyfile, keyfile, sizeof(ex.keyfile));
	strlcpy(ex.spool, spool ? spool : "", sizeof(ex.spool));
	if (ex_start(err, sizeof(err))) {
		vty_out(vty, "%% export refused: %s\n", err);
		ex.socket[0] = '\0';
		return CMD_WARNING_CONFIG_FAILED;
	}
	return CMD_SUCCESS;
}

DEFPY(no_isis_compute_export, no_isis_compute_export_cmd, "no export",
      NO_STR "Stop exporting decisions\n")
{
	ex_stop();
	ex.socket[0] = '\0';
	return CMD_SUCCESS;
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

DEFPY(show_isis_compute_export, show_isis_compute_export_cmd,
      "show isis compute export [json]$json",
      SHOW_STR
      "IS-IS information\n"
      "Computing First Networking\n"
      "Decision export to the ledger\n" JSON_STR)
{
	struct export_stats s = {};
	json_object *o;

	if (ex.exp)
		export_get_stats(ex.exp, &s);
	if (!json) {
		if (!ex.exp) {
			vty_out(vty, "Decision export is not configured\n");
			return CMD_SUCCESS;
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
		return CMD_SUCCESS;
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
	return CMD_SUCCESS;
}

void cfnd_isis_export_init(void)
{
	install_element(ISIS_COMPUTE_NODE, &isis_compute_export_cmd);
	install_element(ISIS_COMPUTE_NODE, &no_isis_compute_export_cmd);
	install_element(VIEW_NODE, &show_isis_compute_export_cmd);
}

void cfnd_isis_export_fini(void)
{
	ex_stop();
}
