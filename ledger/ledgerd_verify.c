// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cfn-ledgerd's verification pipeline.  Records are queued in arrival
 * order; worker threads check them (decode, origin, Ed25519 signature)
 * while the event loop thread keeps reading, appending and fsyncing; the
 * event loop appends strictly from the front, so the log order is the
 * arrival order.  Signature checks are nearly all of the daemon's CPU
 * time; this lets them use every core and overlap with the fsyncs.
 *
 * The workers touch only the item they took and read-only daemon state
 * (allowed keys); they announce finished items on an eventfd.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <syslog.h>
#include <unistd.h>

#include "ledgerd.h"
#include "token_ledgerd.h"

struct pipe {
	struct ledgerd *d;
	struct ld_item **ring;
	size_t head; /* next to append (event loop only) */
	size_t tail; /* next free slot (event loop only) */
	size_t take; /* next for a worker (under mu) */
	pthread_mutex_t mu;
	pthread_cond_t work;
	unsigned nthreads;
	int efd;
	size_t ndone; /* items checked (atomic) */
};

/*
 * Wake the event loop once this many records are checked, or when the
 * workers run out of work: waking it per record would make it commit
 * (fsync) per record while the disk is idle anyway.
 */
#define NOTIFY_BATCH 64

static struct pipe P = {
	.mu = PTHREAD_MUTEX_INITIALIZER,
	.work = PTHREAD_COND_INITIALIZER,
	.efd = -1,
};

static void check(struct ledgerd *d, struct ld_item *it)
{
	struct record r;
	char err[160];

	if (token_record_is(it->data, it->len)) {
		ld_tokens_check(it);
		return;
	}
	it->ok = false;
	if (record_decode(it->data, it->len, &r, err, sizeof(err)) < 0) {
		snprintf(it->err, sizeof(it->err), "undecodable: %s", err);
		return;
	}
	if (strcmp(r.origin, it->origin) != 0) {
		snprintf(it->err, sizeof(it->err),
			 "origin %s differs from the connection's %s", r.origin,
			 it->origin);
		return;
	}
	if (record_verify(&r, d->allow, d->nallow, err, sizeof(err)) < 0) {
		snprintf(it->err, sizeof(it->err), "signature rejected: %s",
			 err);
		return;
	}
	it->ok = true;
}

static void *worker(void *arg)
{
	uint64_t one = 1;
	struct ld_item *it;
	size_t done, head;
	bool idle;

	(void)arg;
	for (;;) {
		pthread_mutex_lock(&P.mu);
		while (P.take == P.tail)
			pthread_cond_wait(&P.work, &P.mu);
		it = P.ring[P.take % LD_PIPE_MAX];
		P.take++;
		pthread_mutex_unlock(&P.mu);
		check(P.d, it);
		__atomic_store_n(&it->done, true, __ATOMIC_RELEASE);
		done = __atomic_add_fetch(&P.ndone, 1, __ATOMIC_ACQ_REL);
		head = __atomic_load_n(&P.head, __ATOMIC_ACQUIRE);
		pthread_mutex_lock(&P.mu);
		idle = P.take == P.tail;
		pthread_mutex_unlock(&P.mu);
		if ((idle || done - head >= NOTIFY_BATCH) &&
		    write(P.efd, &one, sizeof(one)) < 0 && errno != EAGAIN)
			ld_log(LOG_ERR, "verify: eventfd: %s", strerror(errno));
	}
	return NULL;
}

int ld_pipe_init(struct ledgerd *d, unsigned threads)
{
	unsigned i;

	P.d = d;
	P.ring = calloc(LD_PIPE_MAX, sizeof(*P.ring));
	P.efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (!P.ring || P.efd < 0)
		return -1;
	for (i = 0; i < threads; i++) {
		pthread_t t;

		if (pthread_create(&t, NULL, worker, NULL) != 0) {
			ld_log(LOG_WARNING, "verify: started %u of %u threads",
			       i, threads);
			break;
		}
		pthread_detach(t);
		P.nthreads++;
	}
	return 0;
}

int ld_pipe_fd(void)
{
	return P.efd;
}

size_t ld_pipe_len(void)
{
	return P.tail - P.head;
}

bool ld_pipe_room(void)
{
	return ld_pipe_len() + EXPORT_BATCH_MAX <= LD_PIPE_MAX;
}

int ld_pipe_push(struct ld_conn *c, const uint8_t *data, uint32_t len,
		 uint64_t seq)
{
	struct ld_item *it = malloc(sizeof(*it) + len);

	if (!it)
		return -1;
	it->c = c;
	it->seq = seq;
	it->len = len;
	it->done = false;
	memcpy(it->origin, c->origin, sizeof(it->origin));
	memcpy(it->data, data, len);
	c->queued++;
	if (!P.nthreads) {
		/* No workers: check inline, the order is kept anyway. */
		check(P.d, it);
		it->done = true;
		P.ndone++;
		P.ring[P.tail++ % LD_PIPE_MAX] = it;
		return 0;
	}
	pthread_mutex_lock(&P.mu);
	P.ring[P.tail % LD_PIPE_MAX] = it;
	P.tail++;
	pthread_cond_signal(&P.work);
	pthread_mutex_unlock(&P.mu);
	return 0;
}

struct ld_item *ld_pipe_front(void)
{
	struct ld_item *it;
	uint64_t n;

	if (read(P.efd, &n, sizeof(n)) < 0 && errno != EAGAIN)
		ld_log(LOG_ERR, "verify: eventfd: %s", strerror(errno));
	if (P.head == P.tail)
		return NULL;
	it = P.ring[P.head % LD_PIPE_MAX];
	if (!__atomic_load_n(&it->done, __ATOMIC_ACQUIRE))
		return NULL;
	return it;
}

void ld_pipe_pop(void)
{
	struct ld_item *it = P.ring[P.head % LD_PIPE_MAX];

	it->c->queued--;
	free(it);
	__atomic_store_n(&P.head, P.head + 1, __ATOMIC_RELEASE);
}
