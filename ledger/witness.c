// SPDX-License-Identifier: GPL-2.0-or-later
/* tlog-witness add-checkpoint: checks, durable state, cosigning. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <openssl/evp.h>

#include "util.h"
#include "witness.h"
#include "witness_req.h"

#define NOTE_MAX 65536

static int mkdir_p(const char *path, char *err, size_t errlen)
{
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		return cfn_err(err, errlen, "mkdir %s: %s", path,
			       strerror(errno));
	return 0;
}

int witness_init(struct witness *w, struct note_key *key, struct policy *policy,
		 const char *state, char *err, size_t errlen)
{
	char path[4096];

	memset(w, 0, sizeof(*w));
	w->key = key;
	w->policy = policy;
	w->state = strdup(state);
	pthread_mutex_init(&w->lock, NULL);
	if (!w->state)
		return cfn_err(err, errlen, "out of memory");
	cosig_key_adopt(w->key);
	if (mkdir_p(state, err, errlen) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/logs", state);
	if (mkdir_p(path, err, errlen) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/evidence", state);
	if (mkdir_p(path, err, errlen) < 0)
		return -1;
	return fsync_dir(state, err, errlen);
}

void witness_fini(struct witness *w)
{
	note_key_free(w->key);
	policy_free(w->policy);
	free(w->state);
	pthread_mutex_destroy(&w->lock);
}

static void reply(struct witness_reply *r, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void reply(struct witness_reply *r, int status, const char *fmt, ...)
{
	va_list ap;
	int n;

	r->status = status;
	r->ctype = "text/plain; charset=utf-8";
	va_start(ap, fmt);
	n = vsnprintf(r->body, sizeof(r->body), fmt, ap);
	va_end(ap);
	r->len = n < 0				? 0
		 : (size_t)n >= sizeof(r->body) ? sizeof(r->body) - 1
						: (size_t)n;
}

static void state_path(const struct witness *w, const char *origin, char *path,
		       size_t size)
{
	uint8_t h[32];
	char hex[65];
	unsigned int hl;

	EVP_Digest(origin, strlen(origin), h, &hl, EVP_sha256(), NULL);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", h[i]);
	snprintf(path, size, "%s/logs/%s", w->state, hex);
}

/* The checkpoint last cosigned for origin: 1 found, 0 none, -1 error. */
static int state_load(const struct witness *w, const char *origin,
		      struct checkpoint *c, char **note, size_t *len)
{
	char path[4096], e[256];
	size_t tlen;
	const char *blank;

	struct stat st;

	state_path(w, origin, path, sizeof(path));
	*note = NULL;
	if (stat(path, &st) < 0 && errno == ENOENT)
		return 0;
	if (read_file(path, NOTE_MAX, note, len, e, sizeof(e)) < 0)
		return -1;
	blank = strstr(*note, "\n\n");
	tlen = blank ? (size_t)(blank - *note) + 1 : *len;
	if (checkpoint_parse(*note, tlen, c, e, sizeof(e)) < 0 ||
	    strcmp(c->origin, origin) != 0) {
		free(*note);
		*note = NULL;
		return -1;
	}
	return 1;
}

static void keep_evidence(struct witness *w, const char *kind, const char *held,
			  size_t held_len, const char *body, size_t len)
{
	char path[4096], e[256], *buf;
	size_t cap = held_len + len + 256;
	int n;

	buf = malloc(cap);
	if (!buf)
		return;
	n = snprintf(buf, cap,
		     "# cfn-witness evidence: %s\n"
		     "# --- checkpoint this witness cosigned last:\n",
		     kind);
	memcpy(buf + n, held, held_len);
	n += (int)held_len;
	n += snprintf(buf + n, cap - (size_t)n,
		      "# --- add-checkpoint request refused:\n");
	memcpy(buf + n, body, len);
	n += (int)len;
	/* named by what was refused: the same request twice, one file */
	{
		uint8_t h[32];
		unsigned int hl;

		EVP_Digest(body, len, h, &hl, EVP_sha256(), NULL);
		snprintf(path, sizeof(path),
			 "%s/evidence/%lld-%s-%02x%02x%02x%02x%02x%02x.txt",
			 w->state, (long long)time(NULL), kind, h[0], h[1],
			 h[2], h[3], h[4], h[5]);
	}
	w->evidence_seq++;
	if (write_file_atomic(path, buf, (size_t)n, 0644, e, sizeof(e)) < 0)
		fprintf(stderr, "cfn-witness: evidence %s: %s\n", path, e);
	else
		fprintf(stderr, "cfn-witness: %s: evidence kept in %s\n", kind,
			path);
	free(buf);
}

/* The keys the policy trusts for origin, for note_open(). */
static size_t log_keys(const struct policy *p, const char *note, size_t len,
		       char *origin, struct note_key **keys)
{
	const char *nl = memchr(note, '\n', len);
	size_t n = 0;

	if (!nl || nl == note || (size_t)(nl - note) > NOTE_NAME_MAX)
		return 0;
	memcpy(origin, note, (size_t)(nl - note));
	origin[nl - note] = '\0';
	for (size_t i = 0; i < p->nlogs; i++)
		if (!strcmp(p->log[i]->name, origin))
			keys[n++] = p->log[i];
	return n;
}

/* Under the lock: the checks against the held state, persist, cosign. */
static void add_locked(struct witness *w, const char *body, size_t len,
		       const struct witness_req *q, const struct checkpoint *c,
		       size_t tlen, struct witness_reply *r)
{
	struct checkpoint held;
	char *hnote = NULL, path[4096], e[512];
	size_t hlen = 0;
	int have = state_load(w, c->origin, &held, &hnote, &hlen);
	uint64_t hsize = have == 1 ? held.size : 0;
	int n;

	if (have < 0) {
		reply(r, 500, "witness state for %s unreadable\n", c->origin);
		goto out;
	}
	if (have == 1 && c->size < held.size)
		keep_evidence(w, "rollback", hnote, hlen, body, len);
	if (q->old > c->size) {
		reply(r, 400, "old size %llu beyond checkpoint size %llu\n",
		      (unsigned long long)q->old, (unsigned long long)c->size);
		goto out;
	}
	if (q->old != hsize) {
		r->status = 409;
		r->ctype = WITNESS_SIZE_CTYPE;
		r->len = (size_t)snprintf(r->body, sizeof(r->body), "%llu\n",
					  (unsigned long long)hsize);
		goto out;
	}
	if (have == 1 && q->old == c->size) {
		if (memcmp(held.root, c->root, MERKLE_HASH_LEN) != 0) {
			keep_evidence(w, "split-view", hnote, hlen, body, len);
			reply(r, 409,
			      "checkpoint of size %llu with a different root\n",
			      (unsigned long long)c->size);
			goto out;
		}
		if (q->proof.n) {
			reply(r, 422, "proof must be empty for equal sizes\n");
			goto out;
		}
	} else if (q->old == 0) {
		if (q->proof.n) {
			reply(r, 422, "proof must be empty from size 0\n");
			goto out;
		}
	} else if (merkle_verify_consistency(q->old, c->size, held.root,
					     c->root, &q->proof, e,
					     sizeof(e)) < 0) {
		keep_evidence(w, "inconsistent", hnote, hlen, body, len);
		reply(r, 422, "consistency proof: %s\n", e);
		goto out;
	}
	/* Durable before the cosignature can leave. */
	state_path(w, c->origin, path, sizeof(path));
	if (write_file_atomic(path, q->note, q->note_len, 0644, e, sizeof(e)) <
	    0) {
		reply(r, 500, "witness state: %s\n", e);
		goto out;
	}
	n = cosig_sign(w->key, q->note, tlen, (uint64_t)time(NULL), r->body,
		       sizeof(r->body), e, sizeof(e));
	if (n < 0) {
		reply(r, 500, "cosign: %s\n", e);
		goto out;
	}
	r->status = 200;
	r->ctype = "text/plain; charset=utf-8";
	r->len = (size_t)n;
	w->cosigned++;
out:
	if (r->status != 200)
		w->refused++;
	free(hnote);
}

void witness_add_checkpoint(struct witness *w, const char *body, size_t len,
			    struct witness_reply *r)
{
	struct note_key *keys[POLICY_MAX];
	char origin[NOTE_NAME_MAX + 1], e[512];
	struct witness_req q;
	struct checkpoint c;
	size_t nkeys, tlen;

	if (witness_req_parse(body, len, &q, e, sizeof(e)) < 0) {
		reply(r, 400, "%s\n", e);
		return;
	}
	nkeys = log_keys(w->policy, q.note, q.note_len, origin, keys);
	if (nkeys == 0) {
		reply(r, 404, "unknown log\n");
		return;
	}
	if (note_open(q.note, q.note_len, keys, nkeys, &tlen, NULL, e,
		      sizeof(e)) < 0) {
		reply(r, 403, "checkpoint signature: %s\n", e);
		return;
	}
	if (checkpoint_parse(q.note, tlen, &c, e, sizeof(e)) < 0) {
		reply(r, 400, "%s\n", e);
		return;
	}
	pthread_mutex_lock(&w->lock);
	add_locked(w, body, len, &q, &c, tlen, r);
	pthread_mutex_unlock(&w->lock);
}
