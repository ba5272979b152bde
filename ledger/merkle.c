// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * RFC 9162 Merkle trees.  Every subtree the RFC's recursive definitions
 * visit starts at a multiple of the largest power of two not above its
 * size, so a perfect subtree is always "aligned" and is found in the level
 * cache: level l holds the roots of the complete subtrees of 2^l leaves,
 * level 0 being the leaf hashes.  Imperfect subtrees only occur along the
 * right edge and are split into at most log2(n) perfect ones.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "merkle.h"
#include "util.h"

#define LEVELS 64

struct level {
	uint8_t (*h)[MERKLE_HASH_LEN];
	uint64_t n, cap;
};

/*
 * Interior nodes are also kept in PATH.nodes, in the order they are
 * created (pushing leaf i creates the nodes of the subtrees it completes),
 * so after n leaves the file holds exactly n - popcount(n) hashes.  None is
 * taken on faith: each is recomputed from its children and compared (a
 * damaged node would give wrong proofs under a right root), and the file
 * is cut at the first disagreement.
 */
struct merkle_tree {
	int fd;		   /* leaf hash file, -1 for a memory-only tree */
	int nfd;	   /* node file, -1 if none */
	uint64_t written;  /* leaves already in the file */
	uint64_t nwritten; /* nodes already in the node file */
	bool dirty;	   /* leaf file changed since the last fsync */
	bool ndirty;	   /* node file changed since the last fsync */
	uint64_t n;
	uint64_t ncreated; /* n - popcount(n) */
	struct level lv[LEVELS];
	struct level pend; /* nodes nwritten..ncreated-1, to be written */
	/* while opening: the node file's contents and what to trust */
	const uint8_t *src;
	uint64_t nsrc, trusted;
	uint64_t bad_node; /* 1 + first node of the file that was wrong */
};

static EVP_MD *sha256_md(void)
{
	/* Fetched once: EVP_sha256()'s implicit fetch per call is slow. */
	static _Thread_local EVP_MD *md;

	if (!md)
		md = EVP_MD_fetch(NULL, "SHA256", NULL);
	return md;
}

static int hash2(uint8_t prefix, const void *a, size_t alen, const void *b,
		 size_t blen, uint8_t out[MERKLE_HASH_LEN])
{
	static _Thread_local EVP_MD_CTX *ctx;
	EVP_MD *md = sha256_md();

	if (!ctx)
		ctx = EVP_MD_CTX_new();
	if (!ctx || !md || !EVP_DigestInit_ex(ctx, md, NULL) ||
	    !EVP_DigestUpdate(ctx, &prefix, 1) ||
	    (alen && !EVP_DigestUpdate(ctx, a, alen)) ||
	    (blen && !EVP_DigestUpdate(ctx, b, blen)) ||
	    !EVP_DigestFinal_ex(ctx, out, NULL))
		return -1;
	return 0;
}

int merkle_leaf_hash(const void *data, size_t len, uint8_t out[MERKLE_HASH_LEN])
{
	return hash2(0x00, data, len, NULL, 0, out);
}

int merkle_node_hash(const uint8_t left[MERKLE_HASH_LEN],
		     const uint8_t right[MERKLE_HASH_LEN],
		     uint8_t out[MERKLE_HASH_LEN])
{
	return hash2(0x01, left, MERKLE_HASH_LEN, right, MERKLE_HASH_LEN, out);
}

void merkle_empty_root(uint8_t out[MERKLE_HASH_LEN])
{
	static const uint8_t e[MERKLE_HASH_LEN] = {
		0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14,
		0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f, 0xb9, 0x24,
		0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c,
		0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55,
	};

	memcpy(out, e, MERKLE_HASH_LEN);
}

static int level_push(struct level *l, const uint8_t h[MERKLE_HASH_LEN])
{
	if (l->n == l->cap) {
		uint64_t cap = l->cap ? l->cap * 2 : 64;
		void *p = realloc(l->h, cap * MERKLE_HASH_LEN);

		if (!p)
			return -1;
		l->h = p;
		l->cap = cap;
	}
	memcpy(l->h[l->n++], h, MERKLE_HASH_LEN);
	return 0;
}

/* Add a leaf to the level cache, completing every subtree it closes. */
static int tree_push(struct merkle_tree *mt,
		     const uint8_t leaf[MERKLE_HASH_LEN])
{
	uint8_t h[MERKLE_HASH_LEN];
	unsigned l = 0;

	if (level_push(&mt->lv[0], leaf) < 0)
		return -1;
	while (l + 1 < LEVELS && mt->lv[l].n % 2 == 0) {
		struct level *lv = &mt->lv[l];
		uint64_t k = mt->ncreated;
		bool in_file = k < mt->nsrc;

		/* a node from the file is only a cache: always checked */
		if (merkle_node_hash(lv->h[lv->n - 2], lv->h[lv->n - 1], h) < 0)
			return -1;
		if (in_file &&
		    memcmp(h, mt->src + k * MERKLE_HASH_LEN, MERKLE_HASH_LEN)) {
			mt->nsrc = k;
			mt->bad_node = k + 1;
			in_file = false;
		}
		if (!in_file && mt->nfd >= 0 && level_push(&mt->pend, h) < 0)
			return -1;
		if (level_push(&mt->lv[l + 1], h) < 0)
			return -1;
		mt->ncreated++;
		l++;
	}
	mt->n++;
	return 0;
}

static int open_file(const char *path, bool ro, int *fd, char *err,
		     size_t errlen)
{
	*fd = open(path,
		   ro ? O_RDONLY | O_CLOEXEC : O_RDWR | O_CREAT | O_CLOEXEC,
		   0644);
	if (*fd < 0 && !(ro && errno == ENOENT))
		return cfn_err(err, errlen, "open %s: %s", path,
			       strerror(errno));
	return 0;
}

int merkle_open_ex(struct merkle_tree **out, const char *path, uint64_t trusted,
		   bool ro, char *err, size_t errlen)
{
	struct merkle_tree *mt = calloc(1, sizeof(*mt));
	uint8_t buf[MERKLE_HASH_LEN * 1024];
	char npath[4096];
	struct stat st, nst;
	uint64_t count = 0, i;
	void *map = NULL;
	size_t maplen = 0;

	if (!mt)
		return cfn_err(err, errlen, "out of memory");
	mt->fd = mt->nfd = -1;
	*out = NULL;
	if (!path) {
		*out = mt;
		return 0;
	}
	snprintf(npath, sizeof(npath), "%s.nodes", path);
	if (open_file(path, ro, &mt->fd, err, errlen) < 0 ||
	    open_file(npath, ro, &mt->nfd, err, errlen) < 0)
		goto fail;
	if (mt->fd >= 0 && fstat(mt->fd, &st) == 0)
		count = (uint64_t)st.st_size / MERKLE_HASH_LEN;
	if (mt->nfd >= 0 && fstat(mt->nfd, &nst) == 0 && nst.st_size > 0) {
		maplen = (size_t)nst.st_size;
		map = mmap(NULL, maplen, PROT_READ, MAP_PRIVATE, mt->nfd, 0);
		if (map == MAP_FAILED) {
			map = NULL; /* just re-hash everything */
		} else {
			madvise(map, maplen, MADV_SEQUENTIAL);
			mt->src = map;
			mt->nsrc = maplen / MERKLE_HASH_LEN;
			mt->trusted = trusted;
		}
	}
	for (i = 0; i < count;) {
		uint64_t chunk = count - i < 1024 ? count - i : 1024;

		if (pread_all(mt->fd, buf, chunk * MERKLE_HASH_LEN,
			      (off_t)(i * MERKLE_HASH_LEN)) != 0) {
			cfn_err(err, errlen, "read %s: %s", path,
				strerror(errno));
			goto fail;
		}
		for (uint64_t j = 0; j < chunk; j++)
			if (tree_push(mt, buf + j * MERKLE_HASH_LEN) < 0) {
				cfn_err(err, errlen, "out of memory");
				goto fail;
			}
		i += chunk;
	}
	/* the node file is good up to the first node not confirmed */
	mt->nwritten = mt->nsrc < mt->ncreated ? mt->nsrc : mt->ncreated;
	if (map)
		munmap(map, maplen);
	map = NULL;
	mt->src = NULL;
	mt->nsrc = 0;
	mt->written = count;
	if (ro) {
		/* a view: never writes, whatever it finds */
		if (mt->fd >= 0)
			close(mt->fd);
		if (mt->nfd >= 0)
			close(mt->nfd);
		mt->fd = mt->nfd = -1;
		mt->pend.n = 0;
		*out = mt;
		return 0;
	}
	if ((uint64_t)nst.st_size != mt->nwritten * MERKLE_HASH_LEN) {
		if (ftruncate(mt->nfd,
			      (off_t)(mt->nwritten * MERKLE_HASH_LEN)) < 0) {
			cfn_err(err, errlen, "truncate %s: %s", npath,
				strerror(errno));
			goto fail;
		}
		mt->ndirty = true;
	}
	if ((uint64_t)st.st_size != count * MERKLE_HASH_LEN &&
	    merkle_truncate(mt, count, err, errlen) < 0)
		goto fail;
	*out = mt;
	return 0;
fail:
	if (map)
		munmap(map, maplen);
	mt->src = NULL;
	mt->pend.n = 0;
	merkle_close(mt);
	return -1;
}

int merkle_open(struct merkle_tree **out, const char *path, char *err,
		size_t errlen)
{
	return merkle_open_ex(out, path, 0, false, err, errlen);
}

static int flush(struct merkle_tree *mt, char *err, size_t errlen)
{
	if (mt->fd >= 0 && mt->written < mt->n) {
		if (pwrite_all(mt->fd, mt->lv[0].h[mt->written],
			       (mt->n - mt->written) * MERKLE_HASH_LEN,
			       (off_t)(mt->written * MERKLE_HASH_LEN)) < 0)
			return cfn_err(err, errlen, "write leaf hashes: %s",
				       strerror(errno));
		mt->written = mt->n;
		mt->dirty = true;
	}
	if (mt->nfd >= 0 && mt->pend.n) {
		if (pwrite_all(mt->nfd, mt->pend.h,
			       mt->pend.n * MERKLE_HASH_LEN,
			       (off_t)(mt->nwritten * MERKLE_HASH_LEN)) < 0)
			return cfn_err(err, errlen, "write node hashes: %s",
				       strerror(errno));
		mt->nwritten += mt->pend.n;
		mt->pend.n = 0;
		mt->ndirty = true;
	}
	return 0;
}

void merkle_close(struct merkle_tree *mt)
{
	if (!mt)
		return;
	flush(mt, NULL, 0);
	if (mt->fd >= 0)
		close(mt->fd);
	if (mt->nfd >= 0)
		close(mt->nfd);
	for (unsigned l = 0; l < LEVELS; l++)
		free(mt->lv[l].h);
	free(mt->pend.h);
	free(mt);
}

uint64_t merkle_bad_node(const struct merkle_tree *mt)
{
	return mt->bad_node;
}

uint64_t merkle_size(const struct merkle_tree *mt)
{
	return mt->n;
}

int merkle_append(struct merkle_tree *mt, const uint8_t leaf[MERKLE_HASH_LEN],
		  char *err, size_t errlen)
{
	if (tree_push(mt, leaf) < 0)
		return cfn_err(err, errlen, "out of memory or hash failure");
	/* Bound the unwritten tail so memory pressure can't grow it. */
	if (mt->n - mt->written >= 4096)
		return flush(mt, err, errlen);
	return 0;
}

int merkle_sync(struct merkle_tree *mt, char *err, size_t errlen)
{
	if (flush(mt, err, errlen) < 0)
		return -1;
	if (mt->fd >= 0 && mt->dirty) {
		if (fdatasync(mt->fd) < 0)
			return cfn_err(err, errlen, "fsync leaf hashes: %s",
				       strerror(errno));
		mt->dirty = false;
	}
	if (mt->nfd >= 0 && mt->ndirty) {
		if (fdatasync(mt->nfd) < 0)
			return cfn_err(err, errlen, "fsync node hashes: %s",
				       strerror(errno));
		mt->ndirty = false;
	}
	return 0;
}

int merkle_truncate(struct merkle_tree *mt, uint64_t size, char *err,
		    size_t errlen)
{
	uint64_t nodes = size - (uint64_t)__builtin_popcountll(size);

	if (size > mt->n)
		return cfn_err(err, errlen, "truncate to %llu beyond size %llu",
			       (unsigned long long)size,
			       (unsigned long long)mt->n);
	for (unsigned l = 0; l < LEVELS; l++)
		mt->lv[l].n = size >> l;
	mt->n = size;
	mt->ncreated = nodes;
	if (mt->nfd >= 0) {
		if (mt->nwritten > nodes) {
			if (ftruncate(mt->nfd,
				      (off_t)(nodes * MERKLE_HASH_LEN)) < 0)
				return cfn_err(err, errlen,
					       "truncate node hashes: %s",
					       strerror(errno));
			mt->nwritten = nodes;
			mt->ndirty = true;
		}
		if (mt->pend.n > nodes - mt->nwritten)
			mt->pend.n = nodes - mt->nwritten;
	}
	if (mt->fd >= 0) {
		if (ftruncate(mt->fd, (off_t)(size * MERKLE_HASH_LEN)) < 0)
			return cfn_err(err, errlen, "truncate leaf hashes: %s",
				       strerror(errno));
		if (mt->written > size)
			mt->written = size;
		mt->dirty = true;
	}
	return 0;
}

int merkle_get_leaf(const struct merkle_tree *mt, uint64_t index,
		    uint8_t out[MERKLE_HASH_LEN], char *err, size_t errlen)
{
	if (index >= mt->n)
		return cfn_err(err, errlen, "leaf %llu beyond tree size %llu",
			       (unsigned long long)index,
			       (unsigned long long)mt->n);
	memcpy(out, mt->lv[0].h[index], MERKLE_HASH_LEN);
	return 0;
}

/* Largest power of two strictly below n (n >= 2). */
static uint64_t split_point(uint64_t n)
{
	uint64_t k = 1;

	while (k << 1 < n)
		k <<= 1;
	return k;
}

/* MTH(D[lo:hi]) for a subtree of the RFC recursion (lo aligned). */
static int subtree(const struct merkle_tree *mt, uint64_t lo, uint64_t hi,
		   uint8_t out[MERKLE_HASH_LEN])
{
	uint64_t size = hi - lo;
	uint8_t l[MERKLE_HASH_LEN], r[MERKLE_HASH_LEN];
	uint64_t k;

	if ((size & (size - 1)) == 0) {
		unsigned lvl = (unsigned)__builtin_ctzll(size);

		memcpy(out, mt->lv[lvl].h[lo >> lvl], MERKLE_HASH_LEN);
		return 0;
	}
	k = split_point(size);
	if (subtree(mt, lo, lo + k, l) < 0 || subtree(mt, lo + k, hi, r) < 0)
		return -1;
	return merkle_node_hash(l, r, out);
}

int merkle_subtree_hash(const struct merkle_tree *mt, uint64_t lo, uint64_t hi,
			uint8_t out[MERKLE_HASH_LEN], char *err, size_t errlen)
{
	uint64_t size = hi - lo;

	if (hi <= lo || hi > mt->n || (size & (size - 1)) || (lo & (size - 1)))
		return cfn_err(err, errlen, "not a complete aligned subtree");
	return subtree(mt, lo, hi, out) < 0
		       ? cfn_err(err, errlen, "hash failure")
		       : 0;
}

int merkle_root(const struct merkle_tree *mt, uint64_t size,
		uint8_t out[MERKLE_HASH_LEN], char *err, size_t errlen)
{
	if (size > mt->n)
		return cfn_err(err, errlen, "size %llu beyond tree size %llu",
			       (unsigned long long)size,
			       (unsigned long long)mt->n);
	if (size == 0) {
		merkle_empty_root(out);
		return 0;
	}
	if (subtree(mt, 0, size, out) < 0)
		return cfn_err(err, errlen, "hash failure");
	return 0;
}

static int proof_add(const struct merkle_tree *mt, struct merkle_proof *p,
		     uint64_t lo, uint64_t hi)
{
	if (p->n >= MERKLE_MAX_PROOF)
		return -1;
	return subtree(mt, lo, hi, p->h[p->n++]);
}

/* PATH(m, D[lo:hi]), RFC 9162 2.1.3.1; hashes come out leaf first. */
static int path(const struct merkle_tree *mt, uint64_t m, uint64_t lo,
		uint64_t hi, struct merkle_proof *p)
{
	uint64_t k;

	if (hi - lo <= 1)
		return 0;
	k = split_point(hi - lo);
	if (m < k)
		return path(mt, m, lo, lo + k, p) < 0
			       ? -1
			       : proof_add(mt, p, lo + k, hi);
	return path(mt, m - k, lo + k, hi, p) < 0
		       ? -1
		       : proof_add(mt, p, lo, lo + k);
}

int merkle_prove_inclusion(const struct merkle_tree *mt, uint64_t index,
			   uint64_t size, struct merkle_proof *proof, char *err,
			   size_t errlen)
{
	proof->n = 0;
	if (size > mt->n)
		return cfn_err(err, errlen, "size %llu beyond tree size %llu",
			       (unsigned long long)size,
			       (unsigned long long)mt->n);
	if (index >= size)
		return cfn_err(err, errlen, "index %llu not below size %llu",
			       (unsigned long long)index,
			       (unsigned long long)size);
	if (path(mt, index, 0, size, proof) < 0)
		return cfn_err(err, errlen, "hash failure");
	return 0;
}

/* SUBPROOF(m, D[lo:hi], b), RFC 9162 2.1.4.1. */
static int subproof(const struct merkle_tree *mt, uint64_t m, uint64_t lo,
		    uint64_t hi, bool b, struct merkle_proof *p)
{
	uint64_t n = hi - lo, k;

	if (m == n)
		return b ? 0 : proof_add(mt, p, lo, hi);
	k = split_point(n);
	if (m <= k)
		return subproof(mt, m, lo, lo + k, b, p) < 0
			       ? -1
			       : proof_add(mt, p, lo + k, hi);
	return subproof(mt, m - k, lo + k, hi, false, p) < 0
		       ? -1
		       : proof_add(mt, p, lo, lo + k);
}

int merkle_prove_consistency(const struct merkle_tree *mt, uint64_t old_size,
			     uint64_t new_size, struct merkle_proof *proof,
			     char *err, size_t errlen)
{
	proof->n = 0;
	if (new_size > mt->n)
		return cfn_err(err, errlen, "size %llu beyond tree size %llu",
			       (unsigned long long)new_size,
			       (unsigned long long)mt->n);
	if (old_size > new_size)
		return cfn_err(err, errlen, "old size %llu above new size %llu",
			       (unsigned long long)old_size,
			       (unsigned long long)new_size);
	/* Empty proofs: every tree extends the empty one and itself. */
	if (old_size == 0 || old_size == new_size)
		return 0;
	if (subproof(mt, old_size, 0, new_size, true, proof) < 0)
		return cfn_err(err, errlen, "hash failure");
	return 0;
}

int merkle_verify_inclusion(const uint8_t leaf[MERKLE_HASH_LEN], uint64_t index,
			    uint64_t size, const struct merkle_proof *proof,
			    const uint8_t root[MERKLE_HASH_LEN], char *err,
			    size_t errlen)
{
	uint64_t fn = index, sn = size - 1;
	uint8_t r[MERKLE_HASH_LEN];

	if (index >= size)
		return cfn_err(err, errlen, "index %llu not below size %llu",
			       (unsigned long long)index,
			       (unsigned long long)size);
	memcpy(r, leaf, MERKLE_HASH_LEN);
	for (size_t i = 0; i < proof->n; i++) {
		if (sn == 0)
			return cfn_err(err, errlen, "inclusion proof too long");
		if ((fn & 1) || fn == sn) {
			merkle_node_hash(proof->h[i], r, r);
			while (!(fn & 1) && fn != 0) {
				fn >>= 1;
				sn >>= 1;
			}
		} else {
			merkle_node_hash(r, proof->h[i], r);
		}
		fn >>= 1;
		sn >>= 1;
	}
	if (sn != 0)
		return cfn_err(err, errlen, "inclusion proof too short");
	if (memcmp(r, root, MERKLE_HASH_LEN) != 0)
		return cfn_err(err, errlen,
			       "inclusion proof does not lead to the root");
	return 0;
}

int merkle_verify_consistency(uint64_t old_size, uint64_t new_size,
			      const uint8_t old_root[MERKLE_HASH_LEN],
			      const uint8_t new_root[MERKLE_HASH_LEN],
			      const struct merkle_proof *proof, char *err,
			      size_t errlen)
{
	uint8_t fr[MERKLE_HASH_LEN], sr[MERKLE_HASH_LEN];
	uint64_t fn, sn;
	size_t i = 0;

	if (old_size > new_size)
		return cfn_err(err, errlen, "old size %llu above new size %llu",
			       (unsigned long long)old_size,
			       (unsigned long long)new_size);
	if (old_size == new_size) {
		if (proof->n)
			return cfn_err(err, errlen,
				       "equal sizes need an empty proof");
		if (memcmp(old_root, new_root, MERKLE_HASH_LEN) != 0)
			return cfn_err(err, errlen,
				       "equal sizes but different roots");
		return 0;
	}
	if (old_size == 0) {
		if (proof->n)
			return cfn_err(err, errlen,
				       "old size 0 needs an empty proof");
		return 0;
	}
	if (proof->n == 0)
		return cfn_err(err, errlen, "empty consistency proof");

	fn = old_size - 1;
	sn = new_size - 1;
	while (fn & 1) {
		fn >>= 1;
		sn >>= 1;
	}
	/* A power-of-two old tree is itself the first node of the path. */
	if ((old_size & (old_size - 1)) == 0) {
		memcpy(fr, old_root, MERKLE_HASH_LEN);
	} else {
		memcpy(fr, proof->h[0], MERKLE_HASH_LEN);
		i = 1;
	}
	memcpy(sr, fr, MERKLE_HASH_LEN);
	for (; i < proof->n; i++) {
		if (sn == 0)
			return cfn_err(err, errlen,
				       "consistency proof too long");
		if ((fn & 1) || fn == sn) {
			merkle_node_hash(proof->h[i], fr, fr);
			merkle_node_hash(proof->h[i], sr, sr);
			while (!(fn & 1) && fn != 0) {
				fn >>= 1;
				sn >>= 1;
			}
		} else {
			merkle_node_hash(sr, proof->h[i], sr);
		}
		fn >>= 1;
		sn >>= 1;
	}
	if (sn != 0)
		return cfn_err(err, errlen, "consistency proof too short");
	if (memcmp(fr, old_root, MERKLE_HASH_LEN) != 0)
		return cfn_err(err, errlen,
			       "consistency proof does not match the old root");
	if (memcmp(sr, new_root, MERKLE_HASH_LEN) != 0)
		return cfn_err(err, errlen,
			       "consistency proof does not match the new root");
	return 0;
}
