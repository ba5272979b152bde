// SPDX-License-Identifier: GPL-2.0-or-later
/* The append-only log: group commit, duplicates, torn tails, leaf file. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../ledger/checkpoint.h"
#include "crc32c.h"
#include "record.h"
#include "../../ledger/store.h"

static char dir[64];

static int setup(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/test_store.XXXXXX");
	assert_non_null(mkdtemp(dir));
	strcat(dir, "/db"); /* store_open creates it */
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%.*s'", (int)strlen(dir) - 3, dir);
	return system(cmd);
}

static int make_record(const char *origin, uint64_t seq, uint8_t *buf)
{
	struct record r;
	char js[256];

	snprintf(
		js, sizeof(js),
		"{\"origin\":\"%s\",\"seq\":%llu,\"time\":\"2026-11-24T12:00:00Z\","
		"\"service\":\"203.0.113.10/32\",\"sites\":[\"r3\"],\"cost\":%llu,"
		"\"path\":[\"r1\",\"r2\",\"r3\"]}",
		origin, (unsigned long long)seq, (unsigned long long)seq % 97);
	assert_int_equal(record_from_json(js, &r, NULL, 0), 0);
	return record_encode(&r, buf, RECORD_MAX_LEN, NULL, 0);
}

static void root_of(struct ledger_store *s, uint8_t root[MERKLE_HASH_LEN])
{
	assert_int_equal(
		merkle_root(store_tree(s), store_size(s), root, NULL, 0), 0);
}

static void append_sync_reopen(void **state)
{
	struct ledger_store *s;
	struct store_recovery rec;
	uint8_t buf[RECORD_MAX_LEN], root[32], root2[32], *d;
	char err[256];
	uint64_t idx;
	size_t len;
	int n;

	assert_int_equal(store_open(dir, &s, &rec, err, sizeof(err)), 0);
	assert_true(rec.created);
	for (uint64_t i = 0; i < 100; i++) {
		n = make_record(i % 2 ? "r1" : "r2", i, buf);
		assert_int_equal(
			store_append(s, buf, (size_t)n, &idx, err, sizeof(err)),
			STORE_OK);
		assert_int_equal(idx, i);
	}
	assert_int_equal(store_durable_size(s), 0);
	assert_int_equal(store_sync(s, err, sizeof(err)), STORE_OK);
	assert_int_equal(store_durable_size(s), 100);
	/* a duplicate (origin, seq) is refused and points at the original */
	n = make_record("r1", 41, buf);
	assert_int_equal(
		store_append(s, buf, (size_t)n, &idx, err, sizeof(err)),
		STORE_DUP);
	assert_int_equal(idx, 41);
	assert_true(store_lookup(s, "r2", 40, &idx));
	assert_int_equal(idx, 40);
	assert_false(store_lookup(s, "r2", 41, &idx));
	/* not a record */
	assert_int_equal(store_append(s, (const uint8_t *)"junk", 4, &idx, err,
				      sizeof(err)),
			 STORE_INVALID);
	root_of(s, root);
	store_close(s);

	assert_int_equal(store_open(dir, &s, &rec, err, sizeof(err)), 0);
	assert_false(rec.created);
	assert_int_equal(rec.entries, 100);
	assert_int_equal(rec.dropped_bytes, 0);
	assert_int_equal(rec.leaves_rebuilt, 0);
	root_of(s, root2);
	assert_memory_equal(root, root2, 32);
	assert_true(store_lookup(s, "r1", 41, &idx));
	assert_int_equal(store_get(s, 41, &d, &len, err, sizeof(err)), 0);
	n = make_record("r1", 41, buf);
	assert_int_equal(len, (size_t)n);
	assert_memory_equal(d, buf, len);
	free(d);
	store_close(s);
}

/* Replays and out-of-order seqs: every duplicate is caught, before and
 * after a reopen, whichever index structure holds the original. */
static void out_of_order_seqs(void **state)
{
	static const uint64_t seqs[] = {10, 20, 15, 30, 12, 11, 25, 1, 100};
	const size_t n = sizeof(seqs) / sizeof(seqs[0]);
	struct ledger_store *s;
	uint8_t buf[RECORD_MAX_LEN];
	uint64_t idx;
	int len;

	for (int round = 0; round < 2; round++) {
		int want = round == 0 ? STORE_OK : STORE_DUP;

		assert_int_equal(store_open(dir, &s, NULL, NULL, 0), 0);
		for (size_t i = 0; i < n; i++) {
			len = make_record("r1", seqs[i], buf);
			assert_int_equal(store_append(s, buf, (size_t)len, &idx,
						      NULL, 0),
					 want);
			assert_int_equal(idx, 2 * i);
			/* another origin's same seq is not a duplicate */
			len = make_record("r2", seqs[i], buf);
			assert_int_equal(store_append(s, buf, (size_t)len, &idx,
						      NULL, 0),
					 want);
			assert_int_equal(idx, 2 * i + 1);
		}
		/* within one batch, a replay of the batch is caught too */
		len = make_record("r1", 11, buf);
		assert_int_equal(
			store_append(s, buf, (size_t)len, &idx, NULL, 0),
			STORE_DUP);
		assert_int_equal(idx, 10);
		for (size_t i = 0; i < n; i++) {
			assert_true(store_lookup(s, "r1", seqs[i], &idx));
			assert_int_equal(idx, 2 * i);
		}
		assert_false(store_lookup(s, "r1", 13, &idx));
		assert_false(store_lookup(s, "r1", 101, &idx));
		assert_false(store_lookup(s, "r3", 10, &idx));
		assert_int_equal(store_size(s), 2 * n);
		assert_int_equal(store_sync(s, NULL, 0), 0);
		store_close(s);
	}
}

static void crc32c_known_answers(void **state)
{
	uint8_t buf[1000];

	/* the CRC-32C check value, and RFC 3720 B.4's 32 zero bytes */
	assert_int_equal(crc32c(0, "123456789", 9), 0xe3069283);
	assert_int_equal(crc32c_sw(0, "123456789", 9), 0xe3069283);
	memset(buf, 0, 32);
	assert_int_equal(crc32c(0, buf, 32), 0x8a9136aa);
	/* hardware and table paths agree on every length and alignment,
	 * and chaining equals one pass */
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 131 + 7);
	for (size_t off = 0; off < 8; off++)
		for (size_t len = 0; len + off <= sizeof(buf); len += 37) {
			uint32_t c = crc32c(0, buf + off, len);

			assert_int_equal(c, crc32c_sw(0, buf + off, len));
			assert_int_equal(
				c, crc32c(crc32c(0, buf + off, len / 2),
					  buf + off + len / 2, len - len / 2));
		}
}

static off_t file_size(const char *name)
{
	char path[128];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(stat(path, &st), 0);
	return st.st_size;
}

static void cut(const char *name, off_t size)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(truncate(path, size), 0);
}

static void torn_tail_truncated(void **state)
{
	struct ledger_store *s;
	struct store_recovery rec;
	uint8_t buf[RECORD_MAX_LEN], root10[32], root[32];
	off_t full;
	int n;

	assert_int_equal(store_open(dir, &s, NULL, NULL, 0), 0);
	for (uint64_t i = 0; i < 10; i++) {
		n = make_record("r1", i, buf);
		assert_int_equal(store_append(s, buf, (size_t)n, NULL, NULL, 0),
				 0);
	}
	assert_int_equal(store_sync(s, NULL, 0), 0);
	root_of(s, root10);
	n = make_record("r1", 10, buf);
	assert_int_equal(store_append(s, buf, (size_t)n, NULL, NULL, 0), 0);
	assert_int_equal(store_sync(s, NULL, 0), 0);
	store_close(s);

	/* the last frame loses 5 bytes: it is dropped, the rest survives */
	full = file_size("log");
	cut("log", full - 5);
	assert_int_equal(store_open(dir, &s, &rec, NULL, 0), 0);
	assert_int_equal(rec.entries, 10);
	assert_int_equal(rec.dropped_bytes, 8 + n - 5);
	/* leaf file was one entry ahead of the log: cut back */
	assert_int_equal(merkle_size(store_tree(s)), 10);
	root_of(s, root);
	assert_memory_equal(root, root10, 32);
	assert_false(store_lookup(s, "r1", 10, NULL));
	/* and the seq can be appended again */
	assert_int_equal(store_append(s, buf, (size_t)n, NULL, NULL, 0), 0);
	assert_int_equal(store_sync(s, NULL, 0), 0);
	store_close(s);
	assert_int_equal(file_size("log"), full);
}

static void corrupt_tail_bytes_dropped(void **state)
{
	struct ledger_store *s;
	struct store_recovery rec;
	uint8_t buf[RECORD_MAX_LEN];
	char path[128];
	int fd, n;
	off_t full;

	assert_int_equal(store_open(dir, &s, NULL, NULL, 0), 0);
	for (uint64_t i = 0; i < 3; i++) {
		n = make_record("r1", i, buf);
		assert_int_equal(store_append(s, buf, (size_t)n, NULL, NULL, 0),
				 0);
	}
	assert_int_equal(store_sync(s, NULL, 0), 0);
	store_close(s);
	/* garbage where the last record's payload was (bad CRC) */
	full = file_size("log");
	snprintf(path, sizeof(path), "%s/log", dir);
	fd = open(path, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, "XX", 2, full - 10), 2);
	close(fd);
	assert_int_equal(store_open(dir, &s, &rec, NULL, 0), 0);
	assert_int_equal(rec.entries, 2);
	assert_int_equal(rec.dropped_bytes, 8 + n);
	store_close(s);
}

static void leaf_file_rebuilt(void **state)
{
	struct ledger_store *s;
	struct store_recovery rec;
	uint8_t buf[RECORD_MAX_LEN], root[32], root2[32];
	int n;

	assert_int_equal(store_open(dir, &s, NULL, NULL, 0), 0);
	for (uint64_t i = 0; i < 50; i++) {
		n = make_record("r7", i, buf);
		assert_int_equal(store_append(s, buf, (size_t)n, NULL, NULL, 0),
				 0);
	}
	assert_int_equal(store_sync(s, NULL, 0), 0);
	root_of(s, root);
	store_close(s);

	cut("leaves", 32 * 20 + 7); /* lost the tail (and a partial hash) */
	assert_int_equal(store_open(dir, &s, &rec, NULL, 0), 0);
	assert_int_equal(rec.leaves_rebuilt, 30);
	root_of(s, root2);
	assert_memory_equal(root, root2, 32);
	store_close(s);
	assert_int_equal(file_size("leaves"), 50 * 32);

	cut("leaves", 0);
	assert_int_equal(store_open(dir, &s, &rec, NULL, 0), 0);
	assert_int_equal(rec.leaves_rebuilt, 50);
	root_of(s, root2);
	assert_memory_equal(root, root2, 32);
	store_close(s);
}

/* Leaf hashes past the checkpoint may be torn in any page order: a bad
 * one in the middle (with good ones after it) is found and rebuilt. */
static void torn_leaf_page_after_checkpoint(void **state)
{
	struct ledger_store *s;
	struct store_recovery rec;
	struct note_key *k;
	uint8_t buf[RECORD_MAX_LEN], root[32], root2[32];
	char path[128];
	int fd, n;

	assert_int_equal(note_key_generate("log.example", &k, NULL, 0), 0);
	assert_int_equal(store_open(dir, &s, NULL, NULL, 0), 0);
	for (uint64_t i = 0; i < 300; i++) {
		n = make_record("r1", i, buf);
		assert_int_equal(store_append(s, buf, (size_t)n, NULL, NULL, 0),
				 0);
		if (i == 99) {
			assert_int_equal(store_sync(s, NULL, 0), 0);
			assert_int_equal(checkpoint_publish(s, "log.example", k,
							    NULL, NULL, 0),
					 0);
		}
	}
	assert_int_equal(store_sync(s, NULL, 0), 0);
	root_of(s, root);
	store_close(s);
	snprintf(path, sizeof(path), "%s/leaves", dir);
	fd = open(path, O_WRONLY);
	assert_true(fd >= 0);
	memset(buf, 0, 32 * 4);
	assert_int_equal(pwrite(fd, buf, 32 * 4, 32 * 150), 32 * 4);
	close(fd);
	assert_int_equal(store_open(dir, &s, &rec, NULL, 0), 0);
	assert_int_equal(rec.leaves_rebuilt, 150);
	root_of(s, root2);
	assert_memory_equal(root, root2, 32);
	store_close(s);
	note_key_free(k);
}

/* A damaged cached node inside the checkpointed prefix is caught by the
 * checkpoint's root and every hash is rebuilt from the log. */
static void bad_trusted_node_rebuilt(void **state)
{
	struct ledger_store *s;
	struct store_recovery rec;
	struct note_key *k;
	uint8_t buf[RECORD_MAX_LEN], root[32], root2[32];
	char path[128];
	int fd, n;

	assert_int_equal(note_key_generate("log.example", &k, NULL, 0), 0);
	assert_int_equal(store_open(dir, &s, NULL, NULL, 0), 0);
	for (uint64_t i = 0; i < 300; i++) {
		n = make_record("r1", i, buf);
		assert_int_equal(store_append(s, buf, (size_t)n, NULL, NULL, 0),
				 0);
	}
	assert_int_equal(store_sync(s, NULL, 0), 0);
	assert_int_equal(checkpoint_publish(s, "log.example", k, NULL, NULL, 0),
			 0);
	root_of(s, root);
	store_close(s);
	/* node 254 in creation order is the root of leaves 0..255 */
	snprintf(path, sizeof(path), "%s/leaves.nodes", dir);
	fd = open(path, O_WRONLY);
	assert_true(fd >= 0);
	memset(buf, 0xee, 32);
	assert_int_equal(pwrite(fd, buf, 32, 254 * 32), 32);
	close(fd);
	assert_int_equal(store_open_ro(dir, &s, &rec, NULL, 0), 0);
	root_of(s, root2);
	assert_memory_equal(root, root2, 32);
	store_close(s);
	assert_int_equal(store_open(dir, &s, &rec, NULL, 0), 0);
	assert_int_equal(rec.leaves_rebuilt, 300);
	root_of(s, root2);
	assert_memory_equal(root, root2, 32);
	store_close(s);
	/* repaired on disk: the next open trusts the file again */
	assert_int_equal(store_open(dir, &s, &rec, NULL, 0), 0);
	assert_int_equal(rec.leaves_rebuilt, 0);
	store_close(s);
	note_key_free(k);
}

/* A failed write is fatal: the store refuses all further work (the
 * daemon exits), and a reopen recovers exactly the synced entries. */
static void write_failure_is_fatal(void **state)
{
	struct ledger_store *s;
	struct store_recovery rec;
	struct rlimit old, lim;
	uint8_t buf[RECORD_MAX_LEN];
	char err[256];
	uint64_t i;
	int n, rc = STORE_OK;

	assert_int_equal(store_open(dir, &s, NULL, NULL, 0), 0);
	for (i = 0; i < 10; i++) {
		n = make_record("r1", i, buf);
		assert_int_equal(store_append(s, buf, (size_t)n, NULL, NULL, 0),
				 0);
	}
	assert_int_equal(store_sync(s, NULL, 0), 0);
	/* the file size limit makes the next writes fail with EFBIG */
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, SIG_IGN);
	lim = old;
	lim.rlim_cur = (rlim_t)file_size("log") + 200;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	for (; i < 100 && rc == STORE_OK; i++) {
		n = make_record("r1", i, buf);
		rc = store_append(s, buf, (size_t)n, NULL, err, sizeof(err));
	}
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, SIG_DFL);
	assert_int_equal(rc, STORE_FATAL);
	assert_non_null(strstr(err, "unusable"));
	/* nothing works any more, even now that writes would succeed */
	n = make_record("r1", 1000, buf);
	assert_int_equal(store_append(s, buf, (size_t)n, NULL, NULL, 0),
			 STORE_FATAL);
	assert_int_equal(store_sync(s, NULL, 0), STORE_FATAL);
	assert_int_equal(store_durable_size(s), 10);
	store_close(s);

	assert_int_equal(store_open(dir, &s, &rec, err, sizeof(err)), 0);
	assert_true(rec.entries >= 10);
	for (uint64_t k = 0; k < 10; k++)
		assert_true(store_lookup(s, "r1", k, NULL));
	store_close(s);
}

/* Damage inside the checkpointed prefix is corruption, not a torn tail. */
static void damage_before_checkpoint_refused(void **state)
{
	struct ledger_store *s;
	struct note_key *k;
	uint8_t buf[RECORD_MAX_LEN];
	char err[512];
	int n;

	assert_int_equal(note_key_generate("log.example", &k, NULL, 0), 0);
	assert_int_equal(store_open(dir, &s, NULL, NULL, 0), 0);
	for (uint64_t i = 0; i < 5; i++) {
		n = make_record("r1", i, buf);
		assert_int_equal(store_append(s, buf, (size_t)n, NULL, NULL, 0),
				 0);
	}
	assert_int_equal(store_sync(s, NULL, 0), 0);
	assert_int_equal(
		checkpoint_publish(s, "log.example", k, NULL, err, sizeof(err)),
		0);
	store_close(s);
	cut("log", file_size("log") - 3);
	assert_int_equal(store_open(dir, &s, NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "refusing to truncate"));
	/* the log was left as it was, for an operator to look at */
	/* a whole entry lost on a frame boundary is caught as well */
	cut("log", file_size("log") - (off_t)(n + 8 - 3));
	assert_int_equal(store_open(dir, &s, NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "entries were lost"));
	note_key_free(k);
}

static void checkpoint_covers_durable_only(void **state)
{
	struct ledger_store *s;
	struct note_key *k;
	struct checkpoint c;
	uint8_t buf[RECORD_MAX_LEN], root[32];
	char err[256], *note, *note2;
	size_t len;
	int n;

	assert_int_equal(note_key_generate("log.example", &k, NULL, 0), 0);
	assert_int_equal(store_open(dir, &s, NULL, NULL, 0), 0);
	for (uint64_t i = 0; i < 5; i++) {
		n = make_record("r1", i, buf);
		assert_int_equal(store_append(s, buf, (size_t)n, NULL, NULL, 0),
				 0);
	}
	assert_int_equal(store_sync(s, NULL, 0), 0);
	n = make_record("r1", 5, buf);
	assert_int_equal(store_append(s, buf, (size_t)n, NULL, NULL, 0), 0);
	assert_int_equal(checkpoint_publish(s, "log.example", k, &note, err,
					    sizeof(err)),
			 0);
	assert_int_equal(checkpoint_read(dir, &note2, &len, err, sizeof(err)),
			 0);
	assert_string_equal(note, note2);
	assert_int_equal(checkpoint_open(note2, len, k, &c, err, sizeof(err)),
			 0);
	assert_int_equal(c.size, 5);
	assert_string_equal(c.origin, "log.example");
	merkle_root(store_tree(s), 5, root, NULL, 0);
	assert_memory_equal(c.root, root, 32);
	free(note);
	free(note2);
	store_close(s);
	note_key_free(k);
}

static void read_only_view_and_writer_lock(void **state)
{
	struct ledger_store *s, *ro, *s2;
	struct store_recovery rec;
	uint8_t buf[RECORD_MAX_LEN], r1[32], r2[32];
	char err[256];
	off_t full;
	int n;

	assert_int_equal(store_open(dir, &s, NULL, NULL, 0), 0);
	for (uint64_t i = 0; i < 9; i++) {
		n = make_record("r1", i, buf);
		assert_int_equal(store_append(s, buf, (size_t)n, NULL, NULL, 0),
				 0);
	}
	assert_int_equal(store_sync(s, NULL, 0), 0);
	root_of(s, r1);
	/* a second writer is locked out; readers are not */
	assert_int_equal(store_open(dir, &s2, NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "another writer"));
	assert_int_equal(store_open_ro(dir, &ro, &rec, err, sizeof(err)), 0);
	assert_int_equal(rec.entries, 9);
	root_of(ro, r2);
	assert_memory_equal(r1, r2, 32);
	assert_int_equal(store_append(ro, buf, (size_t)n, NULL, NULL, 0),
			 STORE_INVALID);
	store_close(ro);
	store_close(s);

	/* torn tail and short leaf file: the reader copes without writing */
	full = file_size("log");
	cut("log", full - 1);
	cut("leaves", 32 * 3);
	assert_int_equal(store_open_ro(dir, &ro, &rec, err, sizeof(err)), 0);
	assert_int_equal(rec.entries, 8);
	assert_int_equal(rec.leaves_rebuilt, 5);
	store_close(ro);
	assert_int_equal(file_size("log"), full - 1);
	assert_int_equal(file_size("leaves"), 32 * 3);
}

static void checkpoint_body_strict(void **state)
{
	static const char good[] =
		"log.example/cfn\n10\n0Oej7wxPe6hWOXmQNxl4RGkqinoYDNAiFv0vFrejat0=\nextension\n";
	static const char *const bad[] = {
		"\n10\n0Oej7wxPe6hWOXmQNxl4RGkqinoYDNAiFv0vFrejat0=\n",
		"log example\n10\n0Oej7wxPe6hWOXmQNxl4RGkqinoYDNAiFv0vFrejat0=\n",
		"log\n010\n0Oej7wxPe6hWOXmQNxl4RGkqinoYDNAiFv0vFrejat0=\n",
		"log\n-1\n0Oej7wxPe6hWOXmQNxl4RGkqinoYDNAiFv0vFrejat0=\n",
		"log\n18446744073709551616\n0Oej7wxPe6hWOXmQNxl4RGkqinoYDNAiFv0vFrejat0=\n",
		"log\n10\n0Oej7wxPe6hWOXmQNxl4RGkqinoYDNAiFv0vFrejat=\n",
		"log\n10\n0Oej7wxPe6hWOXmQNxl4RGkqinoYDNAiFv0vFrejat0=",
	};
	struct checkpoint c;
	char buf[512];
	int n;

	assert_int_equal(checkpoint_parse(good, strlen(good), &c, NULL, 0), 0);
	assert_string_equal(c.origin, "log.example/cfn");
	assert_int_equal(c.size, 10);
	n = checkpoint_format(&c, buf, sizeof(buf));
	assert_int_equal(n, strlen(good) - strlen("extension\n"));
	assert_memory_equal(buf, good, (size_t)n);
	/* an origin with a NUL inside */
	assert_int_equal(
		checkpoint_parse(
			"lo\0g\n1\n0Oej7wxPe6hWOXmQNxl4RGkqinoYDNAiFv0vFrejat0=\n",
			52, &c, NULL, 0),
		-1);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (checkpoint_parse(bad[i], strlen(bad[i]), &c, NULL, 0) != -1)
			fail_msg("accepted: %s", bad[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(append_sync_reopen, setup,
						teardown),
		cmocka_unit_test_setup_teardown(out_of_order_seqs, setup,
						teardown),
		cmocka_unit_test_setup_teardown(torn_tail_truncated, setup,
						teardown),
		cmocka_unit_test_setup_teardown(corrupt_tail_bytes_dropped,
						setup, teardown),
		cmocka_unit_test_setup_teardown(torn_leaf_page_after_checkpoint,
						setup, teardown),
		cmocka_unit_test_setup_teardown(bad_trusted_node_rebuilt, setup,
						teardown),
		cmocka_unit_test_setup_teardown(write_failure_is_fatal, setup,
						teardown),
		cmocka_unit_test_setup_teardown(leaf_file_rebuilt, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			damage_before_checkpoint_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(checkpoint_covers_durable_only,
						setup, teardown),
		cmocka_unit_test_setup_teardown(read_only_view_and_writer_lock,
						setup, teardown),
		cmocka_unit_test(checkpoint_body_strict),
		cmocka_unit_test(crc32c_known_answers),
	};

	return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
