// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cfn-ledgerd: records received in one event loop iteration are checked
 * (decode, origin, Ed25519 signature) in parallel before they are appended
 * in arrival order.  Signature verification is nearly all of the daemon's
 * CPU time, and the checks are independent; the appends, the fsync and
 * everything else stay on the event loop thread.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "ledgerd.h"

/* Below this many records, waking the workers costs more than it saves. */
#define PARALLEL_MIN 32

static struct {
	pthread_t *threads;
	unsigned n;
	pthread_mutex_t mu;
	pthread_cond_t go, done;
	uint64_t generation;
	unsigned busy;
	struct ledgerd *d;
	struct ld_item *items;
	size_t count;
	atomic_size_t next;
} pool = {
	.mu = PTHREAD_MUTEX_INITIALIZER,
	.go = PTHREAD_COND_INITIALIZER,
	.done = PTHREAD_COND_INITIALIZER,
};

static void check(struct ledgerd *d, struct ld_item *it)
{
	const uint8_t *data = d->arena.data + it->off;
	struct record r;
	char err[160];

	it->ok = false;
	if (record_decode(data, it->len, &r, err, sizeof(err)) < 0) {
		snprintf(it->err, sizeof(it->err), "undecodable: %s", err);
		return;
	}
	if (strcmp(r.origin, it->c->origin) != 0) {
		snprintf(it->err, sizeof(it->err),
			 "origin %s differs from the connection's %s",
			 r.origin, it->c->origin);
		return;
	}
	if (record_verify(&r, d->allow, d->nallow, err, sizeof(err)) < 0) {
		snprintf(it->err, sizeof(it->err), "signature rejected: %s",
			 err);
		return;
	}
	it->ok = true;
}

static void drain(void)
{
	size_t i;

	while ((i = atomic_fetch_add(&pool.next, 1)) < pool.count)
		check(pool.d, &pool.items[i]);
}

static void *worker(void *arg)
{
	uint64_t seen = 0;

	(void)arg;
	pthread_mutex_lock(&pool.mu);
	for (;;) {
		while (pool.generation == seen)
			pthread_cond_wait(&pool.go, &pool.mu);
		seen = pool.generation;
		pthread_mutex_unlock(&pool.mu);
		drain();
		pthread_mutex_lock(&pool.mu);
		if (--pool.busy == 0)
			pthread_cond_signal(&pool.done);
	}
	return NULL;
}

int ld_verify_init(unsigned threads)
{
	unsigned i;

	if (threads <= 1)
		return 0;
	pool.threads = calloc(threads - 1, sizeof(*pool.threads));
	if (!pool.threads)
		return -1;
	/* The event loop thread is one of the verifiers. */
	for (i = 0; i < threads - 1; i++) {
		if (pthread_create(&pool.threads[i], NULL, worker, NULL) != 0)
			break;
		pool.n++;
	}
	if (pool.n < threads - 1)
		ld_log(LOG_WARNING, "verify: started %u of %u threads",
		       pool.n + 1, threads);
	return 0;
}

void ld_verify_run(struct ledgerd *d, struct ld_item *items, size_t n)
{
	size_t i;

	if (pool.n == 0 || n < PARALLEL_MIN) {
		for (i = 0; i < n; i++)
			check(d, &items[i]);
		return;
	}
	pthread_mutex_lock(&pool.mu);
	pool.d = d;
	pool.items = items;
	pool.count = n;
	atomic_store(&pool.next, 0);
	pool.busy = pool.n;
	pool.generation++;
	pthread_cond_broadcast(&pool.go);
	pthread_mutex_unlock(&pool.mu);
	drain();
	pthread_mutex_lock(&pool.mu);
	while (pool.busy)
		pthread_cond_wait(&pool.done, &pool.mu);
	pthread_mutex_unlock(&pool.mu);
}
