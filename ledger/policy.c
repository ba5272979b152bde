// SPDX-License-Identifier: GPL-2.0-or-later
/* C2SP tlog-policy files and quorum checks.  See policy.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cosig.h"
#include "policy.h"
#include "util.h"

#define MAX_TOKENS (3 + 2 * POLICY_MAX)

/* Split a line on spaces and tabs (the only whitespace of the spec). */
static size_t tokenize(char *line, char **tok, size_t max)
{
	size_t n = 0;

	for (char *p = line; *p;) {
		while (*p == ' ' || *p == '\t')
			*p++ = '\0';
		if (!*p)
			break;
		if (n == max)
			return max + 1;
		tok[n++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	return n;
}

/* Witnesses and groups share one namespace, with "none" predefined. */
static bool name_lookup(const struct policy *p, const char *name, int *ref)
{
	for (size_t i = 0; i < p->nw; i++)
		if (!strcmp(p->w[i].name, name)) {
			*ref = (int)i;
			return true;
		}
	for (size_t i = 0; i < p->ng; i++)
		if (!strcmp(p->g[i].name, name)) {
			*ref = -1 - (int)i;
			return true;
		}
	return false;
}

static int new_name(const struct policy *p, const char *name, char *dst,
		    char *err, size_t errlen)
{
	int ref;

	if (strlen(name) > POLICY_NAME_MAX)
		return cfn_err(err, errlen, "name too long");
	if (!strcmp(name, "none") || name_lookup(p, name, &ref))
		return cfn_err(err, errlen, "name '%s' already defined", name);
	strcpy(dst, name);
	return 0;
}

static bool same_pub(struct note_key *const *keys, size_t n,
		     const struct note_key *k)
{
	for (size_t i = 0; i < n; i++)
		if (!memcmp(keys[i]->pub, k->pub, NOTE_ED25519_PUB))
			return true;
	return false;
}

static int parse_log(struct policy *p, char **tok, size_t n, char *err,
		     size_t errlen)
{
	struct note_key *k;
	char e[256];

	if (n < 2 || n > 3)
		return cfn_err(err, errlen, "usage: log <vkey> [<url>]");
	if (p->nlogs == POLICY_MAX)
		return cfn_err(err, errlen, "too many logs");
	if (note_key_parse_vkey(tok[1], &k, e, sizeof(e)) < 0)
		return cfn_err(err, errlen, "log key: %s", e);
	if (same_pub(p->log, p->nlogs, k)) {
		note_key_free(k);
		return cfn_err(err, errlen, "duplicate log key");
	}
	p->log[p->nlogs] = k;
	p->log_url[p->nlogs++] = n == 3 ? strdup(tok[2]) : NULL;
	return 0;
}

static int parse_witness(struct policy *p, char **tok, size_t n, char *err,
			 size_t errlen)
{
	struct policy_witness *w = &p->w[p->nw];
	struct note_key *keys[POLICY_MAX];
	char e[256];

	if (n < 3 || n > 4)
		return cfn_err(err, errlen,
			       "usage: witness <name> <vkey> [<url>]");
	if (p->nw == POLICY_MAX)
		return cfn_err(err, errlen, "too many witnesses");
	if (new_name(p, tok[1], w->name, err, errlen) < 0)
		return -1;
	if (cosig_key_parse_vkey(tok[2], strlen(tok[2]), &w->key, e,
				 sizeof(e)) < 0)
		return cfn_err(err, errlen, "witness %s: %s", tok[1], e);
	for (size_t i = 0; i < p->nw; i++)
		keys[i] = p->w[i].key;
	if (same_pub(keys, p->nw, w->key)) {
		note_key_free(w->key);
		w->key = NULL;
		return cfn_err(err, errlen, "duplicate witness key");
	}
	w->url = n == 4 ? strdup(tok[3]) : NULL;
	p->nw++;
	return 0;
}

static int parse_k(const char *s, unsigned n, unsigned *k)
{
	unsigned long v = 0;

	if (!strcmp(s, "all")) {
		*k = n;
		return 0;
	}
	if (!strcmp(s, "any")) {
		*k = 1;
		return 0;
	}
	/* decimal; a leading zero would be a second spelling of k */
	if (!*s || *s == '0' || strlen(s) > 3)
		return -1;
	for (const char *q = s; *q; q++) {
		if (*q < '0' || *q > '9')
			return -1;
		v = v * 10 + (unsigned long)(*q - '0');
	}
	if (v < 1 || v > n)
		return -1;
	*k = (unsigned)v;
	return 0;
}

static int parse_group(struct policy *p, char **tok, size_t n, bool *used,
		       char *err, size_t errlen)
{
	struct policy_group *g = &p->g[p->ng];

	if (n < 4)
		return cfn_err(err, errlen,
			       "usage: group <name> all|any|<k> <name>...");
	if (p->ng == POLICY_MAX)
		return cfn_err(err, errlen, "too many groups");
	if (n - 3 > 2 * POLICY_MAX)
		return cfn_err(err, errlen, "too many group members");
	g->n = (unsigned)(n - 3);
	for (size_t i = 3; i < n; i++) {
		int ref;
		size_t slot;

		if (!name_lookup(p, tok[i], &ref))
			return cfn_err(err, errlen,
				       "group member '%s' is not defined above",
				       tok[i]);
		slot = ref >= 0 ? (size_t)ref : POLICY_MAX + (size_t)(-1 - ref);
		if (used[slot])
			return cfn_err(err, errlen,
				       "'%s' is already a group member",
				       tok[i]);
		used[slot] = true;
		g->member[i - 3] = ref;
	}
	if (parse_k(tok[2], g->n, &g->k) < 0)
		return cfn_err(err, errlen,
			       "group threshold must be all, any or 1..%u",
			       g->n);
	if (new_name(p, tok[1], g->name, err, errlen) < 0)
		return -1;
	p->ng++;
	return 0;
}

static int parse_line(struct policy *p, char *line, bool *used,
		      bool *have_quorum, char *err, size_t errlen)
{
	char *tok[MAX_TOKENS + 1];
	size_t n = tokenize(line, tok, MAX_TOKENS);

	if (n == 0 || tok[0][0] == '#')
		return 0;
	if (n > MAX_TOKENS)
		return cfn_err(err, errlen, "too many items");
	if (!strcmp(tok[0], "log"))
		return parse_log(p, tok, n, err, errlen);
	if (!strcmp(tok[0], "witness"))
		return parse_witness(p, tok, n, err, errlen);
	if (!strcmp(tok[0], "group"))
		return parse_group(p, tok, n, used, err, errlen);
	if (!strcmp(tok[0], "quorum")) {
		if (n != 2)
			return cfn_err(err, errlen, "usage: quorum <name>");
		if (*have_quorum)
			return cfn_err(err, errlen, "a second quorum line");
		*have_quorum = true;
		if (!strcmp(tok[1], "none")) {
			p->quorum_none = true;
			return 0;
		}
		if (!name_lookup(p, tok[1], &p->quorum))
			return cfn_err(err, errlen,
				       "quorum '%s' is not defined above",
				       tok[1]);
		return 0;
	}
	return cfn_err(err, errlen, "unknown keyword '%s'", tok[0]);
}

int policy_parse(const char *text, size_t len, struct policy **out, char *err,
		 size_t errlen)
{
	struct policy *p = calloc(1, sizeof(*p));
	bool used[2 * POLICY_MAX] = {0}, have_quorum = false;
	char *buf = malloc(len + 1), e[512];
	size_t lineno = 0;
	char *line, *next;

	if (!p || !buf) {
		free(p);
		free(buf);
		return cfn_err(err, errlen, "out of memory");
	}
	memcpy(buf, text, len);
	buf[len] = '\0';
	/* octets: tab, newline, 0x20-0x7e and 0x80-0xff only */
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c == '\n')
			lineno++;
		if (c != '\t' && c != '\n' && (c < 0x20 || c == 0x7f)) {
			cfn_err(err, errlen,
				"line %zu: control character 0x%02x",
				lineno + 1, c);
			goto fail;
		}
	}
	lineno = 0;
	for (line = buf; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		if (parse_line(p, line, used, &have_quorum, e, sizeof(e)) < 0) {
			cfn_err(err, errlen, "line %zu: %s", lineno, e);
			goto fail;
		}
	}
	if (!have_quorum) {
		cfn_err(err, errlen, "no quorum line");
		goto fail;
	}
	free(buf);
	*out = p;
	return 0;
fail:
	free(buf);
	policy_free(p);
	return -1;
}

int policy_load(const char *path, struct policy **out, char *err, size_t errlen)
{
	char *buf, e[512];
	size_t len;
	int rc;

	if (read_file(path, POLICY_FILE_MAX, &buf, &len, err, errlen) < 0)
		return -1;
	rc = policy_parse(buf, len, out, e, sizeof(e));
	free(buf);
	if (rc < 0)
		return cfn_err(err, errlen, "%s: %s", path, e);
	return 0;
}

void policy_free(struct policy *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nlogs; i++) {
		note_key_free(p->log[i]);
		free(p->log_url[i]);
	}
	for (size_t i = 0; i < p->nw; i++) {
		note_key_free(p->w[i].key);
		free(p->w[i].url);
	}
	free(p);
}

bool policy_quorum(const struct policy *p, const bool *signed_)
{
	bool gok[POLICY_MAX];

	if (p->quorum_none)
		return true;
	/* groups only name earlier groups: one pass in order suffices */
	for (size_t i = 0; i < p->ng; i++) {
		const struct policy_group *g = &p->g[i];
		unsigned have = 0;

		for (unsigned m = 0; m < g->n; m++) {
			int r = g->member[m];

			have += r >= 0 ? signed_[r] : gok[-1 - r];
		}
		gok[i] = have >= g->k;
	}
	return p->quorum >= 0 ? signed_[p->quorum] : gok[-1 - p->quorum];
}

int policy_check(const struct policy *p, const char *note, size_t len,
		 struct policy_verdict *v, char *err, size_t errlen)
{
	struct note_key *wk[POLICY_MAX];
	bool vlog[POLICY_MAX];
	char e[512];

	memset(v, 0, sizeof(*v));
	v->log = -1;
	if (p->nlogs == 0)
		return cfn_err(err, errlen, "the policy lists no log");
	if (note_open(note, len, p->log, p->nlogs, &v->text_len, vlog, e,
		      sizeof(e)) < 0)
		return cfn_err(err, errlen, "log signature: %s", e);
	if (checkpoint_parse(note, v->text_len, &v->ck, e, sizeof(e)) < 0)
		return cfn_err(err, errlen, "%s", e);
	for (size_t i = 0; i < p->nlogs; i++)
		if (vlog[i] && !strcmp(p->log[i]->name, v->ck.origin))
			v->log = (int)i;
	if (v->log < 0)
		return cfn_err(err, errlen,
			       "checkpoint origin %s is not the name of a log "
			       "key that signed it",
			       v->ck.origin);
	for (size_t i = 0; i < p->nw; i++)
		wk[i] = p->w[i].key;
	if (cosig_verify_note(note, len, v->text_len, wk, p->nw, v->signed_,
			      v->time, e, sizeof(e)) < 0)
		return cfn_err(err, errlen, "%s", e);
	for (size_t i = 0; i < p->nw; i++)
		v->nsigned += v->signed_[i];
	v->quorum = policy_quorum(p, v->signed_);
	if (!v->quorum) {
		char d[2048];

		policy_describe(p, v, d, sizeof(d));
		return cfn_err(err, errlen, "quorum not met (%s)", d);
	}
	return 0;
}

static void append(char *buf, size_t size, size_t *o, const char *s)
{
	int n = snprintf(buf + *o, size - *o, "%s", s);

	if (n > 0)
		*o = *o + (size_t)n < size ? *o + (size_t)n : size - 1;
}

void policy_describe(const struct policy *p, const struct policy_verdict *v,
		     char *buf, size_t size)
{
	size_t o = 0;

	buf[0] = '\0';
	for (int pass = 1; pass >= 0; pass--) {
		bool first = true;

		append(buf, size, &o,
		       pass ? "signed:" : (o ? "; missing:" : "missing:"));
		for (size_t i = 0; i < p->nw; i++) {
			if (v->signed_[i] != (bool)pass)
				continue;
			append(buf, size, &o, " ");
			append(buf, size, &o, p->w[i].name);
			first = false;
		}
		if (first)
			append(buf, size, &o, " none");
	}
}
