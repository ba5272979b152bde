// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cfn-ledger account new, and the token operations that go through
 * cfn-ledgerd: issue, transfer, provider, order, receipt, expire.  Each
 * signs one record with --key, submits it, and prints its log index (for
 * an order: the order id) once durable; a rejection exits 1 with the
 * ledger's reason.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <openssl/rand.h>

#include "cli_token.h"
#include "note_file.h"
#include "util.h"

int cli_token_parse_account(const char *arg, token_account a, char *err,
			    size_t errlen)
{
	struct note_key *k;

	if (token_account_parse(arg, a) == 0)
		return 0;
	if (note_key_load(arg, &k, err, errlen) < 0)
		return cfn_err(err, errlen,
			       "%s is neither an account id nor a key file",
			       arg);
	memcpy(a, k->pub, NOTE_ED25519_PUB);
	note_key_free(k);
	return 0;
}

int cli_account(int argc, char **argv, const struct cli_opts *o)
{
	const char *name = NULL, *out = NULL;
	struct note_key *k = NULL;
	char err[256], path[4096], vkey[NOTE_VKEY_MAX], id[64], *p;
	struct stat st;
	int rc = 1;

	(void)o;
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--out") && i + 1 < argc)
			out = argv[++i];
		else if (!name && argv[i][0] != '-')
			name = argv[i];
		else
			name = out = NULL, i = argc;
	}
	if (argc < 2 || strcmp(argv[1], "new") || !name || !out) {
		cli_err("account", "usage: account new NAME --out DIR");
		return 2;
	}
	if (!note_name_valid(name) || strchr(name, '/')) {
		cli_err("account", "invalid account name %s", name);
		return 2;
	}
	mkdir(out, 0700);
	snprintf(path, sizeof(path), "%s/%s.key", out, name);
	if (stat(path, &st) == 0) {
		cli_err("account", "%s exists; not overwriting", path);
		return 1;
	}
	if (note_key_generate(name, &k, err, sizeof(err)) < 0 ||
	    note_key_save_private(k, path, err, sizeof(err)) < 0)
		goto fail;
	note_key_format_vkey(k, vkey, sizeof(vkey));
	snprintf(path, sizeof(path), "%s/%s.vkey", out, name);
	p = vkey + strlen(vkey);
	*p++ = '\n';
	if (write_file_atomic(path, vkey, (size_t)(p - vkey), 0644, err,
			      sizeof(err)) < 0)
		goto fail;
	token_account_id(k->pub, id);
	printf("%s\n", id);
	rc = 0;
	goto out;
fail:
	cli_err("account", "%s", err);
out:
	note_key_free(k);
	return rc;
}

static bool parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (!*s || *s == '-')
		return false;
	*v = strtoull(s, &end, 10);
	return !*end;
}

struct op_args {
	const char *socket, *keyfile, *to, *router, *site, *service, *ingress;
	uint64_t amount, price, units, max_price, expires, order;
	bool has_amount, has_price, has_units, has_max, has_exp, has_order;
};

static int parse_args(int argc, char **argv, const struct cli_opts *o,
		      struct op_args *a)
{
	memset(a, 0, sizeof(*a));
	a->socket = o->socket;
	for (int i = 1; i < argc; i++) {
		const char *k = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!v)
			return -1;
		i++;
		if (!strcmp(k, "--socket"))
			a->socket = v;
		else if (!strcmp(k, "--key"))
			a->keyfile = v;
		else if (!strcmp(k, "--to"))
			a->to = v;
		else if (!strcmp(k, "--router"))
			a->router = v;
		else if (!strcmp(k, "--site"))
			a->site = v;
		else if (!strcmp(k, "--service"))
			a->service = v;
		else if (!strcmp(k, "--ingress"))
			a->ingress = v;
		else if (!strcmp(k, "--amount"))
			a->has_amount = parse_u64(v, &a->amount) || (i = -2);
		else if (!strcmp(k, "--price"))
			a->has_price = parse_u64(v, &a->price) || (i = -2);
		else if (!strcmp(k, "--units"))
			a->has_units = parse_u64(v, &a->units) || (i = -2);
		else if (!strcmp(k, "--max-price"))
			a->has_max = parse_u64(v, &a->max_price) || (i = -2);
		else if (!strcmp(k, "--expires"))
			a->has_exp = parse_u64(v, &a->expires) || (i = -2);
		else if (!strcmp(k, "--order"))
			a->has_order = parse_u64(v, &a->order) || (i = -2);
		else
			return -1;
		if (i < 0)
			return -1;
	}
	return a->socket && a->keyfile ? 0 : -1;
}

static const struct {
	const char *cmd;
	uint8_t kind;
	const char *usage;
} ops[] = {
	{"issue", TOKEN_ISSUE, "--to ACCOUNT --amount N"},
	{"transfer", TOKEN_TRANSFER, "--to ACCOUNT --amount N"},
	{"provider", TOKEN_PROVIDER,
	 "--router HOSTNAME --site NAME [--price P]"},
	{"order", TOKEN_ORDER,
	 "--service PREFIX --ingress HOSTNAME --units N --max-price P "
	 "--expires SECONDS"},
	{"receipt", TOKEN_RECEIPT, "--order ID --units N"},
	{"expire", TOKEN_EXPIRY, "--order ID"},
};

/* Fill the kind's fields from the arguments; -1 when some are missing. */
static int fill(struct token_record *t, const struct op_args *a, char *err,
		size_t errlen)
{
	switch (t->kind) {
	case TOKEN_ISSUE:
	case TOKEN_TRANSFER:
		if (!a->to || !a->has_amount)
			return cfn_err(err, errlen, "needs --to and --amount");
		t->u.pay.amount = a->amount;
		return cli_token_parse_account(a->to, t->u.pay.to, err, errlen);
	case TOKEN_PROVIDER:
		if (!a->router || !a->site)
			return cfn_err(err, errlen,
				       "needs --router and --site");
		if (strlen(a->router) > RECORD_NAME_MAX ||
		    strlen(a->site) > RECORD_NAME_MAX)
			return cfn_err(err, errlen, "name too long");
		strcpy(t->u.provider.router, a->router);
		strcpy(t->u.provider.site, a->site);
		t->u.provider.price = a->price; /* 0: compute for free */
		return 0;
	case TOKEN_ORDER:
		if (!a->service || !a->ingress || !a->has_units ||
		    !a->has_max || !a->has_exp)
			return cfn_err(err, errlen,
				       "needs --service, --ingress, "
				       "--units, --max-price and "
				       "--expires");
		if (token_parse_prefix(a->service, &t->u.order.family,
				       &t->u.order.plen, t->u.order.addr) < 0)
			return cfn_err(err, errlen, "bad service prefix %s",
				       a->service);
		if (strlen(a->ingress) > RECORD_NAME_MAX)
			return cfn_err(err, errlen, "name too long");
		strcpy(t->u.order.ingress, a->ingress);
		t->u.order.units = a->units;
		t->u.order.max_price = a->max_price;
		if (a->expires > 100LL * 365 * 86400)
			return cfn_err(err, errlen, "--expires too far");
		t->u.order.expires_s = t->time_s + (int64_t)a->expires;
		return 0;
	case TOKEN_RECEIPT:
	case TOKEN_EXPIRY:
		if (!a->has_order ||
		    (t->kind == TOKEN_RECEIPT && !a->has_units))
			return cfn_err(err, errlen, "needs --order%s",
				       t->kind == TOKEN_RECEIPT ? " and --units"
								: "");
		t->u.close.order = a->order;
		t->u.close.units = a->units;
		return 0;
	}
	return cfn_err(err, errlen, "unknown operation");
}

int cli_token_op(int argc, char **argv, const struct cli_opts *o)
{
	struct token_record t = {0};
	struct note_key *k = NULL;
	struct op_args a;
	uint8_t buf[TOKEN_MAX_LEN];
	char err[1100], id[64];
	uint64_t index;
	size_t op;
	int n, rc = 1;

	for (op = 0; strcmp(ops[op].cmd, argv[0]); op++)
		;
	if (parse_args(argc, argv, o, &a) < 0) {
		cli_err(argv[0], "usage: %s --socket S --key KEYFILE %s",
			argv[0], ops[op].usage);
		return 2;
	}
	t.kind = ops[op].kind;
	t.time_s = time(NULL);
	if (RAND_bytes((uint8_t *)&t.nonce, sizeof(t.nonce)) != 1) {
		cli_err(argv[0], "no randomness for the nonce");
		return 1;
	}
	if (note_key_load(a.keyfile, &k, err, sizeof(err)) < 0 ||
	    fill(&t, &a, err, sizeof(err)) < 0 ||
	    token_sign(&t, k, err, sizeof(err)) < 0 ||
	    (n = token_encode(&t, buf, sizeof(buf), err, sizeof(err))) < 0)
		goto fail;
	token_account_id(t.account, id);
	if (cli_token_submit(a.socket, id, k, buf, (size_t)n, &index, err,
			     sizeof(err)) < 0)
		goto fail;
	printf("%llu\n", (unsigned long long)index);
	rc = 0;
	goto out;
fail:
	cli_err(argv[0], "%s", err);
out:
	note_key_free(k);
	return rc;
}
