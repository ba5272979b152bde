// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cfn-ledgerd's witness client: one thread, libcurl's multi interface for
 * parallel add-checkpoint requests.  See ledgerd_witness.h.
 *
 * Per witness it remembers the size the witness last cosigned (learnt
 * from a 200 or from the body of a 409), proves consistency from there
 * with a read-only view of DIR/leaves (the daemon's tree belongs to the
 * event loop), and checks each returned cosignature before keeping it.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include <curl/curl.h>

#include "checkpoint.h"
#include "cosig.h"
#include "ledgerd.h"
#include "ledgerd_witness.h"
#include "policy.h"
#include "util.h"
#include "witness_req.h"

#define ROUND_MS 8000	    /* one round of requests, at most */
#define REQ_TIMEOUT_MS 3000 /* one HTTP request */
#define TRIES 4		    /* per witness per round */
#define RETRY_MAX_MS 10000  /* between rounds for a missing cosignature */
#define RESP_MAX 16384

struct wclient {
	const struct policy_witness *pw;
	uint64_t size; /* what the witness last cosigned, as far as known */
	bool done, failed, busy;
	unsigned tries;
	uint64_t next_ms;
	char *req;
	size_t reqlen;
	char resp[RESP_MAX];
	size_t resplen;
	char lines[4 * COSIG_LINE_MAX];
	size_t lineslen;
	CURL *easy;
};

static struct {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool running, stop;
	char *pending; /* newest checkpoint not yet taken by the thread */
	struct policy *policy;
	char *dir;
	struct wclient *wc;
	size_t nwc;
} W = {.lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static size_t on_data(char *p, size_t sz, size_t n, void *arg)
{
	struct wclient *c = arg;
	size_t len = sz * n;

	if (c->resplen + len >= RESP_MAX)
		return 0; /* too large: fail the transfer */
	memcpy(c->resp + c->resplen, p, len);
	c->resplen += len;
	c->resp[c->resplen] = '\0';
	return len;
}

static int start_request(CURLM *m, struct wclient *c, struct merkle_tree *t,
			 const char *note, size_t len, uint64_t size)
{
	struct merkle_proof p = {0};
	char url[2048], err[256];

	if (c->size > size || merkle_size(t) < size) {
		ld_log(LOG_WARNING,
		       "witness %s has cosigned size %llu, beyond ours %llu",
		       c->pw->name, (unsigned long long)c->size,
		       (unsigned long long)size);
		c->failed = true;
		return -1;
	}
	if (c->size && c->size < size &&
	    merkle_prove_consistency(t, c->size, size, &p, err, sizeof(err)) <
		    0) {
		ld_log(LOG_WARNING, "witness %s: proof: %s", c->pw->name, err);
		c->failed = true;
		return -1;
	}
	free(c->req);
	if (witness_req_format(c->size, &p, note, len, &c->req, &c->reqlen) < 0)
		return -1;
	snprintf(url, sizeof(url), "%s%sadd-checkpoint", c->pw->url,
		 c->pw->url[strlen(c->pw->url) - 1] == '/' ? "" : "/");
	c->resplen = 0;
	c->easy = curl_easy_init();
	if (!c->easy)
		return -1;
	curl_easy_setopt(c->easy, CURLOPT_URL, url);
	curl_easy_setopt(c->easy, CURLOPT_POSTFIELDS, c->req);
	curl_easy_setopt(c->easy, CURLOPT_POSTFIELDSIZE, (long)c->reqlen);
	curl_easy_setopt(c->easy, CURLOPT_TIMEOUT_MS, (long)REQ_TIMEOUT_MS);
	curl_easy_setopt(c->easy, CURLOPT_CONNECTTIMEOUT_MS, 1000L);
	curl_easy_setopt(c->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c->easy, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c->easy, CURLOPT_WRITEDATA, c);
	curl_easy_setopt(c->easy, CURLOPT_PRIVATE, c);
	curl_multi_add_handle(m, c->easy);
	c->busy = true;
	c->tries++;
	return 0;
}

/* Keep the response lines that are valid cosignatures by this witness. */
static void take_cosigs(struct wclient *c, const char *note, size_t len,
			size_t tlen)
{
	struct note_key *k = c->pw->key;
	char *buf = malloc(len + RESP_MAX + 1);
	const char *p = c->resp, *end = c->resp + c->resplen;

	c->lineslen = 0;
	while (buf && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t ll = nl ? (size_t)(nl - p) + 1 : 0;
		bool ok = false;

		if (!nl)
			break;
		memcpy(buf, note, len);
		memcpy(buf + len, p, ll);
		if (cosig_verify_note(buf, len + ll, tlen, &k, 1, &ok, NULL,
				      NULL, 0) == 0 &&
		    ok && c->lineslen + ll <= sizeof(c->lines)) {
			memcpy(c->lines + c->lineslen, p, ll);
			c->lineslen += ll;
		}
		p = nl + 1;
	}
	free(buf);
}

static void finish(struct wclient *c, long code, CURLcode res, const char *note,
		   size_t len, size_t tlen, uint64_t size)
{
	uint64_t n;

	c->busy = false;
	if (res == CURLE_OK && code == 200) {
		take_cosigs(c, note, len, tlen);
		if (c->lineslen) {
			c->done = true;
			c->size = size;
			return;
		}
		ld_log(LOG_WARNING, "witness %s: no valid cosignature in reply",
		       c->pw->name);
	} else if (res == CURLE_OK && code == 409 && c->resplen &&
		   c->resp[c->resplen - 1] == '\n' &&
		   witness_parse_u64(c->resp, c->resplen - 1, &n) == 0) {
		/* learnt the witness's size: ask again at once */
		c->size = n;
		c->next_ms = 0;
		return;
	} else {
		ld_log(LOG_WARNING, "witness %s: %s%.*s", c->pw->name,
		       res != CURLE_OK ? curl_easy_strerror(res) : "HTTP ",
		       res != CURLE_OK ? 0 : (int)strcspn(c->resp, "\n"),
		       c->resp);
		if (res == CURLE_OK && code != 409)
			ld_log(LOG_WARNING, "witness %s: HTTP status %ld",
			       c->pw->name, code);
	}
	/* backoff: 100 ms, 200 ms, ... */
	c->next_ms = now_ms() + (100ULL << (c->tries < 5 ? c->tries : 5));
}

static void publish(const char *note, size_t len, size_t tlen)
{
	bool s[POLICY_MAX] = {0};
	size_t cap = len + 1, o;
	char *out, path[4096], err[256];

	for (size_t i = 0; i < W.nwc; i++)
		cap += W.wc[i].lineslen;
	out = malloc(cap);
	if (!out)
		return;
	memcpy(out, note, len);
	o = len;
	for (size_t i = 0; i < W.nwc; i++) {
		if (!W.wc[i].done)
			continue;
		memcpy(out + o, W.wc[i].lines, W.wc[i].lineslen);
		o += W.wc[i].lineslen;
		s[W.wc[i].pw - W.policy->w] = true;
	}
	snprintf(path, sizeof(path), "%s/" LD_COSIGNED_FILE, W.dir);
	if (write_file_atomic(path, out, o, 0644, err, sizeof(err)) < 0)
		ld_log(LOG_ERR, "%s", err);
	if (policy_quorum(W.policy, s)) {
		snprintf(path, sizeof(path), "%s/" LD_ENDORSED_FILE, W.dir);
		if (write_file_atomic(path, out, o, 0644, err, sizeof(err)) < 0)
			ld_log(LOG_ERR, "%s", err);
	}
	(void)tlen;
	free(out);
}

/* One round for one checkpoint; true when every witness answered. */
static bool round_run(CURLM *m, const char *note)
{
	size_t len = strlen(note), tlen;
	const char *blank = strstr(note, "\n\n");
	uint64_t deadline = now_ms() + ROUND_MS;
	struct merkle_tree *t = NULL;
	struct checkpoint ck;
	char path[4096], err[256];
	bool all = true;

	if (!blank)
		return true;
	tlen = (size_t)(blank - note) + 1;
	if (checkpoint_parse(note, tlen, &ck, err, sizeof(err)) < 0)
		return true;
	snprintf(path, sizeof(path), "%s/leaves", W.dir);
	if (merkle_open_ex(&t, path, ck.size, true, err, sizeof(err)) < 0) {
		ld_log(LOG_ERR, "witness client: %s", err);
		return false;
	}
	for (size_t i = 0; i < W.nwc; i++) {
		W.wc[i].done = W.wc[i].failed = false;
		W.wc[i].tries = 0;
		W.wc[i].next_ms = 0;
		W.wc[i].lineslen = 0;
	}
	for (;;) {
		bool pending = false;
		CURLMsg *msg;
		int running, left;
		uint64_t now = now_ms();

		for (size_t i = 0; i < W.nwc; i++) {
			struct wclient *c = &W.wc[i];

			if (c->done || c->failed || c->busy)
				continue;
			if (c->tries >= TRIES || now >= deadline) {
				c->failed = true;
				continue;
			}
			pending = true;
			if (now >= c->next_ms)
				start_request(m, c, t, note, len, ck.size);
		}
		for (size_t i = 0; i < W.nwc; i++)
			pending |= W.wc[i].busy;
		if (!pending)
			break;
		curl_multi_perform(m, &running);
		while ((msg = curl_multi_info_read(m, &left))) {
			struct wclient *c;
			long code = 0;

			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE,
					  (char **)&c);
			curl_easy_getinfo(msg->easy_handle,
					  CURLINFO_RESPONSE_CODE, &code);
			finish(c, code, msg->data.result, note, len, tlen,
			       ck.size);
			curl_multi_remove_handle(m, c->easy);
			curl_easy_cleanup(c->easy);
			c->easy = NULL;
		}
		curl_multi_poll(m, NULL, 0, 50, NULL);
	}
	merkle_close(t);
	publish(note, len, tlen);
	for (size_t i = 0; i < W.nwc; i++)
		all &= W.wc[i].done;
	return all;
}

static void *run(void *arg)
{
	CURLM *m = curl_multi_init();
	char *cur = NULL;
	uint64_t retry_ms = 1000;
	bool complete = true;

	pthread_mutex_lock(&W.lock);
	for (;;) {
		struct timespec ts;

		if (!W.pending && !W.stop) {
			if (complete) {
				pthread_cond_wait(&W.cond, &W.lock);
			} else {
				/* a missing cosignature: ask again later */
				clock_gettime(CLOCK_REALTIME, &ts);
				ts.tv_sec += (time_t)(retry_ms / 1000);
				pthread_cond_timedwait(&W.cond, &W.lock, &ts);
			}
		}
		if (W.pending) {
			/* at stop too: the last checkpoint gets its round */
			free(cur);
			cur = W.pending;
			W.pending = NULL;
			retry_ms = 1000;
		} else if (W.stop) {
			break;
		} else if (complete) {
			continue;
		} else {
			retry_ms = retry_ms * 2 > RETRY_MAX_MS ? RETRY_MAX_MS
							       : retry_ms * 2;
		}
		pthread_mutex_unlock(&W.lock);
		complete = round_run(m, cur);
		pthread_mutex_lock(&W.lock);
	}
	pthread_mutex_unlock(&W.lock);
	free(cur);
	curl_multi_cleanup(m);
	return NULL;
}

int ld_witness_start(const char *policy_path, const char *dir,
		     const struct note_key *logkey, char *err, size_t errlen)
{
	bool listed = false;

	if (policy_load(policy_path, &W.policy, err, errlen) < 0)
		return -1;
	/* witnesses check the log's key: say so if they will not know it */
	for (size_t i = 0; i < W.policy->nlogs; i++)
		listed |= !memcmp(W.policy->log[i]->pub, logkey->pub,
				  NOTE_ED25519_PUB);
	if (!listed)
		ld_log(LOG_WARNING,
		       "%s has no log line with this ledger's key: verifiers "
		       "using it will refuse its checkpoints",
		       policy_path);
	W.dir = strdup(dir);
	W.wc = calloc(W.policy->nw ? W.policy->nw : 1, sizeof(*W.wc));
	if (!W.dir || !W.wc)
		return cfn_err(err, errlen, "out of memory");
	for (size_t i = 0; i < W.policy->nw; i++) {
		if (!W.policy->w[i].url) {
			ld_log(LOG_WARNING,
			       "policy witness %s has no URL: not submitting",
			       W.policy->w[i].name);
			continue;
		}
		W.wc[W.nwc++].pw = &W.policy->w[i];
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (pthread_create(&W.thread, NULL, run, NULL) != 0)
		return cfn_err(err, errlen, "cannot start the witness thread");
	W.running = true;
	ld_log(LOG_NOTICE, "witness client: %zu witness(es) to ask", W.nwc);
	/* the checkpoint published at start-up, before the thread ran */
	{
		char *note;
		size_t len;

		if (checkpoint_read(dir, &note, &len, NULL, 0) == 0) {
			ld_witness_post(note);
			free(note);
		}
	}
	return 0;
}

void ld_witness_post(const char *note)
{
	char *copy;

	if (!W.running || !note)
		return;
	copy = strdup(note);
	pthread_mutex_lock(&W.lock);
	free(W.pending);
	W.pending = copy;
	pthread_cond_signal(&W.cond);
	pthread_mutex_unlock(&W.lock);
}

void ld_witness_stop(void)
{
	if (!W.running)
		return;
	pthread_mutex_lock(&W.lock);
	W.stop = true;
	pthread_cond_signal(&W.cond);
	pthread_mutex_unlock(&W.lock);
	pthread_join(W.thread, NULL);
	W.running = false;
	free(W.pending);
	for (size_t i = 0; i < W.nwc; i++)
		free(W.wc[i].req);
	free(W.wc);
	free(W.dir);
	policy_free(W.policy);
	curl_global_cleanup();
}
