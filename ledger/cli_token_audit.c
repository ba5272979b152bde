// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cfn-ledger audit --dir D | --url URL [--cache DIR] [--json]
 *                  [--vkey LOGKEY] [--keys ROUTERKEYS] [--allow-unsigned]
 *
 * The regulator's replay: every entry of the log (local, or fetched as
 * C2SP tlog-tiles), its leaf hash, the decision signatures (with --keys),
 * every token record's signature and rule, the invariants after every
 * entry, the checkpoint signature (with --vkey, or the log key named by
 * the genesis) and root.  Prints totals, per-account flows, the orders by
 * state and every anomaly with its index; exits 1 on any anomaly.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "checkpoint.h"
#include "cli_token.h"
#include "cli_token_view.h"
#include "merkle.h"
#include "store.h"
#include "tiles_fetch.h"
#include "token_state.h"
#include "util.h"

#define MAX_KEYS 256
#define ANOMALIES_KEPT 1000
#define PROGRESS_EVERY 100000

struct audit {
	const char *dir, *url, *cache, *vkey, *keys;
	bool json, allow_unsigned;
	struct note_key *rkeys[MAX_KEYS];
	size_t nrkeys;
	struct ledger_store *store;
	struct tiles_remote *remote;
	struct merkle_tree *fresh;
	struct token_state s;
	struct json_object *anomalies;
	uint64_t nanomalies, unsigned_n, entries;
	struct checkpoint ck;
	bool ck_ok;
};

static void anomaly(struct audit *a, int64_t index, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void anomaly(struct audit *a, int64_t index, const char *fmt, ...)
{
	struct json_object *o;
	char msg[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (a->nanomalies++ >= ANOMALIES_KEPT)
		return;
	o = json_object_new_object();
	if (index >= 0)
		json_object_object_add(o, "index",
				       json_object_new_int64(index));
	json_object_object_add(o, "reason", json_object_new_string(msg));
	json_object_array_add(a->anomalies, o);
}

bool cli_token_audit_wanted(int argc, char **argv, const struct cli_opts *o)
{
	const char *dir = o->dir;
	struct ledger_store *s;
	bool vkey = false, tokens = false;
	uint64_t n;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json") || !strcmp(argv[i], "--url") ||
		    !strcmp(argv[i], "--cache"))
			return true;
		if (!strcmp(argv[i], "--vkey"))
			vkey = true;
		if (!strcmp(argv[i], "--dir") && i + 1 < argc)
			dir = argv[i + 1];
	}
	if (!vkey)
		return true;
	/* the decision-only audit cannot read token records */
	if (!dir || store_open_ro(dir, &s, NULL, NULL, 0) < 0)
		return false;
	n = store_size(s);
	for (uint64_t i = 0; i < n && !tokens; i++) {
		uint8_t *d;
		size_t len;

		if (store_get(s, i, &d, &len, NULL, 0) == 0) {
			tokens = token_record_is(d, len);
			free(d);
		}
	}
	store_close(s);
	return tokens;
}

static int load_router_keys(struct audit *a, char *err, size_t errlen)
{
	char *buf, *line, *save = NULL;

	if (read_file(a->keys, 1 << 20, &buf, NULL, err, errlen) < 0)
		return -1;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!*line || *line == '#')
			continue;
		if (a->nrkeys >= MAX_KEYS ||
		    note_key_parse_vkey(line, &a->rkeys[a->nrkeys], err,
					errlen) < 0) {
			free(buf);
			return -1;
		}
		a->nrkeys++;
	}
	free(buf);
	return 0;
}

static void check_decision(struct audit *a, uint64_t i, const uint8_t *d,
			   size_t len)
{
	struct record r;
	char e[300];

	if (record_decode(d, len, &r, e, sizeof(e)) < 0) {
		anomaly(a, (int64_t)i, "undecodable entry: %s", e);
		return;
	}
	if (!a->keys)
		return;
	if (!r.signed_ && a->allow_unsigned)
		a->unsigned_n++;
	else if (record_verify(&r, a->rkeys, a->nrkeys, e, sizeof(e)) < 0)
		anomaly(a, (int64_t)i, "decision: %s", e);
}

static void one_entry(struct audit *a, uint64_t i, const uint8_t *d, size_t len)
{
	uint8_t h[MERKLE_HASH_LEN], lf[MERKLE_HASH_LEN];
	char why[300];

	merkle_leaf_hash(d, len, h);
	merkle_append(a->fresh, h, NULL, 0);
	if (a->store &&
	    (merkle_get_leaf(store_tree(a->store), i, lf, NULL, 0) < 0 ||
	     memcmp(h, lf, MERKLE_HASH_LEN)))
		anomaly(a, (int64_t)i, "leaf hash file disagrees with the log");
	if (!token_record_is(d, len))
		check_decision(a, i, d, len);
	if (token_state_apply(&a->s, i, d, len, TOKEN_APPLY_VERIFY, why,
			      sizeof(why)) != TOKEN_ACCEPTED &&
	    token_record_is(d, len))
		anomaly(a, (int64_t)i, "token record rejected: %s", why);
	if (token_state_check(&a->s, false, why, sizeof(why)) < 0)
		anomaly(a, (int64_t)i, "invariant broken: %s", why);
}

/* The key that must have signed the checkpoint. */
static struct note_key *log_key(struct audit *a, const char *note, size_t len)
{
	struct note_key *k = NULL;
	char text[600], b64[64], err[256];
	uint8_t raw[33];
	const char *sig;

	if (a->vkey) {
		if (note_key_load(a->vkey, &k, err, sizeof(err)) < 0)
			anomaly(a, -1, "log key %s: %s", a->vkey, err);
		else if (a->s.genesis &&
			 memcmp(k->pub, a->s.log_key, NOTE_ED25519_PUB))
			anomaly(a, -1,
				"the genesis is not signed by the log "
				"key");
		return k;
	}
	if (!a->s.genesis) {
		anomaly(a, -1, "no --vkey and no genesis naming the log key");
		return NULL;
	}
	/* the signer's name is on its signature line: "— NAME sig" */
	sig = memmem(note, len, "\n\xe2\x80\x94 ", 5);
	if (!sig || sscanf(sig + 5, "%255s", text) != 1) {
		anomaly(a, -1, "checkpoint has no signature line");
		return NULL;
	}
	raw[0] = 0x01;
	memcpy(raw + 1, a->s.log_key, NOTE_ED25519_PUB);
	note_b64_encode(raw, sizeof(raw), b64, sizeof(b64));
	snprintf(text + strlen(text), sizeof(text) - strlen(text), "+%08x+%s",
		 note_key_id(text, a->s.log_key), b64);
	if (note_key_parse_vkey(text, &k, err, sizeof(err)) < 0)
		anomaly(a, -1, "genesis log key: %s", err);
	return k;
}

static void check_checkpoint(struct audit *a, const char *note, size_t len)
{
	struct note_key *k = log_key(a, note, len);
	uint8_t root[MERKLE_HASH_LEN];
	char err[300];

	if (!k)
		return;
	if (checkpoint_open(note, len, k, &a->ck, err, sizeof(err)) < 0) {
		anomaly(a, -1, "checkpoint: %s", err);
	} else if (a->ck.size > a->entries) {
		anomaly(a, -1, "checkpoint size %llu beyond the log's %llu",
			(unsigned long long)a->ck.size,
			(unsigned long long)a->entries);
	} else {
		merkle_root(a->fresh, a->ck.size, root, NULL, 0);
		if (memcmp(root, a->ck.root, MERKLE_HASH_LEN))
			anomaly(a, -1,
				"root of the first %llu entries "
				"differs from the checkpoint",
				(unsigned long long)a->ck.size);
		else
			a->ck_ok = true;
	}
	note_key_free(k);
}

static void progress(const struct audit *a, uint64_t i, uint64_t n)
{
	if (n >= 2 * PROGRESS_EVERY && i && i % PROGRESS_EVERY == 0)
		fprintf(stderr, "audit: %llu/%llu entries (%llu%%)\n",
			(unsigned long long)i, (unsigned long long)n,
			(unsigned long long)(i * 100 / n));
}

static int replay(struct audit *a, char *err, size_t errlen)
{
	char *note = NULL;
	size_t len;
	uint64_t n;

	if (a->url) {
		struct checkpoint ck;
		const char *c;

		if (tiles_remote_open(a->url, a->cache, &a->remote, err,
				      errlen) < 0)
			return -1;
		c = tiles_remote_checkpoint(a->remote, &len);
		if (checkpoint_parse(c, len, &ck, err, errlen) < 0)
			return -1;
		n = ck.size; /* a remote log is what its checkpoint covers */
		for (uint64_t i = 0; i < n; i++) {
			const uint8_t *d;
			size_t dl;

			progress(a, i, n);
			if (tiles_remote_entry(a->remote, i, n, &d, &dl, err,
					       errlen) < 0)
				return -1;
			one_entry(a, i, d, dl);
		}
		a->entries = n;
		check_checkpoint(a, c, len);
		return 0;
	}
	/* opening checks every frame's CRC; a bad frame ends the log there,
	 * which the checkpoint then exposes */
	if (store_open_ro(a->dir, &a->store, NULL, err, errlen) < 0)
		return -1;
	n = store_size(a->store);
	for (uint64_t i = 0; i < n; i++) {
		uint8_t *d;
		size_t dl;

		progress(a, i, n);
		if (store_get(a->store, i, &d, &dl, err, errlen) < 0)
			return -1;
		one_entry(a, i, d, dl);
		free(d);
	}
	a->entries = n;
	if (checkpoint_read(a->dir, &note, &len, err, errlen) < 0) {
		anomaly(a, -1, "no checkpoint: %s", err);
		return 0;
	}
	check_checkpoint(a, note, len);
	free(note);
	return 0;
}

static struct json_object *report(struct audit *a)
{
	struct json_object *o = json_object_new_object(), *x, *accts, *ords;
	uint64_t paid = 0, refunded = 0;
	char root[64];

	json_object_object_add(o, "ok",
			       json_object_new_boolean(a->nanomalies == 0));
	json_object_object_add(o, "entries",
			       json_object_new_uint64(a->entries));
	x = json_object_new_object();
	json_object_object_add(x, "origin",
			       json_object_new_string(a->ck.origin));
	json_object_object_add(x, "size", json_object_new_uint64(a->ck.size));
	note_b64_encode(a->ck.root, MERKLE_HASH_LEN, root, sizeof(root));
	json_object_object_add(x, "root", json_object_new_string(root));
	json_object_object_add(x, "verified",
			       json_object_new_boolean(a->ck_ok));
	json_object_object_add(o, "checkpoint", x);
	json_object_object_add(o, "decisions",
			       json_object_new_uint64(a->s.decisions));
	json_object_object_add(o, "decision_signatures",
			       json_object_new_string(a->keys ? "checked"
							      : "not checked "
								"(no --keys)"));
	x = json_object_new_object();
	for (unsigned k = 0; k <= TOKEN_KIND_MAX; k++)
		json_object_object_add(x, token_kind_name(k),
				       json_object_new_uint64(a->s.applied[k]));
	json_object_object_add(o, "token_records", x);
	accts = json_object_new_array();
	for (size_t i = 0; i < a->s.naccts; i++) {
		paid += a->s.accts[i].earned;
		refunded += a->s.accts[i].refunded;
		json_object_array_add(accts,
				      cli_token_account_json(&a->s.accts[i]));
	}
	x = json_object_new_object();
	json_object_object_add(x, "supply",
			       json_object_new_uint64(a->s.issued_total));
	json_object_object_add(x, "locked",
			       json_object_new_uint64(a->s.escrow_open));
	json_object_object_add(x, "paid_to_providers",
			       json_object_new_uint64(paid));
	json_object_object_add(x, "refunded", json_object_new_uint64(refunded));
	json_object_object_add(x, "orders_open",
			       json_object_new_uint64(a->s.orders_open));
	json_object_object_add(x, "orders_settled",
			       json_object_new_uint64(a->s.orders_settled));
	json_object_object_add(x, "orders_expired",
			       json_object_new_uint64(a->s.orders_expired));
	json_object_object_add(o, "totals", x);
	json_object_object_add(o, "accounts", accts);
	ords = json_object_new_array();
	for (size_t i = 0; i < a->s.norders; i++)
		json_object_array_add(
			ords, cli_token_order_json(&a->s, &a->s.orders[i]));
	json_object_object_add(o, "orders", ords);
	json_object_object_add(o, "anomaly_count",
			       json_object_new_uint64(a->nanomalies));
	json_object_object_add(o, "anomalies", json_object_get(a->anomalies));
	if (a->remote) {
		uint64_t f, c;

		tiles_remote_stats(a->remote, &f, &c);
		x = json_object_new_object();
		json_object_object_add(x, "fetched", json_object_new_uint64(f));
		json_object_object_add(x, "cached", json_object_new_uint64(c));
		json_object_object_add(o, "tiles", x);
	}
	return o;
}

static void print_text(struct audit *a, struct json_object *r)
{
	struct json_object *t = json_object_object_get(r, "totals");
	char id[64];

	printf("audit %s: %llu entries, %llu decisions, checkpoint %s size "
	       "%llu %s\n",
	       a->nanomalies ? "FAILED" : "OK", (unsigned long long)a->entries,
	       (unsigned long long)a->s.decisions, a->ck.origin,
	       (unsigned long long)a->ck.size,
	       a->ck_ok ? "verified" : "NOT verified");
	printf("tokens: supply %s, locked %s, paid to providers %s, "
	       "refunded %s\n",
	       json_object_get_string(json_object_object_get(t, "supply")),
	       json_object_get_string(json_object_object_get(t, "locked")),
	       json_object_get_string(
		       json_object_object_get(t, "paid_to_providers")),
	       json_object_get_string(json_object_object_get(t, "refunded")));
	printf("orders: %llu open, %llu settled, %llu expired\n",
	       (unsigned long long)a->s.orders_open,
	       (unsigned long long)a->s.orders_settled,
	       (unsigned long long)a->s.orders_expired);
	for (size_t i = 0; i < a->s.naccts; i++) {
		const struct token_acct *x = &a->s.accts[i];

		token_account_id(x->key, id);
		printf("account %s: balance %llu locked %llu | issued %llu "
		       "received %llu sent %llu escrowed %llu spent %llu "
		       "refunded %llu earned %llu\n",
		       id, (unsigned long long)x->balance,
		       (unsigned long long)x->locked,
		       (unsigned long long)x->issued,
		       (unsigned long long)x->received,
		       (unsigned long long)x->sent,
		       (unsigned long long)x->escrowed,
		       (unsigned long long)x->spent,
		       (unsigned long long)x->refunded,
		       (unsigned long long)x->earned);
	}
	for (size_t i = 0; i < a->s.norders; i++)
		cli_token_print_order(&a->s, &a->s.orders[i]);
	for (size_t i = 0; i < json_object_array_length(a->anomalies); i++) {
		struct json_object *x =
			json_object_array_get_idx(a->anomalies, i);
		struct json_object *ix = json_object_object_get(x, "index");

		printf("ANOMALY %s%s: %s\n", ix ? "at entry " : "(log)",
		       ix ? json_object_get_string(ix) : "",
		       json_object_get_string(
			       json_object_object_get(x, "reason")));
	}
	if (a->nanomalies > ANOMALIES_KEPT)
		printf("... %llu anomalies in all\n",
		       (unsigned long long)a->nanomalies);
}

int cli_token_audit(int argc, char **argv, const struct cli_opts *o)
{
	struct audit a = {.dir = o->dir};
	struct json_object *r;
	char err[1024];
	int rc = 1;

	for (int i = 1; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(argv[i], "--json"))
			a.json = true;
		else if (!strcmp(argv[i], "--allow-unsigned"))
			a.allow_unsigned = true;
		else if (!strcmp(argv[i], "--dir") && v)
			a.dir = argv[++i];
		else if (!strcmp(argv[i], "--url") && v)
			a.url = argv[++i];
		else if (!strcmp(argv[i], "--cache") && v)
			a.cache = argv[++i];
		else if (!strcmp(argv[i], "--vkey") && v)
			a.vkey = argv[++i];
		else if (!strcmp(argv[i], "--keys") && v)
			a.keys = argv[++i];
		else
			a.dir = a.url = NULL, i = argc;
	}
	if (!a.dir == !a.url) {
		cli_err("audit",
			"usage: audit --dir D | --url URL [--cache "
			"DIR] [--json] [--vkey LOGKEY] [--keys "
			"ROUTERKEYS] [--allow-unsigned]");
		return 2;
	}
	token_state_init(&a.s);
	a.anomalies = json_object_new_array();
	if ((a.keys && load_router_keys(&a, err, sizeof(err)) < 0) ||
	    merkle_open(&a.fresh, NULL, err, sizeof(err)) < 0 ||
	    replay(&a, err, sizeof(err)) < 0) {
		cli_err("audit", "FAILED: %s", err);
		goto out;
	}
	if (token_state_check(&a.s, true, err, sizeof(err)) < 0)
		anomaly(&a, -1, "invariant broken at the end: %s", err);
	r = report(&a);
	if (a.json)
		printf("%s\n",
		       json_object_to_json_string_ext(
			       r, JSON_C_TO_STRING_PRETTY |
					  JSON_C_TO_STRING_NOSLASHESCAPE));
	else
		print_text(&a, r);
	json_object_put(r);
	rc = a.nanomalies ? 1 : 0;
out:
	for (size_t i = 0; i < a.nrkeys; i++)
		note_key_free(a.rkeys[i]);
	json_object_put(a.anomalies);
	merkle_close(a.fresh);
	store_close(a.store);
	tiles_remote_close(a.remote);
	token_state_free(&a.s);
	return rc;
}
