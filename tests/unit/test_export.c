// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Export client: queue, spool, replay order, resend after a disconnect,
 * drop accounting.  A fake ledger in the same thread answers on a real
 * UNIX socket.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <fcntl.h>
#include <poll.h>

#include <cmocka.h>

#include "export.h"
#include "export_proto.h"
#include "export_spool.h"

struct fake {
	int lfd, cfd;
	struct export_buf in, out;
	uint64_t next_index;
	uint64_t seen[4096]; /* seqs received, in order */
	size_t nseen;
	int ack_limit;	     /* ack at most this many records, then hang up */
	uint64_t reject_seq; /* answer this seq as rejected */
	bool refuse;	     /* answer HELLO with ERROR key, hang up */
	bool hold;	     /* read, but answer nothing yet */
	unsigned hellos_ok;  /* HELLOs proving the key over our nonce */
	uint8_t nonce[EXPORT_NONCE_LEN];
};

/* A stand-in for Ed25519 in these tests: the signature is derived from
 * the message, so the fake ledger can check what was signed. */
static int fake_sign(void *arg, const uint8_t *msg, size_t len, uint8_t *sig)
{
	for (size_t i = 0; i < EXPORT_SIG_LEN; i++)
		sig[i] = msg[i % len] ^ (uint8_t)i;
	return 0;
}

static char dir[64], sock[128], spool[128];
static uint64_t acked[4096];
static size_t nacked;
static char logged[8][512];
static size_t nlogged;

static void on_ack(void *arg, uint64_t seq, uint64_t index, int status)
{
	acked[nacked++] = seq;
}

static void on_log(void *arg, int prio, const char *msg)
{
	if (nlogged < 8)
		snprintf(logged[nlogged++], sizeof(logged[0]), "%s", msg);
}

static bool was_logged(const char *needle)
{
	size_t i;

	for (i = 0; i < nlogged; i++)
		if (strstr(logged[i], needle))
			return true;
	return false;
}

static int setup(void **state)
{
	strcpy(dir, "/tmp/test_export.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(sock, sizeof(sock), "%s/s", dir);
	snprintf(spool, sizeof(spool), "%s/spool", dir);
	nacked = 0;
	nlogged = 0;
	return 0;
}

static int teardown(void **state)
{
	char seq[160];

	snprintf(seq, sizeof(seq), "%s.seq", spool);
	unlink(sock);
	unlink(spool);
	unlink(seq);
	rmdir(dir);
	return 0;
}

static void fake_listen(struct fake *f)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};

	memset(f, 0, sizeof(*f));
	f->cfd = -1;
	f->ack_limit = -1;
	strcpy(sa.sun_path, sock);
	f->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_true(f->lfd >= 0);
	assert_int_equal(bind(f->lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(f->lfd, 4), 0);
}

static void fake_close(struct fake *f)
{
	if (f->cfd >= 0)
		close(f->cfd);
	close(f->lfd);
	unlink(sock);
	export_buf_free(&f->in);
	export_buf_free(&f->out);
}

/* Serve what is available: accept, read frames, ack batches. */
static void fake_serve(struct fake *f)
{
	struct export_frame fr;
	struct export_blob blobs[EXPORT_BATCH_MAX];
	struct export_ack_ent ents[EXPORT_BATCH_MAX];
	struct export_ack a = {.origin = "r1", .ents = ents};
	struct export_hello h = {.name = "log"};
	size_t used, n, i, off = 0;
	ssize_t r;
	int code, rc;

	if (f->cfd < 0) {
		f->cfd = accept4(f->lfd, NULL, NULL, SOCK_NONBLOCK);
		if (f->cfd < 0)
			return;
		/* a new nonce per connection, as cfn-ledgerd does */
		f->nonce[0]++;
		export_enc_challenge(&f->out, f->nonce);
		if (f->refuse) {
			struct export_error e = {.code = EXPORT_ERR_KEY};

			strcpy(e.reason, "key not allowed");
			export_enc_error(&f->out, &e);
			f->ack_limit = 0;
		} else {
			export_enc_hello(&f->out, &h);
		}
	}
	export_buf_reserve(&f->in, 1 << 20);
	r = read(f->cfd, f->in.data + f->in.len, f->in.cap - f->in.len);
	if (r > 0)
		f->in.len += (size_t)r;
	if (f->hold) {
		/* the CHALLENGE still goes out: the client may send */
		if (f->out.len &&
		    (r = write(f->cfd, f->out.data, f->out.len)) > 0)
			export_buf_consume(&f->out, (size_t)r);
		return;
	}
	while ((rc = export_frame_parse(f->in.data + off, f->in.len - off, &fr,
					&used, &code, NULL, 0)) == 1) {
		off += used;
		if (fr.type == EXPORT_MSG_HELLO) {
			struct export_hello ch;
			uint8_t msg[EXPORT_HELLO_PROOF_MAX],
				sig[EXPORT_SIG_LEN];
			int m;

			assert_int_equal(export_dec_hello(&fr, &ch, NULL, 0),
					 0);
			m = export_hello_proof(f->nonce, &ch, msg, sizeof(msg));
			assert_true(m > 0 && ch.has_sig);
			fake_sign(NULL, msg, (size_t)m, sig);
			if (!memcmp(sig, ch.sig, sizeof(sig)))
				f->hellos_ok++;
			continue;
		}
		if (fr.type != EXPORT_MSG_BATCH)
			continue;
		assert_int_equal(export_dec_batch(&fr, blobs, EXPORT_BATCH_MAX,
						  &n, NULL, 0),
				 0);
		a.count = 0;
		for (i = 0; i < n; i++) {
			uint64_t seq = 0;

			if (f->ack_limit == 0)
				break;
			/* our test records are "seq=<n>" */
			sscanf((const char *)blobs[i].data, "seq=%lu", &seq);
			f->seen[f->nseen++] = seq;
			ents[a.count].seq = seq;
			ents[a.count].index = f->next_index++;
			ents[a.count].status = EXPORT_ACK_APPENDED;
			if (seq == f->reject_seq) {
				struct export_error e = {
					.code = EXPORT_ERR_RECORD, .seq = seq};

				strcpy(e.reason, "bad signature");
				export_enc_error(&f->out, &e);
				ents[a.count].status = EXPORT_ACK_REJECTED;
				ents[a.count].index = 0;
			}
			a.count++;
			a.highest_seq = seq;
			if (f->ack_limit > 0)
				f->ack_limit--;
		}
		if (a.count)
			export_enc_ack(&f->out, &a);
		if (f->ack_limit == 0)
			break;
	}
	assert_true(rc >= 0);
	export_buf_consume(&f->in, off);
	if (f->out.len) {
		r = write(f->cfd, f->out.data, f->out.len);
		if (r > 0)
			export_buf_consume(&f->out, (size_t)r);
	}
	if (f->ack_limit == 0 && !f->out.len) {
		close(f->cfd);
		f->cfd = -1;
		f->in.len = 0;
		f->ack_limit = -1;
	}
}

static void submit_n(struct export *e, uint64_t from, uint64_t n)
{
	char rec[32];
	uint64_t s;

	for (s = from; s < from + n; s++) {
		int len = snprintf(rec, sizeof(rec), "seq=%lu", s) + 1;

		assert_int_equal(export_submit(e, s, (uint8_t *)rec, len), 0);
	}
}

static void run(struct export *e, struct fake *f, int rounds)
{
	while (rounds-- > 0 && !export_idle(e)) {
		export_poll(e, 5);
		if (f)
			fake_serve(f);
	}
}

static struct export *mk(size_t qmax, uint64_t smax, bool with_spool)
{
	struct export_cfg c = {
		.socket_path = sock,
		.origin = "r1",
		.spool_path = with_spool ? spool : NULL,
		.queue_max = qmax,
		.spool_max = smax,
		.batch_max = 7,
		.window = 20,
		.on_ack = on_ack,
		.log = on_log,
		.sign = fake_sign,
	};
	char err[256];
	struct export *e = export_new(&c, err, sizeof(err));

	assert_non_null(e);
	return e;
}

static void assert_in_order(const uint64_t *v, size_t n, uint64_t first)
{
	size_t i;

	for (i = 0; i < n; i++)
		assert_int_equal(v[i], first + i);
}

static void test_spool_then_replay(void **state)
{
	struct export *e = mk(16, 0, true);
	struct export_stats st;
	struct fake f;

	submit_n(e, 1, 10);
	export_tick(e, export_now_ms()); /* nobody listening: spool */
	export_get_stats(e, &st);
	assert_int_equal(st.queued, 0);
	assert_int_equal(st.spooled, 10);
	assert_false(st.connected);
	submit_n(e, 11, 5); /* stay in memory, after the spool */

	fake_listen(&f);
	run(e, &f, 2000);
	assert_true(export_idle(e));
	assert_int_equal(nacked, 15);
	assert_in_order(acked, 15, 1);
	assert_in_order(f.seen, f.nseen, 1);
	/* records flowed only after a HELLO signed over the nonce */
	assert_int_equal(f.hellos_ok, 1);
	export_get_stats(e, &st);
	assert_int_equal(st.acked, 15);
	assert_int_equal(st.spool_bytes, 0); /* emptied once all acked */
	fake_close(&f);
	export_free(e);
}

static void test_spool_survives_restart(void **state)
{
	struct export *e = mk(16, 0, true);
	struct export_stats st;
	struct fake f;
	int fd;

	submit_n(e, 1, 5);
	export_free(e); /* the routing daemon stops with records queued */
	/* a crash while spooling leaves a torn entry */
	fd = open(spool, O_WRONLY | O_APPEND);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "\0\0\0\x20garbage", 11), 11);
	close(fd);

	e = mk(16, 0, true);
	export_get_stats(e, &st);
	assert_int_equal(st.spooled, 5);
	submit_n(e, 6, 3);
	fake_listen(&f);
	run(e, &f, 2000);
	assert_int_equal(nacked, 8);
	assert_in_order(acked, 8, 1);
	fake_close(&f);
	export_free(e);
}

/* A damaged entry in the middle of the spool loses only itself. */
static void test_spool_mid_file_damage(void **state)
{
	struct export *e = mk(16, 0, true);
	struct export_stats st;
	struct fake f;
	struct stat sb;
	uint8_t c;
	off_t one;
	int fd;

	submit_n(e, 1, 5);
	export_free(e);
	assert_int_equal(stat(spool, &sb), 0);
	one = sb.st_size / 5; /* equal-sized entries */
	fd = open(spool, O_RDWR);
	assert_true(fd >= 0);
	assert_int_equal(pread(fd, &c, 1, 2 * one + EXPORT_SPOOL_HDR + 1), 1);
	c ^= 0x40; /* inside entry 3's record */
	assert_int_equal(pwrite(fd, &c, 1, 2 * one + EXPORT_SPOOL_HDR + 1), 1);
	close(fd);

	e = mk(16, 0, true);
	export_get_stats(e, &st);
	assert_int_equal(st.spooled, 4);
	fake_listen(&f);
	run(e, &f, 2000);
	assert_int_equal(nacked, 4);
	assert_int_equal(acked[0], 1);
	assert_int_equal(acked[1], 2);
	assert_int_equal(acked[2], 4);
	assert_int_equal(acked[3], 5);
	fake_close(&f);
	export_free(e);
}

/* Sequence numbers never repeat: not after a restart, not when the
 * clock-derived floor steps back, and a damaged seq file is refused. */
static void test_seq_never_repeats(void **state)
{
	char path[160];
	struct export *e;
	uint64_t a, b, c;
	int fd;

	e = mk(16, 0, true);
	assert_int_equal(export_next_seq(e, 1000, &a), 0);
	assert_int_equal(a, 1000);
	assert_int_equal(export_next_seq(e, 10, &b), 0);
	assert_int_equal(b, 1001); /* the clock went back: still above */
	export_free(e);
	/* a restart (even after a crash: the ceiling is durable first) */
	e = mk(16, 0, true);
	assert_int_equal(export_next_seq(e, 10, &c), 0);
	assert_true(c > b);
	export_free(e);
	/* without a spool there is nothing to persist: memory only */
	e = mk(16, 0, false);
	assert_int_equal(export_next_seq(e, 5, &a), 0);
	assert_int_equal(export_next_seq(e, 5, &b), 0);
	assert_int_equal(b, a + 1);
	export_free(e);
	snprintf(path, sizeof(path), "%s.seq", spool);
	fd = open(path, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, "X", 1, 9), 1);
	close(fd);
	{
		struct export_cfg cfg = {.socket_path = sock,
					 .origin = "r1",
					 .spool_path = spool};
		char err[512];

		assert_null(export_new(&cfg, err, sizeof(err)));
		assert_non_null(strstr(err, ".seq is damaged"));
	}
}

static void test_resend_after_disconnect(void **state)
{
	struct export *e = mk(64, 0, true);
	struct export_stats st;
	struct fake f;
	size_t i;

	fake_listen(&f);
	f.ack_limit = 9; /* ledger dies after acking 9 */
	submit_n(e, 1, 30);
	run(e, &f, 3000);
	assert_true(export_idle(e));
	/* each record acknowledged exactly once, in order */
	assert_int_equal(nacked, 30);
	assert_in_order(acked, 30, 1);
	export_get_stats(e, &st);
	assert_true(st.disconnects >= 1);
	/* the ledger saw the unacknowledged ones again, from seq 10 */
	for (i = 0; i < f.nseen; i++)
		if (f.seen[i] == 10)
			break;
	assert_true(i < f.nseen);
	fake_close(&f);
	export_free(e);
}

static void test_full_drops(void **state)
{
	struct export *e = mk(4, 3 * (EXPORT_SPOOL_HDR + 8), true);
	struct export_stats st;
	char rec[8] = "seq=99";
	struct fake f;

	submit_n(e, 1, 4); /* memory */
	/* queue full: seq 1..3 move to the spool (the 4th does not fit) */
	submit_n(e, 5, 3);
	export_get_stats(e, &st);
	assert_int_equal(st.spooled, 3);
	assert_int_equal(st.queued, 4);
	/* queue full and spool full: the new one is dropped */
	assert_int_equal(export_submit(e, 8, (uint8_t *)rec, 7), -1);
	export_get_stats(e, &st);
	assert_int_equal(st.dropped, 1);
	assert_int_equal(st.submitted, 7);
	/* what was accepted still arrives */
	fake_listen(&f);
	run(e, &f, 2000);
	export_get_stats(e, &st);
	assert_int_equal(st.acked, 7);
	assert_int_equal(nacked, 7);
	assert_in_order(acked, 7, 1);
	fake_close(&f);
	export_free(e);
}

static void test_no_spool_memory_only(void **state)
{
	struct export *e = mk(3, 0, false);
	struct export_stats st;
	char rec[8] = "seq=4";
	struct fake f;

	submit_n(e, 1, 3);
	export_tick(e, export_now_ms());
	assert_int_equal(export_submit(e, 4, (uint8_t *)rec, 6), -1);
	export_get_stats(e, &st);
	assert_int_equal(st.queued, 3);
	assert_int_equal(st.dropped, 1);
	fake_listen(&f);
	run(e, &f, 2000);
	assert_int_equal(nacked, 3);
	assert_in_order(acked, 3, 1);
	fake_close(&f);
	export_free(e);
}

static void test_rejected_and_refused(void **state)
{
	struct export *e = mk(64, 0, true);
	struct export_stats st;
	struct fake f;

	fake_listen(&f);
	f.reject_seq = 3;
	submit_n(e, 1, 5);
	run(e, &f, 2000);
	export_get_stats(e, &st);
	/* a rejected record is answered, counted and not resent */
	assert_int_equal(st.acked, 4);
	assert_int_equal(st.rejected, 1);
	assert_int_equal(nacked, 5);
	assert_true(was_logged("ledger rejected seq 3: bad signature"));
	assert_int_equal(f.nseen, 5);
	fake_close(&f);

	/* a refusal disconnects; records stay queued for later */
	fake_listen(&f);
	f.refuse = true;
	submit_n(e, 6, 2);
	run(e, &f, 50);
	export_get_stats(e, &st);
	assert_false(st.connected);
	assert_true(st.disconnects >= 1);
	assert_int_equal(st.queued + st.spooled, 2);
	assert_true(was_logged("key not allowed"));
	fake_close(&f);
	export_free(e);
}

/* The queue fills while records are in flight: they move to the spool
 * with the rest, and their answers still retire them in order. */
static void test_spill_while_in_flight(void **state)
{
	struct export *e = mk(8, 0, true);
	struct export_stats st;
	struct fake f;
	int i;

	fake_listen(&f);
	f.hold = true;
	submit_n(e, 1, 8);
	for (i = 0; i < 50; i++) {
		export_poll(e, 5);
		fake_serve(&f);
	}
	export_get_stats(e, &st);
	assert_true(st.connected);
	assert_int_equal(st.inflight, 8);
	submit_n(e, 9, 1); /* queue full: everything goes to the spool */
	export_get_stats(e, &st);
	assert_int_equal(st.spooled, 8);
	assert_int_equal(st.queued, 1);
	assert_int_equal(st.inflight, 8);
	submit_n(e, 10, 3);
	f.hold = false;
	run(e, &f, 2000);
	assert_true(export_idle(e));
	assert_int_equal(nacked, 12);
	assert_in_order(acked, 12, 1);
	/* nothing was sent twice on this connection */
	assert_int_equal(f.nseen, 12);
	assert_in_order(f.seen, 12, 1);
	export_get_stats(e, &st);
	assert_int_equal(st.spool_bytes, 0);
	fake_close(&f);

	/* the same with a disconnect before any answer: resent from the
	 * spool, in order */
	fake_listen(&f);
	f.hold = true;
	nacked = 0;
	submit_n(e, 13, 8);
	for (i = 0; i < 50; i++) {
		export_poll(e, 5);
		fake_serve(&f);
	}
	submit_n(e, 21, 1);
	fake_close(&f); /* the ledger dies */
	for (i = 0; i < 20; i++)
		export_poll(e, 5);
	export_get_stats(e, &st);
	assert_false(st.connected);
	fake_listen(&f);
	run(e, &f, 3000);
	assert_int_equal(nacked, 9);
	assert_in_order(acked, 9, 13);
	fake_close(&f);
	export_free(e);
}

static void test_drop_is_logged_once(void **state)
{
	struct export *e = mk(2, 0, false);
	char rec[8] = "seq=9";
	int i;

	submit_n(e, 1, 2);
	for (i = 0; i < 5; i++)
		assert_int_equal(export_submit(e, 3 + i, (uint8_t *)rec, 6),
				 -1);
	assert_int_equal(nlogged, 1);
	assert_true(was_logged("dropping records (first seq 3)"));
	export_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_spool_then_replay, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_seq_never_repeats, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_spool_mid_file_damage,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_spool_survives_restart,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_resend_after_disconnect,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_full_drops, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_no_spool_memory_only,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_rejected_and_refused,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_spill_while_in_flight,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_drop_is_logged_once, setup,
						teardown),
	};

	return cmocka_run_group_tests_name("export", tests, NULL, NULL);
}
