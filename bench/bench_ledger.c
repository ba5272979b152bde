// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Ledger benchmark: proof generation/verification and restart (open +
 * recovery) at N entries, each against a baseline measured in the same
 * run, printed as ratios (the machine is noisy; absolute times are only
 * context).
 *
 *   bench_ledger [-n N] [-d DIR]
 *
 * Baselines:
 *   node hash   one RFC 9162 interior hash (SHA-256 of 65 bytes): a proof
 *               costs O(log n) of these when subtrees are cached;
 *   naive root  the root recomputed from all N leaf hashes (what an
 *               uncached implementation pays per proof);
 *   raw read    read(2) of the log, leaf and node files, sequentially,
 *               no parsing.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../ledger/checkpoint.h"
#include "../ledger/merkle.h"
#include "note.h"
#include "record.h"
#include "../ledger/store.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, const char *err)
{
	fprintf(stderr, "bench_ledger: %s: %s\n", what, err);
	exit(1);
}

static void row(const char *what, double v, const char *base, double b)
{
	printf("%-34s %12.3f us  %-14s %12.3f us  ratio %10.3g\n", what,
	       v * 1e6, base, b * 1e6, v / b);
}

static int make(struct record *r, uint64_t i)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->origin, sizeof(r->origin), "r%llu",
		 (unsigned long long)(i % 16));
	r->seq = i;
	r->time_s = 1795521600 + (int64_t)i;
	r->family = 4;
	r->plen = 32;
	r->addr[0] = 203;
	r->addr[2] = 113;
	r->addr[3] = (uint8_t)(i % 200);
	r->nsites = 1;
	snprintf(r->sites[0], sizeof(r->sites[0]), "site%llu",
		 (unsigned long long)(i % 7));
	r->cost = (uint32_t)(i % 1000);
	r->npath = 3;
	strcpy(r->path[0], "r1");
	strcpy(r->path[1], "r2");
	strcpy(r->path[2], "r3");
	return 0;
}

/* Mean time of one interior node hash over a short burst. */
static double node_hash_time(void)
{
	uint8_t in[64] = {1}, h[32];
	double t0 = now();

	for (int k = 0; k < 20000; k++)
		merkle_node_hash(in, in + 32, h);
	return (now() - t0) / 20000;
}

static double raw_read(const char *dir)
{
	static char buf[1 << 20];
	const char *files[] = {"log", "leaves", "leaves.nodes"};
	double t0 = now();

	for (int f = 0; f < 3; f++) {
		char path[4096];
		int fd;

		snprintf(path, sizeof(path), "%s/%s", dir, files[f]);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue; /* the node file may be gone (rebuild case) */
		while (read(fd, buf, sizeof(buf)) > 0)
			;
		close(fd);
	}
	return now() - t0;
}

int main(int argc, char **argv)
{
	uint64_t n = 1000000, i;
	const char *dir = NULL;
	char tmpl[] = "/tmp/bench_ledger.XXXXXX", err[512];
	struct ledger_store *s;
	struct store_recovery rec;
	struct merkle_tree *naive;
	struct merkle_proof p;
	struct note_key *key;
	uint8_t buf[RECORD_MAX_LEN], root[32], oroot[32], leaf[32], h[32];
	unsigned seed = 42;
	double t0, t_append, t_node, t_naive, t;
	const int probes = 20000;
	int c, len = 0;

	while ((c = getopt(argc, argv, "n:d:")) != -1) {
		if (c == 'n')
			n = strtoull(optarg, NULL, 10);
		else if (c == 'd')
			dir = optarg;
		else {
			fprintf(stderr,
				"usage: bench_ledger [-n N] [-d DIR]\n");
			return 2;
		}
	}
	if (!dir) {
		if (!mkdtemp(tmpl))
			die("mkdtemp", tmpl);
		dir = tmpl;
	}
	char db[2048];

	snprintf(db, sizeof(db), "%s/db", dir);
	printf("ledger benchmark, %llu entries, dir %s\n",
	       (unsigned long long)n, db);

	/* ---- fill: batches of 1000, one fsync each ---- */
	if (store_open(db, &s, NULL, err, sizeof(err)) < 0)
		die("open", err);
	t0 = now();
	for (i = 0; i < n; i++) {
		struct record r;

		make(&r, i);
		len = record_encode(&r, buf, sizeof(buf), err, sizeof(err));
		if (len < 0 || store_append(s, buf, (size_t)len, NULL, err,
					    sizeof(err)) != STORE_OK)
			die("append", err);
		if (i % 1000 == 999 && store_sync(s, err, sizeof(err)))
			die("sync", err);
	}
	if (store_sync(s, err, sizeof(err)))
		die("sync", err);
	t_append = now() - t0;
	if (note_key_generate("bench.example/log", &key, err, sizeof(err)) ||
	    checkpoint_publish(s, "bench.example/log", key, NULL, err,
			       sizeof(err)))
		die("checkpoint", err);
	printf("fill: %.2f s (%.0f records/s, group commit of 1000, record %d bytes)\n\n",
	       t_append, (double)n / t_append, len);

	/* ---- baselines ---- */
	/*
	 * The node-hash baseline is re-measured right next to each operation
	 * (node_hash_time()), so that load from elsewhere on the machine hits
	 * both sides of a ratio alike.
	 */
	t_node = node_hash_time();
	merkle_open(&naive, NULL, NULL, 0);
	t0 = now();
	{
		/* naive root: hash every level from the leaves up, no cache */
		uint64_t m = n;
		uint8_t(*lv)[32] = malloc(n * 32);

		for (i = 0; i < n; i++)
			merkle_get_leaf(store_tree(s), i, lv[i], NULL, 0);
		while (m > 1) {
			uint64_t o = 0;

			for (i = 0; i + 1 < m; i += 2)
				merkle_node_hash(lv[i], lv[i + 1], lv[o++]);
			if (m & 1)
				memcpy(lv[o++], lv[m - 1], 32);
			m = o;
		}
		free(lv);
	}
	t_naive = now() - t0;
	merkle_close(naive);

	printf("%-34s %15s  %-14s %13s  %s\n", "operation (mean)", "time",
	       "baseline", "time", "");
	/* ---- proofs at the full size and random sizes ---- */
	merkle_root(store_tree(s), n, root, NULL, 0);
	t_node = node_hash_time();
	t0 = now();
	for (int k = 0; k < probes; k++) {
		uint64_t idx = (uint64_t)rand_r(&seed) * 7919 % n;

		merkle_prove_inclusion(store_tree(s), idx, n, &p, NULL, 0);
	}
	t = (now() - t0) / probes;
	t_node = (t_node + node_hash_time()) / 2;
	row("inclusion proof, generate", t, "node hash", t_node);
	row("inclusion proof, generate", t, "naive root", t_naive);

	/* verification alone: proofs made outside the timed region */
	{
		double tv = 0;

		t_node = node_hash_time();
		for (int k = 0; k < probes; k++) {
			uint64_t idx = (uint64_t)rand_r(&seed) * 7919 % n;

			merkle_prove_inclusion(store_tree(s), idx, n, &p, NULL,
					       0);
			merkle_get_leaf(store_tree(s), idx, leaf, NULL, 0);
			t0 = now();
			if (merkle_verify_inclusion(leaf, idx, n, &p, root, err,
						    sizeof(err)))
				die("verify", err);
			tv += now() - t0;
		}
		t_node = (t_node + node_hash_time()) / 2;
		row("inclusion proof, verify", tv / probes, "node hash",
		    t_node);
	}

	t_node = node_hash_time();
	t0 = now();
	for (int k = 0; k < probes; k++) {
		uint64_t old = 1 + (uint64_t)rand_r(&seed) * 7919 % (n - 1);

		merkle_prove_consistency(store_tree(s), old, n, &p, NULL, 0);
	}
	t = (now() - t0) / probes;
	t_node = (t_node + node_hash_time()) / 2;
	row("consistency proof, generate", t, "node hash", t_node);
	{
		double tv = 0;

		t_node = node_hash_time();
		for (int k = 0; k < 2000; k++) {
			uint64_t old =
				1 + (uint64_t)rand_r(&seed) * 7919 % (n - 1);

			merkle_prove_consistency(store_tree(s), old, n, &p,
						 NULL, 0);
			merkle_root(store_tree(s), old, oroot, NULL, 0);
			t0 = now();
			if (merkle_verify_consistency(old, n, oroot, root, &p,
						      err, sizeof(err)))
				die("verify consistency", err);
			tv += now() - t0;
		}
		t_node = (t_node + node_hash_time()) / 2;
		row("consistency proof, verify", tv / 2000, "node hash",
		    t_node);
	}
	t_node = node_hash_time();
	t0 = now();
	for (int k = 0; k < probes; k++)
		merkle_root(store_tree(s),
			    1 + (uint64_t)rand_r(&seed) * 7919 % n, h, NULL, 0);
	t = (now() - t0) / probes;
	t_node = (t_node + node_hash_time()) / 2;
	row("root at a random size", t, "node hash", t_node);
	store_close(s);

	/* ---- restart ---- */
	{
		double base = 0, open_t = 0, rebuild_t = 0;
		char leaves[4200];

		raw_read(db); /* warm the page cache for both */
		for (int k = 0; k < 3; k++) {
			base += raw_read(db);
			t0 = now();
			if (store_open(db, &s, &rec, err, sizeof(err)))
				die("reopen", err);
			open_t += now() - t0;
			store_close(s);
		}
		row("restart (open + recovery)", open_t / 3, "raw read",
		    base / 3);
		/* a torn tail: half a frame at the end */
		{
			int fd;
			char path[4200];

			snprintf(path, sizeof(path), "%s/log", db);
			fd = open(path, O_WRONLY | O_APPEND);
			if (fd < 0 || write(fd, "\0\0\0\x50garbage", 11) != 11)
				die("tear", path);
			close(fd);
		}
		t0 = now();
		if (store_open(db, &s, &rec, err, sizeof(err)))
			die("reopen torn", err);
		t = now() - t0;
		store_close(s);
		printf("  (torn tail of %llu bytes dropped, %llu entries kept)\n",
		       (unsigned long long)rec.dropped_bytes,
		       (unsigned long long)rec.entries);
		row("restart with torn tail", t, "raw read", base / 3);
		snprintf(leaves, sizeof(leaves), "%s/leaves", db);
		if (truncate(leaves, 0))
			die("truncate", leaves);
		base = raw_read(db);
		t0 = now();
		if (store_open(db, &s, &rec, err, sizeof(err)))
			die("reopen rebuild", err);
		rebuild_t = now() - t0;
		store_close(s);
		row("restart, leaf file rebuilt", rebuild_t, "raw read", base);
		printf("  (%llu leaf hashes rebuilt from the log)\n",
		       (unsigned long long)rec.leaves_rebuilt);
	}

	/* ---- record signatures: per record vs per batch of 1000 ---- */
	{
		struct note_key *rk;
		struct record r;
		const int m = 2000;
		double ts, tvv, tb;

		note_key_generate("r1", &rk, NULL, 0);
		make(&r, 1);
		strcpy(r.origin, "r1");
		t0 = now();
		for (int k = 0; k < m; k++) {
			r.seq = (uint64_t)k;
			record_sign(&r, rk, NULL, 0);
		}
		ts = (now() - t0) / m;
		t0 = now();
		for (int k = 0; k < m; k++)
			if (record_verify(&r, &rk, 1, err, sizeof(err)))
				die("record verify", err);
		tvv = (now() - t0) / m;
		/* per batch: one signature over the hashes of 1000 records */
		t0 = now();
		for (int k = 0; k < 20; k++) {
			uint8_t hashes[1000][32], sig[64];

			for (int j = 0; j < 1000; j++) {
				len = record_encode(&r, buf, sizeof(buf), NULL,
						    0);
				merkle_leaf_hash(buf, (size_t)len, hashes[j]);
			}
			note_ed25519_sign(rk, hashes, sizeof(hashes), sig, NULL,
					  0);
		}
		tb = (now() - t0) / 20 / 1000;
		row("record sign (per record)", ts, "append+fsync",
		    t_append / n);
		row("record verify (per record)", tvv, "append+fsync",
		    t_append / n);
		row("batch-of-1000 sign, per record", tb, "append+fsync",
		    t_append / n);
		note_key_free(rk);
	}
	note_key_free(key);
	if (!strcmp(dir, tmpl)) {
		char cmd[4200];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpl);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", tmpl);
	}
	return 0;
}
