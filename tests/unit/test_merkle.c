// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * RFC 9162 Merkle tree known answers (the transparency-dev/merkle reference
 * set: 8 leaves, roots for sizes 0..8, inclusion and consistency proofs)
 * and properties over random trees.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../ledger/merkle.h"

static const char *const leaves_hex[] = {
	"",
	"00",
	"10",
	"2021",
	"3031",
	"40414243",
	"5051525354555657",
	"606162636465666768696a6b6c6d6e6f",
};

static const char *const roots_hex[] = {
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
	"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
	"aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
	"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
	"4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
	"76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
	"ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
	"5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

/* Leaf hashes (level 0 of NodeHashes). */
static const char *const leaf_hash_hex[] = {
	"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
	"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
	"0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
	"07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
	"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
	"4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
	"b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
	"46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1",
};

struct vec {
	uint64_t a, b; /* leaf index and size, or old and new size */
	const char *h[4];
};

static const struct vec incl[] = {
	{0, 1, {NULL}},
	{0,
	 8,
	 {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
	  "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
	  "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
	{5,
	 8,
	 {"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
	  "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
	  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
	{2,
	 3,
	 {"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"}},
	{1,
	 5,
	 {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
	  "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
	  "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
};

static const struct vec cons[] = {
	{1, 1, {NULL}},
	{1,
	 8,
	 {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
	  "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
	  "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
	{6,
	 8,
	 {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
	  "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
	  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
	{2,
	 5,
	 {"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
	  "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
	{6,
	 7,
	 {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
	  "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
	  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
};

static size_t unhex(const char *s, uint8_t *out)
{
	size_t n = strlen(s) / 2;

	for (size_t i = 0; i < n; i++) {
		unsigned v;

		assert_int_equal(sscanf(s + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
	return n;
}

static struct merkle_tree *ref_tree(void)
{
	struct merkle_tree *mt;
	char err[256];

	assert_int_equal(merkle_open(&mt, NULL, err, sizeof(err)), 0);
	for (size_t i = 0; i < 8; i++) {
		uint8_t data[16], h[MERKLE_HASH_LEN];
		size_t n = unhex(leaves_hex[i], data);

		assert_int_equal(merkle_leaf_hash(data, n, h), 0);
		assert_int_equal(merkle_append(mt, h, err, sizeof(err)), 0);
	}
	return mt;
}

static void assert_proof(const struct merkle_proof *p, const char *const *want)
{
	size_t n = 0;

	while (n < 4 && want[n])
		n++;
	assert_int_equal(p->n, n);
	for (size_t i = 0; i < n; i++) {
		uint8_t h[MERKLE_HASH_LEN];

		unhex(want[i], h);
		assert_memory_equal(p->h[i], h, MERKLE_HASH_LEN);
	}
}

static void known_leaf_hashes_and_roots(void **state)
{
	struct merkle_tree *mt = ref_tree();
	uint8_t got[MERKLE_HASH_LEN], want[MERKLE_HASH_LEN];

	for (uint64_t i = 0; i < 8; i++) {
		assert_int_equal(merkle_get_leaf(mt, i, got, NULL, 0), 0);
		unhex(leaf_hash_hex[i], want);
		assert_memory_equal(got, want, MERKLE_HASH_LEN);
	}
	for (uint64_t s = 0; s <= 8; s++) {
		assert_int_equal(merkle_root(mt, s, got, NULL, 0), 0);
		unhex(roots_hex[s], want);
		assert_memory_equal(got, want, MERKLE_HASH_LEN);
	}
	assert_int_equal(merkle_root(mt, 9, got, NULL, 0), -1);
	merkle_close(mt);
}

static void known_inclusion_proofs(void **state)
{
	struct merkle_tree *mt = ref_tree();

	for (size_t i = 0; i < sizeof(incl) / sizeof(incl[0]); i++) {
		struct merkle_proof p;
		uint8_t leaf[MERKLE_HASH_LEN], root[MERKLE_HASH_LEN];
		char err[256];

		assert_int_equal(merkle_prove_inclusion(mt, incl[i].a,
							incl[i].b, &p, err,
							sizeof(err)),
				 0);
		assert_proof(&p, incl[i].h);
		unhex(leaf_hash_hex[incl[i].a], leaf);
		unhex(roots_hex[incl[i].b], root);
		assert_int_equal(merkle_verify_inclusion(leaf, incl[i].a,
							 incl[i].b, &p, root,
							 err, sizeof(err)),
				 0);
		/* the same proof does not fit a neighbouring index */
		if (incl[i].b > 1)
			assert_int_equal(
				merkle_verify_inclusion(
					leaf, (incl[i].a + 1) % incl[i].b,
					incl[i].b, &p, root, err, sizeof(err)),
				-1);
	}
	merkle_close(mt);
}

static void known_consistency_proofs(void **state)
{
	struct merkle_tree *mt = ref_tree();

	for (size_t i = 0; i < sizeof(cons) / sizeof(cons[0]); i++) {
		struct merkle_proof p;
		uint8_t r1[MERKLE_HASH_LEN], r2[MERKLE_HASH_LEN];
		char err[256];

		assert_int_equal(merkle_prove_consistency(mt, cons[i].a,
							  cons[i].b, &p, err,
							  sizeof(err)),
				 0);
		assert_proof(&p, cons[i].h);
		unhex(roots_hex[cons[i].a], r1);
		unhex(roots_hex[cons[i].b], r2);
		assert_int_equal(merkle_verify_consistency(cons[i].a, cons[i].b,
							   r1, r2, &p, err,
							   sizeof(err)),
				 0);
		if (cons[i].a != cons[i].b)
			/* roots swapped must fail */
			assert_int_equal(merkle_verify_consistency(
						 cons[i].a, cons[i].b, r2, r1,
						 &p, err, sizeof(err)),
					 -1);
	}
	merkle_close(mt);
}

/* Every proof of random trees verifies; any flipped bit breaks it. */
static void random_trees_all_proofs(void **state)
{
	struct merkle_tree *mt;
	unsigned seed = 12345;

	assert_int_equal(merkle_open(&mt, NULL, NULL, 0), 0);
	for (uint32_t i = 0; i < 2000; i++) {
		uint8_t h[MERKLE_HASH_LEN];

		assert_int_equal(merkle_leaf_hash(&i, sizeof(i), h), 0);
		assert_int_equal(merkle_append(mt, h, NULL, 0), 0);
	}
	for (int round = 0; round < 400; round++) {
		uint64_t size = 1 + rand_r(&seed) % 2000;
		uint64_t idx = rand_r(&seed) % size;
		uint64_t old = rand_r(&seed) % (size + 1);
		uint8_t root[MERKLE_HASH_LEN], oroot[MERKLE_HASH_LEN];
		uint8_t leaf[MERKLE_HASH_LEN];
		struct merkle_proof p;
		char err[256];

		assert_int_equal(merkle_root(mt, size, root, NULL, 0), 0);
		assert_int_equal(merkle_root(mt, old, oroot, NULL, 0), 0);
		assert_int_equal(merkle_get_leaf(mt, idx, leaf, NULL, 0), 0);

		assert_int_equal(merkle_prove_inclusion(mt, idx, size, &p, err,
							sizeof(err)),
				 0);
		assert_int_equal(merkle_verify_inclusion(leaf, idx, size, &p,
							 root, err,
							 sizeof(err)),
				 0);
		if (p.n) {
			size_t k = rand_r(&seed) % p.n;
			unsigned bit = rand_r(&seed) % 256;

			p.h[k][bit / 8] ^= 1 << (bit % 8);
			assert_int_equal(
				merkle_verify_inclusion(leaf, idx, size, &p,
							root, err, sizeof(err)),
				-1);
			p.h[k][bit / 8] ^= 1 << (bit % 8);
			/* a truncated proof fails too */
			p.n--;
			assert_int_equal(
				merkle_verify_inclusion(leaf, idx, size, &p,
							root, err, sizeof(err)),
				-1);
		}
		leaf[0] ^= 1;
		assert_int_equal(merkle_prove_inclusion(mt, idx, size, &p, err,
							sizeof(err)),
				 0);
		assert_int_equal(merkle_verify_inclusion(leaf, idx, size, &p,
							 root, err,
							 sizeof(err)),
				 -1);

		assert_int_equal(merkle_prove_consistency(mt, old, size, &p,
							  err, sizeof(err)),
				 0);
		assert_int_equal(merkle_verify_consistency(old, size, oroot,
							   root, &p, err,
							   sizeof(err)),
				 0);
		if (p.n) {
			size_t k = rand_r(&seed) % p.n;

			p.h[k][rand_r(&seed) % 32] ^= 0x80;
			assert_int_equal(merkle_verify_consistency(
						 old, size, oroot, root, &p,
						 err, sizeof(err)),
					 -1);
		}
		if (old > 0 && old < size) {
			oroot[31] ^= 1;
			assert_int_equal(merkle_prove_consistency(mt, old, size,
								  &p, err,
								  sizeof(err)),
					 0);
			assert_int_equal(merkle_verify_consistency(
						 old, size, oroot, root, &p,
						 err, sizeof(err)),
					 -1);
		}
	}
	merkle_close(mt);
}

/* The cached tree agrees with a naive RFC 9162 MTH at every size. */
static void naive_mth(const uint8_t (*l)[MERKLE_HASH_LEN], uint64_t n,
		      uint8_t out[MERKLE_HASH_LEN])
{
	uint8_t a[MERKLE_HASH_LEN], b[MERKLE_HASH_LEN];
	uint64_t k = 1;

	if (n == 1) {
		memcpy(out, l[0], MERKLE_HASH_LEN);
		return;
	}
	while (k * 2 < n)
		k *= 2;
	naive_mth(l, k, a);
	naive_mth(l + k, n - k, b);
	merkle_node_hash(a, b, out);
}

/* RFC 9162 PATH and SUBPROOF written out literally over a leaf array. */
static void ref_path(const uint8_t (*l)[MERKLE_HASH_LEN], uint64_t m,
		     uint64_t n, struct merkle_proof *p)
{
	uint64_t k = 1;

	if (n <= 1)
		return;
	while (k * 2 < n)
		k *= 2;
	if (m < k) {
		ref_path(l, m, k, p);
		naive_mth(l + k, n - k, p->h[p->n++]);
	} else {
		ref_path(l + k, m - k, n - k, p);
		naive_mth(l, k, p->h[p->n++]);
	}
}

static void ref_subproof(const uint8_t (*l)[MERKLE_HASH_LEN], uint64_t m,
			 uint64_t n, bool b, struct merkle_proof *p)
{
	uint64_t k = 1;

	if (m == n) {
		if (!b)
			naive_mth(l, n, p->h[p->n++]);
		return;
	}
	while (k * 2 < n)
		k *= 2;
	if (m <= k) {
		ref_subproof(l, m, k, b, p);
		naive_mth(l + k, n - k, p->h[p->n++]);
	} else {
		ref_subproof(l + k, m - k, n - k, false, p);
		naive_mth(l, k, p->h[p->n++]);
	}
}

/* Exhaustive for small trees: the cached tree equals the literal RFC. */
static void matches_rfc_definitions(void **state)
{
	uint8_t(*l)[MERKLE_HASH_LEN] = calloc(70, MERKLE_HASH_LEN);
	struct merkle_proof got, want;
	struct merkle_tree *mt;
	uint8_t r[MERKLE_HASH_LEN], w[MERKLE_HASH_LEN];

	assert_int_equal(merkle_open(&mt, NULL, NULL, 0), 0);
	for (uint32_t i = 0; i < 70; i++) {
		merkle_leaf_hash(&i, sizeof(i), l[i]);
		assert_int_equal(merkle_append(mt, l[i], NULL, 0), 0);
	}
	for (uint64_t n = 1; n <= 70; n++) {
		naive_mth(l, n, w);
		assert_int_equal(merkle_root(mt, n, r, NULL, 0), 0);
		assert_memory_equal(r, w, MERKLE_HASH_LEN);
		for (uint64_t m = 0; m < n; m++) {
			want.n = 0;
			ref_path(l, m, n, &want);
			assert_int_equal(
				merkle_prove_inclusion(mt, m, n, &got, NULL, 0),
				0);
			assert_int_equal(got.n, want.n);
			assert_memory_equal(got.h, want.h,
					    want.n * MERKLE_HASH_LEN);
		}
		for (uint64_t m = 1; m < n; m++) {
			want.n = 0;
			ref_subproof(l, m, n, true, &want);
			assert_int_equal(merkle_prove_consistency(
						 mt, m, n, &got, NULL, 0),
					 0);
			assert_int_equal(got.n, want.n);
			assert_memory_equal(got.h, want.h,
					    want.n * MERKLE_HASH_LEN);
		}
	}
	merkle_close(mt);
	free(l);
}

static void file_backed_reopen_and_truncate(void **state)
{
	char dir[] = "/tmp/test_merkle.XXXXXX", path[64];
	uint8_t(*l)[MERKLE_HASH_LEN] = calloc(300, MERKLE_HASH_LEN);
	uint8_t want[MERKLE_HASH_LEN], got[MERKLE_HASH_LEN];
	struct merkle_tree *mt;
	FILE *f;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/leaves", dir);
	assert_int_equal(merkle_open(&mt, path, NULL, 0), 0);
	for (uint32_t i = 0; i < 300; i++) {
		merkle_leaf_hash(&i, sizeof(i), l[i]);
		assert_int_equal(merkle_append(mt, l[i], NULL, 0), 0);
	}
	assert_int_equal(merkle_sync(mt, NULL, 0), 0);
	merkle_close(mt);

	/* a torn partial hash at the end is dropped on open */
	f = fopen(path, "ab");
	fwrite("abc", 1, 3, f);
	fclose(f);
	assert_int_equal(merkle_open(&mt, path, NULL, 0), 0);
	assert_int_equal(merkle_size(mt), 300);
	for (uint64_t s = 1; s <= 300; s += 7) {
		naive_mth(l, s, want);
		assert_int_equal(merkle_root(mt, s, got, NULL, 0), 0);
		assert_memory_equal(got, want, MERKLE_HASH_LEN);
	}
	assert_int_equal(merkle_truncate(mt, 123, NULL, 0), 0);
	assert_int_equal(merkle_sync(mt, NULL, 0), 0);
	merkle_close(mt);
	assert_int_equal(merkle_open(&mt, path, NULL, 0), 0);
	assert_int_equal(merkle_size(mt), 123);
	naive_mth(l, 123, want);
	assert_int_equal(merkle_root(mt, 123, got, NULL, 0), 0);
	assert_memory_equal(got, want, MERKLE_HASH_LEN);
	/* appending after truncation rebuilds the right subtrees */
	assert_int_equal(merkle_append(mt, l[123], NULL, 0), 0);
	assert_int_equal(merkle_append(mt, l[124], NULL, 0), 0);
	naive_mth(l, 125, want);
	assert_int_equal(merkle_root(mt, 125, got, NULL, 0), 0);
	assert_memory_equal(got, want, MERKLE_HASH_LEN);
	merkle_close(mt);
	unlink(path);
	snprintf(path, sizeof(path), "%s/leaves.nodes", dir);
	unlink(path);
	rmdir(dir);
	free(l);
}

static long fsize(const char *path)
{
	FILE *f = fopen(path, "rb");
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fclose(f);
	return n;
}

static void poke(const char *path, long off)
{
	FILE *f = fopen(path, "r+b");
	int c;

	assert_non_null(f);
	fseek(f, off, SEEK_SET);
	c = fgetc(f);
	fseek(f, off, SEEK_SET);
	fputc(c ^ 0x5a, f);
	fclose(f);
}

/* Interior nodes persist; every one read back is checked. */
static void node_file(void **state)
{
	char dir[] = "/tmp/test_merkle.XXXXXX", path[64], npath[80];
	uint8_t(*l)[MERKLE_HASH_LEN] = calloc(300, MERKLE_HASH_LEN);
	uint8_t want[MERKLE_HASH_LEN], got[MERKLE_HASH_LEN];
	struct merkle_tree *mt;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/leaves", dir);
	snprintf(npath, sizeof(npath), "%s.nodes", path);
	assert_int_equal(merkle_open(&mt, path, NULL, 0), 0);
	for (uint32_t i = 0; i < 300; i++) {
		merkle_leaf_hash(&i, sizeof(i), l[i]);
		assert_int_equal(merkle_append(mt, l[i], NULL, 0), 0);
	}
	assert_int_equal(merkle_sync(mt, NULL, 0), 0);
	merkle_close(mt);
	/* n - popcount(n) interior nodes */
	assert_int_equal(fsize(npath), (300 - 4) * MERKLE_HASH_LEN);
	naive_mth(l, 300, want);

	/* a damaged node past the trusted prefix is recomputed and the
	 * file cut there (node 200 covers leaves at and after 200) */
	poke(npath, 290 * MERKLE_HASH_LEN + 3);
	assert_int_equal(merkle_open_ex(&mt, path, 256, false, NULL, 0), 0);
	assert_int_equal(merkle_root(mt, 300, got, NULL, 0), 0);
	assert_memory_equal(got, want, MERKLE_HASH_LEN);
	assert_int_equal(merkle_sync(mt, NULL, 0), 0);
	merkle_close(mt);
	assert_int_equal(fsize(npath), (300 - 4) * MERKLE_HASH_LEN);
	assert_int_equal(merkle_open_ex(&mt, path, 0, true, NULL, 0), 0);
	assert_int_equal(merkle_root(mt, 300, got, NULL, 0), 0);
	assert_memory_equal(got, want, MERKLE_HASH_LEN);
	merkle_close(mt);

	/* inside the "trusted" prefix too: a node that a root check does
	 * not cover (proofs use it) is recomputed and reported */
	poke(npath, 254 * MERKLE_HASH_LEN); /* the 256-leaf subtree's root */
	assert_int_equal(merkle_open_ex(&mt, path, 256, true, NULL, 0), 0);
	assert_int_equal(merkle_root(mt, 256, got, NULL, 0), 0);
	naive_mth(l, 256, want);
	assert_memory_equal(got, want, MERKLE_HASH_LEN);
	assert_int_equal(merkle_bad_node(mt), 255);
	merkle_close(mt);
	poke(npath, 3 * MERKLE_HASH_LEN); /* a level-1 node of leaves 6, 7 */
	assert_int_equal(merkle_open_ex(&mt, path, 256, true, NULL, 0), 0);
	assert_int_equal(merkle_bad_node(mt), 4);
	merkle_close(mt);
	poke(npath, 3 * MERKLE_HASH_LEN);
	assert_int_equal(merkle_open_ex(&mt, path, 0, false, NULL, 0), 0);
	assert_int_equal(merkle_root(mt, 256, got, NULL, 0), 0);
	assert_memory_equal(got, want, MERKLE_HASH_LEN);
	merkle_close(mt);

	/* a node file longer than the leaves (leaves lost) is cut back;
	 * a missing one is rebuilt */
	assert_int_equal(truncate(path, 100 * MERKLE_HASH_LEN), 0);
	assert_int_equal(merkle_open_ex(&mt, path, 100, false, NULL, 0), 0);
	assert_int_equal(merkle_sync(mt, NULL, 0), 0);
	merkle_close(mt);
	assert_int_equal(fsize(npath), (100 - 3) * MERKLE_HASH_LEN);
	unlink(npath);
	assert_int_equal(merkle_open_ex(&mt, path, 100, false, NULL, 0), 0);
	naive_mth(l, 100, want);
	assert_int_equal(merkle_root(mt, 100, got, NULL, 0), 0);
	assert_memory_equal(got, want, MERKLE_HASH_LEN);
	assert_int_equal(merkle_sync(mt, NULL, 0), 0);
	merkle_close(mt);
	assert_int_equal(fsize(npath), (100 - 3) * MERKLE_HASH_LEN);
	unlink(npath);
	unlink(path);
	rmdir(dir);
	free(l);
}

static void bad_arguments_rejected(void **state)
{
	struct merkle_tree *mt = ref_tree();
	struct merkle_proof p;
	char err[256] = "";

	assert_int_equal(merkle_prove_inclusion(mt, 8, 8, &p, err, sizeof(err)),
			 -1);
	assert_true(strlen(err) > 0);
	assert_int_equal(merkle_prove_inclusion(mt, 0, 9, &p, err, sizeof(err)),
			 -1);
	assert_int_equal(
		merkle_prove_consistency(mt, 5, 4, &p, err, sizeof(err)), -1);
	assert_int_equal(merkle_truncate(mt, 9, err, sizeof(err)), -1);
	merkle_close(mt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(known_leaf_hashes_and_roots),
		cmocka_unit_test(known_inclusion_proofs),
		cmocka_unit_test(known_consistency_proofs),
		cmocka_unit_test(random_trees_all_proofs),
		cmocka_unit_test(matches_rfc_definitions),
		cmocka_unit_test(file_backed_reopen_and_truncate),
		cmocka_unit_test(node_file),
		cmocka_unit_test(bad_arguments_rejected),
	};

	return cmocka_run_group_tests_name("merkle", tests, NULL, NULL);
}
