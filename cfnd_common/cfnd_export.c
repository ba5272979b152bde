// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Decision export: every changed steering decision becomes a signed ledger
 * record (ledger/record) handed to the export client (lib/export), which
 * queues, spools to disk while cfn-ledgerd is away and replays in order; it
 * never blocks the daemon.  Configured in compute-routing:
 *
 *   export socket PATH key FILE [spool FILE]
 *   export tls HOST PORT ca FILE cert FILE key FILE sign-key FILE [spool FILE]
 *
 * Over TLS (doc/export-tls.md) `key` is the TLS private key (PEM) of the
 * router's certificate and `sign-key` the Ed25519 key that signs records
 * and HELLO (cfn-ledger keygen): two different files and formats.
 *
 * Sequence numbers must grow across restarts, or the ledger would refuse
 * new decisions as reused seqs: export_next_seq() gives max(last + 1,
 * unix-seconds << 20) and persists a ceiling next to the spool, so neither
 * a restart nor a clock stepping back repeats one (lib/export_seq.h).
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
#include "export_tls.h"
#include "note.h"

extern struct thread_master *master;

static struct {
	struct export *exp;
	struct note_key *key;
	char socket[108]; /* empty: TLS (tls_host) or not configured */
	char tls_host[256], tls_port[16], tls_ca[256], tls_cert[256];
	char tls_key[256];
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

/* HELLO proves to the ledger that we hold the key (lib/export.h). */
static int export_sign(void *arg, const uint8_t *msg, size_t len, uint8_t *sig)
{
	return note_ed25519_sign(ex.key, msg, len, sig, NULL, 0);
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

/*
 * The key must sign (a private key) and name this router: records carry
 * the key's name as their origin, so another router's key would export
 * under its name.  Checked before anything of the old export is stopped.
 */
static struct note_key *key_for_export(const char *keyfile, char *err,
				       size_t errlen)
{
	const char *self = cmd_hostname_get();
	struct note_key *key;

	if (note_key_load(keyfile, &key, err, errlen))
		return NULL;
	if (!key->has_private) {
		snprintf(
			err, errlen,
			"%s holds only a public (verifier) key; decisions must be signed with this router's private key",
			keyfile);
		note_key_free(key);
		return NULL;
	}
	if (!self || strcmp(key->name, self)) {
		snprintf(
			err, errlen,
			"%s is the key of '%s', not of this router '%s' (hostname): decisions would be exported under another router's name",
			keyfile, key->name, self ? self : "(none)");
		note_key_free(key);
		return NULL;
	}
	return key;
}

static int ex_start(struct note_key *key, char *err, size_t errlen)
{
	struct export_tls_cfg tls = {
		.host = ex.tls_host,
		.port = ex.tls_port,
		.ca = ex.tls_ca,
		.cert = ex.tls_cert,
		.key = ex.tls_key,
	};
	struct export_cfg cfg = {
		.socket_path = ex.socket[0] ? ex.socket : NULL,
		.tls = ex.socket[0] ? NULL : &tls,
		.spool_path = ex.spool[0] ? ex.spool : NULL,
		.log = export_log,
		.on_ack = export_ack,
		.sign = export_sign,
	};

	ex.key = key;
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
	/* never below a seq used before a restart or a clock step back */
	if (export_next_seq(ex.exp, (uint64_t)now.tv_sec << 20, &rec.seq)) {
		ex.failed++;
		return 0; /* logged by the client */
	}
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

static void ex_forget(void)
{
	ex.socket[0] = '\0';
	ex.tls_host[0] = '\0';
}

/* Paths fit, the signing key is ours: checked before the old export stops. */
static struct note_key *ex_check(const char *keyfile, const char *spool,
				 char *err, size_t errlen)
{
	if (strlen(keyfile) >= sizeof(ex.keyfile) ||
	    (spool && strlen(spool) >= sizeof(ex.spool))) {
		snprintf(err, errlen, "path too long");
		return NULL;
	}
	return key_for_export(keyfile, err, errlen);
}

static int ex_restart(struct note_key *key, const char *keyfile,
		      const char *spool, char *err, size_t errlen)
{
	strlcpy(ex.keyfile, keyfile, sizeof(ex.keyfile));
	strlcpy(ex.spool, spool ? spool : "", sizeof(ex.spool));
	if (ex_start(key, err, errlen)) {
		ex_forget();
		return -1;
	}
	return 0;
}

int cfnd_export_configure(const char *sock, const char *keyfile,
			  const char *spool, char *err, size_t errlen)
{
	struct note_key *key;

	if (strlen(sock) >= sizeof(ex.socket)) {
		snprintf(err, errlen, "path too long");
		return -1;
	}
	key = ex_check(keyfile, spool, err, errlen);
	if (!key)
		return -1;
	ex_stop();
	ex_forget();
	strlcpy(ex.socket, sock, sizeof(ex.socket));
	return ex_restart(key, keyfile, spool, err, errlen);
}

int cfnd_export_configure_tls(const struct export_tls_cfg *tls,
			      const char *signkey, const char *spool, char *err,
			      size_t errlen)
{
	struct export_tls *probe;
	struct note_key *key;

	if (strlen(tls->host) >= sizeof(ex.tls_host) ||
	    strlen(tls->port) >= sizeof(ex.tls_port) ||
	    strlen(tls->ca) >= sizeof(ex.tls_ca) ||
	    strlen(tls->cert) >= sizeof(ex.tls_cert) ||
	    strlen(tls->key) >= sizeof(ex.tls_key)) {
		snprintf(err, errlen, "argument too long");
		return -1;
	}
	key = ex_check(signkey, spool, err, errlen);
	if (!key)
		return -1;
	/* unreadable CA, certificate or key: refused, the old export stays */
	probe = export_tls_new(tls, err, errlen);
	if (!probe) {
		note_key_free(key);
		return -1;
	}
	export_tls_free(probe);
	ex_stop();
	ex_forget();
	strlcpy(ex.tls_host, tls->host, sizeof(ex.tls_host));
	strlcpy(ex.tls_port, tls->port, sizeof(ex.tls_port));
	strlcpy(ex.tls_ca, tls->ca, sizeof(ex.tls_ca));
	strlcpy(ex.tls_cert, tls->cert, sizeof(ex.tls_cert));
	strlcpy(ex.tls_key, tls->key, sizeof(ex.tls_key));
	return ex_restart(key, signkey, spool, err, errlen);
}

void cfnd_export_unconfigure(void)
{
	ex_stop();
	ex_forget();
}

void cfnd_export_config_write(struct vty *vty)
{
	if (ex.socket[0])
		vty_out(vty, "  export socket %s key %s", ex.socket,
			ex.keyfile);
	else if (ex.tls_host[0])
		vty_out(vty,
			"  export tls %s %s ca %s cert %s key %s sign-key %s",
			ex.tls_host, ex.tls_port, ex.tls_ca, ex.tls_cert,
			ex.tls_key, ex.keyfile);
	else
		return;
	if (ex.spool[0])
		vty_out(vty, " spool %s", ex.spool);
	vty_out(vty, "\n");
}

/* "HOST:PORT" of the TLS ledger, for show. */
static const char *export_peer_str(void)
{
	static char peer[sizeof(ex.tls_host) + sizeof(ex.tls_port) + 1];

	snprintf(peer, sizeof(peer), "%s:%s", ex.tls_host, ex.tls_port);
	return peer;
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
			ex.socket[0] ? ex.socket : export_peer_str(),
			s.connected ? "connected" : "not connected",
			ex.key->name, ex.exported, s.acked, s.queued, s.spooled,
			s.dropped, s.rejected, ex.failed);
		return;
	}
	o = json_object_new_object();
	json_object_boolean_add(o, "configured", !!ex.exp);
	if (ex.exp) {
		if (ex.socket[0])
			json_object_string_add(o, "socket", ex.socket);
		else
			json_object_string_add(o, "tls", export_peer_str());
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
