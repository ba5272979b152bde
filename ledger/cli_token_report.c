// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cfn-ledger balance / orders: replay the log of --dir (read-only, safe
 * while cfn-ledgerd appends) and print the token state.  Also the JSON
 * views of accounts and orders that audit reuses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cli_token.h"
#include "cli_token_view.h"
#include "record.h"
#include "store.h"

int cli_token_replay_dir(const char *cmd, const char *dir,
			 struct token_state *s)
{
	struct ledger_store *st;
	char err[512];
	uint64_t n;

	if (store_open_ro(dir, NULL, record_peek_key, &st, NULL, err,
			  sizeof(err)) < 0) {
		cli_err(cmd, "%s: %s", dir, err);
		return -1;
	}
	n = store_size(st);
	for (uint64_t i = 0; i < n; i++) {
		uint8_t *d;
		size_t len;

		if (store_get(st, i, &d, &len, err, sizeof(err)) < 0) {
			cli_err(cmd, "entry %llu: %s", (unsigned long long)i,
				err);
			store_close(st);
			return -1;
		}
		token_state_apply(s, i, d, len, 0, NULL, 0);
		free(d);
	}
	store_close(st);
	return 0;
}

static const char *const state_names[] = {"open", "settled", "expired"};

static void add_u64(struct json_object *o, const char *k, uint64_t v)
{
	json_object_object_add(o, k, json_object_new_uint64(v));
}

struct json_object *cli_token_account_json(const struct token_acct *a)
{
	struct json_object *o = json_object_new_object();
	char id[64];

	token_account_id(a->key, id);
	json_object_object_add(o, "account", json_object_new_string(id));
	add_u64(o, "balance", a->balance);
	add_u64(o, "locked", a->locked);
	add_u64(o, "issued", a->issued);
	add_u64(o, "received", a->received);
	add_u64(o, "sent", a->sent);
	add_u64(o, "escrowed", a->escrowed);
	add_u64(o, "spent", a->spent);
	add_u64(o, "refunded", a->refunded);
	add_u64(o, "earned", a->earned);
	return o;
}

struct json_object *cli_token_order_json(const struct token_state *s,
					 const struct token_order *x)
{
	struct json_object *o = json_object_new_object();
	char id[64], svc[64];

	add_u64(o, "order", x->index);
	json_object_object_add(o, "state",
			       json_object_new_string(state_names[x->state]));
	token_account_id(s->accts[x->enterprise].key, id);
	json_object_object_add(o, "enterprise", json_object_new_string(id));
	token_account_id(s->accts[x->provider].key, id);
	json_object_object_add(o, "provider", json_object_new_string(id));
	token_format_prefix(x->family, x->plen, x->addr, svc, sizeof(svc));
	json_object_object_add(o, "service", json_object_new_string(svc));
	json_object_object_add(o, "ingress",
			       json_object_new_string(x->ingress));
	json_object_object_add(o, "router", json_object_new_string(x->router));
	json_object_object_add(o, "site", json_object_new_string(x->site));
	add_u64(o, "units", x->units);
	add_u64(o, "price", x->price);
	add_u64(o, "escrow", x->escrow);
	json_object_object_add(o, "expires",
			       json_object_new_int64(x->expires_s));
	if (x->state != TOKEN_ORDER_OPEN) {
		add_u64(o, "done", x->done);
		add_u64(o, "paid", x->paid);
		add_u64(o, "refund", x->refund);
		add_u64(o, "closed_by", x->closed_by);
	}
	return o;
}

void cli_token_print_order(const struct token_state *s,
			   const struct token_order *x)
{
	char ent[64], prov[64], svc[64];

	token_account_id(s->accts[x->enterprise].key, ent);
	token_account_id(s->accts[x->provider].key, prov);
	token_format_prefix(x->family, x->plen, x->addr, svc, sizeof(svc));
	printf("order %llu %s: %s via %s -> %s (%s) %llu units x %llu = "
	       "%llu escrow",
	       (unsigned long long)x->index, state_names[x->state], svc,
	       x->ingress, x->router, x->site, (unsigned long long)x->units,
	       (unsigned long long)x->price, (unsigned long long)x->escrow);
	if (x->state != TOKEN_ORDER_OPEN)
		printf(", done %llu paid %llu refund %llu (entry %llu)",
		       (unsigned long long)x->done, (unsigned long long)x->paid,
		       (unsigned long long)x->refund,
		       (unsigned long long)x->closed_by);
	printf("\n  enterprise %s\n  provider   %s\n", ent, prov);
}

int cli_token_print_entry(const char *cmd, uint64_t index, const uint8_t *d,
			  size_t len, bool line, bool json)
{
	struct token_record t;
	struct json_object *o;
	char err[256];

	if (token_decode(d, len, &t, err, sizeof(err)) < 0) {
		cli_err(cmd, "entry %llu: %s", (unsigned long long)index, err);
		return -1;
	}
	o = token_to_json_obj(&t);
	if (line && json)
		json_object_object_add(o, "index",
				       json_object_new_uint64(index));
	if (line && !json)
		printf("%llu token ", (unsigned long long)index);
	printf("%s\n", json_object_to_json_string_ext(
			       o, (line ? JSON_C_TO_STRING_PLAIN
					: JSON_C_TO_STRING_PRETTY) |
					  JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	fflush(stdout);
	return 0;
}

static void print_json(struct json_object *o)
{
	printf("%s\n", json_object_to_json_string_ext(
			       o, JSON_C_TO_STRING_PRETTY |
					  JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

/*
 * An account id is base64url, so it may begin with '-': an argument that
 * parses as one is the account, never an option.
 */
static bool is_account_id(const char *s)
{
	token_account a;

	return token_account_parse(s, a) == 0;
}

/* [--dir D] [--json] and, when who is given, one ACCOUNT; -1 if more. */
static int view_args(int argc, char **argv, const char **dir, bool *json,
		     const char **who)
{
	for (int i = 1; i < argc; i++) {
		bool account = who && !*who &&
			       (argv[i][0] != '-' || is_account_id(argv[i]));

		if (account)
			*who = argv[i];
		else if (!strcmp(argv[i], "--dir") && i + 1 < argc)
			*dir = argv[++i];
		else if (!strcmp(argv[i], "--json"))
			*json = true;
		else
			return -1;
	}
	return 0;
}

int cli_balance(int argc, char **argv, const struct cli_opts *o)
{
	const char *dir = o->dir, *who = NULL;
	struct token_state s;
	token_account a;
	bool json = false;
	char err[256], id[64];
	int rc = 1;

	if (view_args(argc, argv, &dir, &json, &who) < 0 || !dir) {
		cli_err("balance", "usage: balance --dir D [ACCOUNT] [--json]");
		return 2;
	}
	if (who && cli_token_parse_account(who, a, err, sizeof(err)) < 0) {
		cli_err("balance", "%s", err);
		return 1;
	}
	token_state_init(&s);
	if (cli_token_replay_dir("balance", dir, &s) < 0)
		goto out;
	if (who) {
		const struct token_acct *x = token_state_account(&s, a);
		struct token_acct zero = {0};

		if (!x) {
			memcpy(zero.key, a, sizeof(zero.key));
			x = &zero;
		}
		if (json) {
			print_json(cli_token_account_json(x));
		} else {
			token_account_id(a, id);
			printf("%s balance %llu locked %llu\n", id,
			       (unsigned long long)x->balance,
			       (unsigned long long)x->locked);
		}
	} else if (json) {
		struct json_object *arr = json_object_new_array();

		for (size_t i = 0; i < s.naccts; i++)
			json_object_array_add(
				arr, cli_token_account_json(&s.accts[i]));
		print_json(arr);
	} else {
		for (size_t i = 0; i < s.naccts; i++) {
			token_account_id(s.accts[i].key, id);
			printf("%s balance %llu locked %llu\n", id,
			       (unsigned long long)s.accts[i].balance,
			       (unsigned long long)s.accts[i].locked);
		}
	}
	rc = 0;
out:
	token_state_free(&s);
	return rc;
}

int cli_orders(int argc, char **argv, const struct cli_opts *o)
{
	const char *dir = o->dir;
	struct token_state s;
	bool json = false;
	int rc = 1;

	if (view_args(argc, argv, &dir, &json, NULL) < 0 || !dir) {
		cli_err("orders", "usage: orders --dir D [--json]");
		return 2;
	}
	token_state_init(&s);
	if (cli_token_replay_dir("orders", dir, &s) < 0)
		goto out;
	if (json) {
		struct json_object *arr = json_object_new_array();

		for (size_t i = 0; i < s.norders; i++)
			json_object_array_add(
				arr, cli_token_order_json(&s, &s.orders[i]));
		print_json(arr);
	} else {
		for (size_t i = 0; i < s.norders; i++)
			cli_token_print_order(&s, &s.orders[i]);
	}
	rc = 0;
out:
	token_state_free(&s);
	return rc;
}
