// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * RFC 9162 (Certificate Transparency v2) Merkle tree hashing, proofs and
 * their verification.  SHA-256, leaf prefix 0x00, interior node prefix 0x01.
 *
 * A struct merkle_tree holds the leaf hashes (persisted in a file when opened
 * with a path) and, in memory, the root of every complete aligned subtree by
 * level, so any subtree hash the proofs need is O(log n) cached reads.
 *
 * Functions returning int give 0 on success and -1 on error, with a message
 * in err (may be NULL).  Hashing keeps one digest context per thread; a
 * tree itself must not be used from two threads at once.
 */
#ifndef CFN_LEDGER_MERKLE_H
#define CFN_LEDGER_MERKLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MERKLE_HASH_LEN 32
/* A proof for trees up to 2^64 leaves never has more hashes than this. */
#define MERKLE_MAX_PROOF 64

struct merkle_proof {
	size_t n;
	uint8_t h[MERKLE_MAX_PROOF][MERKLE_HASH_LEN];
};

int merkle_leaf_hash(const void *data, size_t len,
		     uint8_t out[MERKLE_HASH_LEN]);
int merkle_node_hash(const uint8_t left[MERKLE_HASH_LEN],
		     const uint8_t right[MERKLE_HASH_LEN],
		     uint8_t out[MERKLE_HASH_LEN]);
/* The root of the empty tree: SHA-256 of the empty string. */
void merkle_empty_root(uint8_t out[MERKLE_HASH_LEN]);

struct merkle_tree;

/*
 * Open (creating if absent) a tree whose leaf hashes live in the file
 * `path` (a flat array of 32-byte hashes); path NULL keeps them in memory
 * only.  A trailing partial hash in the file is dropped.
 */
int merkle_open(struct merkle_tree **out, const char *path, char *err,
		size_t errlen);
/*
 * As merkle_open, also keeping interior node hashes in PATH.nodes.  Every
 * node read from the file is recomputed from its children and compared
 * before any proof is served (a flipped bit there would otherwise give
 * wrong proofs that no root check notices): the file is cut at the first
 * disagreement and rewritten from there.  `trusted` is kept for the API
 * and no longer skips the check.  ro: read whatever exists, never create,
 * truncate or write (an in-memory view).
 */
int merkle_open_ex(struct merkle_tree **out, const char *path, uint64_t trusted,
		   bool ro, char *err, size_t errlen);
void merkle_close(struct merkle_tree *mt);
/*
 * 0, or 1 + the index of the first interior node found in PATH.nodes that
 * did not match the hash of its children (it and the rest were rebuilt).
 */
uint64_t merkle_bad_node(const struct merkle_tree *mt);
uint64_t merkle_size(const struct merkle_tree *mt);

/* Append one leaf hash (write(2) only; merkle_sync makes it durable). */
int merkle_append(struct merkle_tree *mt, const uint8_t leaf[MERKLE_HASH_LEN],
		  char *err, size_t errlen);
int merkle_sync(struct merkle_tree *mt, char *err, size_t errlen);
/* Drop leaves so that size becomes `size` (recovery). */
int merkle_truncate(struct merkle_tree *mt, uint64_t size, char *err,
		    size_t errlen);

int merkle_get_leaf(const struct merkle_tree *mt, uint64_t index,
		    uint8_t out[MERKLE_HASH_LEN], char *err, size_t errlen);
/* Root of the tree made of the first `size` leaves (size <= merkle_size). */
int merkle_root(const struct merkle_tree *mt, uint64_t size,
		uint8_t out[MERKLE_HASH_LEN], char *err, size_t errlen);
/* MTH(D[lo:hi]) of a complete subtree: hi - lo a power of two, lo a
 * multiple of it (C2SP tlog-tiles hashes, ledger/tiles.c). */
int merkle_subtree_hash(const struct merkle_tree *mt, uint64_t lo, uint64_t hi,
			uint8_t out[MERKLE_HASH_LEN], char *err, size_t errlen);
/* RFC 9162 2.1.3.1: inclusion proof of leaf `index` in the tree of `size`. */
int merkle_prove_inclusion(const struct merkle_tree *mt, uint64_t index,
			   uint64_t size, struct merkle_proof *proof, char *err,
			   size_t errlen);
/* RFC 9162 2.1.4.1: consistency proof between sizes old_size <= new_size. */
int merkle_prove_consistency(const struct merkle_tree *mt, uint64_t old_size,
			     uint64_t new_size, struct merkle_proof *proof,
			     char *err, size_t errlen);

/* RFC 9162 2.1.3.2.  Returns 0 when the proof is valid. */
int merkle_verify_inclusion(const uint8_t leaf[MERKLE_HASH_LEN], uint64_t index,
			    uint64_t size, const struct merkle_proof *proof,
			    const uint8_t root[MERKLE_HASH_LEN], char *err,
			    size_t errlen);
/* RFC 9162 2.1.4.2.  Returns 0 when the proof is valid. */
int merkle_verify_consistency(uint64_t old_size, uint64_t new_size,
			      const uint8_t old_root[MERKLE_HASH_LEN],
			      const uint8_t new_root[MERKLE_HASH_LEN],
			      const struct merkle_proof *proof, char *err,
			      size_t errlen);

#endif
