// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Append-only decision log with group commit and torn-tail recovery.
 *
 * Write order per batch: frames are write(2)n to DIR/log as they are
 * appended and their leaf hashes queued in the Merkle tree; store_sync()
 * fdatasyncs the log first and the leaf file second.  So after a crash the
 * leaf file may lag the log (rebuilt from the log on open) or, when the
 * tree flushed early, run ahead of a torn log (truncated on open); the log
 * is the truth.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crc32c.h"
#include "store.h"
#include "util.h"

static const char log_magic[8] = "CFNLOG1\n";
#define HDR 8 /* frame header: u32 length, u32 CRC-32C */

/*
 * The (origin, seq) index.  Exporters number each origin's decisions
 * upwards, so almost every append extends its origin's sorted run (seq,
 * index): O(1), no lookup, and cache-friendly to rebuild on open.  The
 * rare out-of-order seq (a replay after an exporter lost its state) goes
 * to a hash table.  Every seq in the table is below its run's last seq at
 * the time it was added, so an append above the run's end cannot be a
 * duplicate.
 */
struct run {
	char *name;
	uint64_t *seq;
	uint32_t *idx;
	uint64_t n, cap;
};

struct slot {
	uint64_t seq;
	uint32_t origin; /* index into runs[] + 1; 0 = empty slot */
	uint32_t index;	 /* log entry */
};

struct ledger_store {
	char *dir;
	int fd;
	bool fatal;
	bool ro;
	uint64_t n, durable;
	uint64_t end; /* log file length */
	int mfd;      /* DIR/synced: the log length of the last fdatasync */
	uint64_t synced_end; /* read from it on open (0: unknown) */
	uint64_t ck;	     /* published size, from the caller */
	uint8_t ckroot[MERKLE_HASH_LEN];
	store_key_fn key;
	uint64_t *off, off_cap;
	struct merkle_tree *tree;

	struct run *runs;
	uint32_t nruns, runs_cap, last_run;
	struct slot *slots;
	uint64_t nslots, used;
};

/* ---- (origin, seq) index ---- */

static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* Origins are few (one per router): a scan, with the last hit first. */
static uint32_t origin_id(struct ledger_store *s, const char *origin, bool add)
{
	if (s->last_run && !strcmp(s->runs[s->last_run - 1].name, origin))
		return s->last_run;
	for (uint32_t i = 0; i < s->nruns; i++)
		if (!strcmp(s->runs[i].name, origin))
			return s->last_run = i + 1;
	if (!add)
		return 0;
	if (s->nruns == s->runs_cap) {
		uint32_t cap = s->runs_cap ? s->runs_cap * 2 : 16;
		struct run *p = realloc(s->runs, cap * sizeof(*p));

		if (!p)
			return 0;
		s->runs = p;
		s->runs_cap = cap;
	}
	memset(&s->runs[s->nruns], 0, sizeof(struct run));
	s->runs[s->nruns].name = strdup(origin);
	if (!s->runs[s->nruns].name)
		return 0;
	return s->last_run = ++s->nruns;
}

static struct slot *find_slot(const struct ledger_store *s, uint32_t oid,
			      uint64_t seq)
{
	uint64_t mask = s->nslots - 1;
	uint64_t i = mix(seq ^ ((uint64_t)oid << 40)) & mask;

	for (;; i = (i + 1) & mask) {
		struct slot *sl = &s->slots[i];

		if (!sl->origin || (sl->origin == oid && sl->seq == seq))
			return sl;
	}
}

static int table_grow(struct ledger_store *s)
{
	uint64_t old = s->nslots;
	struct slot *os = s->slots;

	s->nslots = old ? old * 2 : 64;
	s->slots = calloc(s->nslots, sizeof(*s->slots));
	if (!s->slots) {
		s->slots = os;
		s->nslots = old;
		return -1;
	}
	for (uint64_t i = 0; i < old; i++)
		if (os[i].origin)
			*find_slot(s, os[i].origin, os[i].seq) = os[i];
	free(os);
	return 0;
}

/* Binary search of a run; true with *index if seq is in it. */
static bool run_find(const struct run *r, uint64_t seq, uint64_t *index)
{
	uint64_t lo = 0, hi = r->n;

	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (r->seq[mid] < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < r->n && r->seq[lo] == seq) {
		*index = r->idx[lo];
		return true;
	}
	return false;
}

static bool find(const struct ledger_store *s, uint32_t oid, uint64_t seq,
		 uint64_t *index)
{
	const struct slot *sl;

	if (run_find(&s->runs[oid - 1], seq, index))
		return true;
	if (!s->used)
		return false;
	sl = find_slot(s, oid, seq);
	if (!sl->origin)
		return false;
	*index = sl->index;
	return true;
}

/* 1 if (origin, seq) was present (*found set), 0 added, -1 no memory. */
static int index_add(struct ledger_store *s, const char *origin, uint64_t seq,
		     uint64_t idx, uint64_t *found)
{
	uint32_t oid = origin_id(s, origin, true);
	struct run *r;
	struct slot *sl;

	if (!oid)
		return -1;
	r = &s->runs[oid - 1];
	if (r->n == 0 || seq > r->seq[r->n - 1]) {
		if (r->n == r->cap) {
			uint64_t cap = r->cap ? r->cap * 2 : 256;
			uint64_t *sq = realloc(r->seq, cap * sizeof(*sq));
			uint32_t *ix;

			if (!sq)
				return -1;
			r->seq = sq;
			ix = realloc(r->idx, cap * sizeof(*ix));
			if (!ix)
				return -1;
			r->idx = ix;
			r->cap = cap;
		}
		r->seq[r->n] = seq;
		r->idx[r->n++] = (uint32_t)idx;
		return 0;
	}
	if (find(s, oid, seq, found))
		return 1;
	if ((s->used + 1) * 2 > s->nslots && table_grow(s) < 0)
		return -1;
	sl = find_slot(s, oid, seq);
	sl->origin = oid;
	sl->seq = seq;
	sl->index = (uint32_t)idx;
	s->used++;
	return 0;
}

bool store_lookup(const struct ledger_store *s, const char *origin,
		  uint64_t seq, uint64_t *index)
{
	uint32_t oid = origin_id((struct ledger_store *)s, origin, false);
	uint64_t i;

	if (!oid || !find(s, oid, seq, &i))
		return false;
	if (index)
		*index = i;
	return true;
}

static int push_off(struct ledger_store *s, uint64_t off)
{
	if (s->n == s->off_cap) {
		uint64_t cap = s->off_cap ? s->off_cap * 2 : 1024;
		uint64_t *p = realloc(s->off, cap * sizeof(*p));

		if (!p)
			return -1;
		s->off = p;
		s->off_cap = cap;
	}
	s->off[s->n++] = off;
	return 0;
}

/* ---- open / recovery ---- */

static uint32_t frame_crc(const uint8_t *hdr_len, const uint8_t *data,
			  size_t len)
{
	/* the length is covered too: a corrupt length cannot pass */
	return crc32c(crc32c(0, hdr_len, 4), data, len);
}

/*
 * DIR/synced holds the log length covered by the last fdatasync of the
 * log (u64 BE, CRC-32C BE), rewritten with pwrite after every sync and
 * never fsync'd itself: it is written only once the log data below it is
 * durable, so whatever version survives a crash is a lower bound of what
 * was synced and acknowledged.  Below it nothing is a torn tail.
 */
static void mark_synced(struct ledger_store *s)
{
	uint8_t b[12];

	if (s->mfd < 0)
		return;
	put_be64(b, s->end);
	put_be32(b + 8, crc32c(0, b, 8));
	/* a hint: failing to write it loses nothing acknowledged */
	if (pwrite(s->mfd, b, sizeof(b), 0) != (ssize_t)sizeof(b))
		return;
}

static uint64_t read_synced(struct ledger_store *s)
{
	uint8_t b[12];

	if (s->mfd < 0 || pread_all(s->mfd, b, sizeof(b), 0) != 0 ||
	    get_be32(b + 8) != crc32c(0, b, 8))
		return 0; /* absent or torn: no lower bound known */
	return get_be64(b);
}

/* A whole, checksummed entry with a key at m[pos..size)? */
static bool frame_ok(const struct ledger_store *s, const uint8_t *m,
		     uint64_t pos, uint64_t size, char origin[64],
		     uint64_t *seq)
{
	uint32_t len;

	if (size - pos < HDR)
		return false;
	len = get_be32(m + pos);
	return len && len <= STORE_ENTRY_MAX && size - pos - HDR >= len &&
	       s->key(m + pos + HDR, len, origin, seq) == 0 &&
	       get_be32(m + pos + 4) == frame_crc(m + pos, m + pos + HDR, len);
}

/*
 * A crash tears only the end of the log: whatever was written after the
 * last fdatasync.  An intact entry anywhere after the damage means the
 * damage is inside what was already written in order (and so synced and
 * acknowledged): corruption, not a torn tail.  Returns its offset or 0.
 */
static uint64_t intact_after(const struct ledger_store *s, const uint8_t *m,
			     uint64_t pos, uint64_t size)
{
	char origin[64];
	uint64_t seq;

	for (uint64_t p = pos + 1; p + HDR < size; p++)
		if (frame_ok(s, m, p, size, origin, &seq))
			return p;
	return 0;
}

static int scan_log(struct ledger_store *s, struct store_recovery *rec,
		    char *err, size_t errlen)
{
	struct stat st;
	const uint8_t *m;
	uint64_t pos = sizeof(log_magic), size, ck, intact;

	if (fstat(s->fd, &st) < 0)
		return cfn_err(err, errlen, "stat log: %s", strerror(errno));
	size = (uint64_t)st.st_size;
	if (size < sizeof(log_magic)) {
		if (s->ro)
			return cfn_err(err, errlen, "%s/log: no log header",
				       s->dir);
		/* created but the header never made it: start afresh */
		if (ftruncate(s->fd, 0) < 0 ||
		    pwrite_all(s->fd, log_magic, sizeof(log_magic), 0) < 0 ||
		    fdatasync(s->fd) < 0)
			return cfn_err(err, errlen, "initialise log: %s",
				       strerror(errno));
		rec->dropped_bytes = size;
		s->end = sizeof(log_magic);
		return 0;
	}
	m = mmap(NULL, size, PROT_READ, MAP_PRIVATE, s->fd, 0);
	if (m == MAP_FAILED)
		return cfn_err(err, errlen, "mmap log: %s", strerror(errno));
	madvise((void *)m, size, MADV_SEQUENTIAL);
	if (memcmp(m, log_magic, sizeof(log_magic)) != 0) {
		munmap((void *)m, size);
		return cfn_err(err, errlen, "%s/log is not a CFN ledger log",
			       s->dir);
	}
	while (size - pos >= HDR) {
		uint32_t len = get_be32(m + pos);
		char origin[64];
		uint64_t seq, dup;
		int rc;

		if (len == 0 || len > STORE_ENTRY_MAX ||
		    size - pos - HDR < len ||
		    get_be32(m + pos + 4) !=
			    frame_crc(m + pos, m + pos + HDR, len))
			break;
		if (s->key(m + pos + HDR, len, origin, &seq) < 0) {
			munmap((void *)m, size);
			return cfn_err(
				err, errlen,
				"log entry %llu has a valid checksum but is not a record",
				(unsigned long long)s->n);
		}
		rc = index_add(s, origin, seq, s->n, &dup);
		if (rc == 1) {
			munmap((void *)m, size);
			return cfn_err(
				err, errlen,
				"log entries %llu and %llu are both %s/%llu",
				(unsigned long long)dup,
				(unsigned long long)s->n, origin,
				(unsigned long long)seq);
		}
		if (rc < 0 || push_off(s, pos) < 0) {
			munmap((void *)m, size);
			return cfn_err(err, errlen, "out of memory");
		}
		pos += HDR + len;
	}
	intact = pos < size && !s->ro ? intact_after(s, m, pos, size) : 0;
	if (!intact && pos < size && pos < s->synced_end)
		intact = pos; /* damage below the last synced length */
	munmap((void *)m, size);
	rec->dropped_bytes = size - pos;
	s->end = pos;
	ck = s->ck;
	if (s->ro)
		return 0;
	/*
	 * Everything published was fsync'd and acknowledged, and so was
	 * everything followed by an intact entry: damage or loss there is
	 * corruption, not a torn tail, and must not be cut off (or built
	 * upon, or signed smaller) silently.
	 */
	if ((ck > s->n && pos != size) || intact)
		return cfn_err(
			err, errlen,
			"log damaged at entry %llu (offset %llu), inside what was %s: refusing to truncate. Keep a copy, repair it (doc/ledger-repair.md)",
			(unsigned long long)s->n, (unsigned long long)pos,
			ck > s->n ? "published" : "synced and acknowledged");
	if (ck > s->n)
		return cfn_err(
			err, errlen,
			"log has %llu entries but %llu were published: entries were lost. Repair it from a replica (doc/ledger-repair.md)",
			(unsigned long long)s->n, (unsigned long long)ck);
	if (size < s->synced_end)
		return cfn_err(
			err, errlen,
			"log is %llu bytes but %llu were synced and acknowledged: entries were lost. Repair it from a replica (doc/ledger-repair.md)",
			(unsigned long long)size,
			(unsigned long long)s->synced_end);
	if (pos != size &&
	    (ftruncate(s->fd, (off_t)pos) < 0 || fdatasync(s->fd) < 0))
		return cfn_err(err, errlen, "truncate torn log tail: %s",
			       strerror(errno));
	return 0;
}

/* Bring the leaf hash file in line with the log. */
static int reconcile_leaves(struct ledger_store *s, struct store_recovery *rec,
			    char *err, size_t errlen)
{
	uint64_t have, from, trusted;
	const uint8_t *m = NULL;
	uint8_t h[MERKLE_HASH_LEN], lf[MERKLE_HASH_LEN];
	int rc = -1;

	if (merkle_size(s->tree) > s->n &&
	    merkle_truncate(s->tree, s->n, err, errlen) < 0)
		return -1;
	have = merkle_size(s->tree);
	from = have;
	if (s->n) {
		/* one mapping, not a pread and malloc per entry */
		m = mmap(NULL, s->end, PROT_READ, MAP_PRIVATE, s->fd, 0);
		if (m == MAP_FAILED)
			return cfn_err(err, errlen, "mmap log: %s",
				       strerror(errno));
		madvise((void *)m, s->end, MADV_SEQUENTIAL);
	}
#define LEAF_OF(i)                                                             \
	merkle_leaf_hash(m + s->off[i] + HDR, get_be32(m + s->off[i]), h)
	/*
	 * Leaves of the checkpointed prefix were fsync'd before the
	 * checkpoint was signed: spot-check the last one (wrong or damaged
	 * file).  Later ones may come from a write torn in any page order,
	 * so each is compared with the log.
	 */
	trusted = s->ck < have ? s->ck : have;
	if (trusted > 0) {
		LEAF_OF(trusted - 1);
		merkle_get_leaf(s->tree, trusted - 1, lf, NULL, 0);
		if (memcmp(h, lf, MERKLE_HASH_LEN) != 0) {
			from = 0;
			rec->bad_leaf = trusted; /* the one checked */
		}
	}
	for (uint64_t i = trusted; from == have && i < have; i++) {
		LEAF_OF(i);
		merkle_get_leaf(s->tree, i, lf, NULL, 0);
		if (memcmp(h, lf, MERKLE_HASH_LEN) != 0)
			from = i;
	}
	if (from < have && !rec->bad_leaf)
		rec->bad_leaf = from + 1;
	if (from < have && merkle_truncate(s->tree, from, err, errlen) < 0)
		goto out;
	for (uint64_t i = from; i < s->n; i++) {
		LEAF_OF(i);
		if (merkle_append(s->tree, h, err, errlen) < 0)
			goto out;
	}
#undef LEAF_OF
	rec->leaves_rebuilt = s->n - from;
	rc = s->ro ? 0 : merkle_sync(s->tree, err, errlen);
out:
	if (m)
		munmap((void *)m, s->end);
	return rc;
}

/*
 * The cached hashes must reproduce the signed root of the checkpointed
 * prefix (O(log n) to check).  If not, rebuild every hash from the log;
 * if the log itself does not reproduce it, the writer refuses to go on.
 */
static int check_checkpoint_root(struct ledger_store *s,
				 struct store_recovery *rec, char *err,
				 size_t errlen)
{
	uint8_t r[MERKLE_HASH_LEN];
	uint64_t ck;

	if (!s->ck || s->ck > s->n)
		return 0;
	merkle_root(s->tree, s->ck, r, NULL, 0);
	if (!memcmp(r, s->ckroot, MERKLE_HASH_LEN))
		return 0;
	if (merkle_truncate(s->tree, 0, err, errlen) < 0)
		return -1;
	ck = s->ck;
	s->ck = 0; /* trust nothing cached */
	if (reconcile_leaves(s, rec, err, errlen) < 0)
		return -1;
	s->ck = ck;
	merkle_root(s->tree, s->ck, r, NULL, 0);
	if (memcmp(r, s->ckroot, MERKLE_HASH_LEN) != 0 && !s->ro)
		return cfn_err(
			err, errlen,
			"the log's first %llu entries do not hash to the published root: the log is damaged. Repair it from a replica (doc/ledger-repair.md)",
			(unsigned long long)s->ck);
	return 0;
}

static int open_common(const char *dir, bool ro,
		       const struct store_trust *trust, store_key_fn key,
		       struct ledger_store **out, struct store_recovery *rec,
		       char *err, size_t errlen)
{
	struct store_recovery dummy;
	struct ledger_store *s;
	char path[4096];
	bool new_log;
	struct stat st;

	if (!rec)
		rec = &dummy;
	memset(rec, 0, sizeof(*rec));
	*out = NULL;
	if (ro) {
		if (stat(dir, &st) < 0)
			return cfn_err(err, errlen, "%s: %s", dir,
				       strerror(errno));
	} else if (mkdir(dir, 0750) == 0) {
		char parent[4096], *slash;

		snprintf(parent, sizeof(parent), "%s", dir);
		slash = strrchr(parent, '/');
		if (slash == parent)
			slash[1] = '\0';
		else if (slash)
			*slash = '\0';
		else
			snprintf(parent, sizeof(parent), ".");
		if (fsync_dir(parent, err, errlen) < 0)
			return -1;
	} else if (errno != EEXIST) {
		return cfn_err(err, errlen, "mkdir %s: %s", dir,
			       strerror(errno));
	}
	s = calloc(1, sizeof(*s));
	if (!s || !(s->dir = strdup(dir))) {
		free(s);
		return cfn_err(err, errlen, "out of memory");
	}
	s->fd = s->mfd = -1;
	s->ro = ro;
	s->key = key;
	if (trust) {
		s->ck = trust->size;
		memcpy(s->ckroot, trust->root, MERKLE_HASH_LEN);
	}

	snprintf(path, sizeof(path), "%s/log", dir);
	new_log = stat(path, &st) < 0;
	if (ro)
		s->fd = open(path, O_RDONLY | O_CLOEXEC);
	else
		s->fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0640);
	if (s->fd < 0) {
		cfn_err(err, errlen, "open %s: %s", path, strerror(errno));
		goto fail;
	}
	if (!ro && flock(s->fd, LOCK_EX | LOCK_NB) < 0) {
		cfn_err(err, errlen,
			"%s is in use by another writer (cfn-ledgerd running?)",
			path);
		goto fail;
	}
	if (new_log) {
		if (pwrite_all(s->fd, log_magic, sizeof(log_magic), 0) < 0 ||
		    fdatasync(s->fd) < 0) {
			cfn_err(err, errlen, "initialise %s: %s", path,
				strerror(errno));
			goto fail;
		}
		rec->created = true;
	}
	if (!ro) {
		snprintf(path, sizeof(path), "%s/synced", dir);
		s->mfd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0640);
		if (s->mfd < 0) {
			cfn_err(err, errlen, "open %s: %s", path,
				strerror(errno));
			goto fail;
		}
		s->synced_end = read_synced(s);
	}
	if (scan_log(s, rec, err, errlen) < 0)
		goto fail;

	snprintf(path, sizeof(path), "%s/leaves", dir);
	if (merkle_open_ex(&s->tree, path, s->ck, ro, err, errlen) < 0)
		goto fail;
	/* new log, leaf or node files must survive a crash by name */
	if (!ro && fsync_dir(dir, err, errlen) < 0)
		goto fail;
	if (reconcile_leaves(s, rec, err, errlen) < 0 ||
	    check_checkpoint_root(s, rec, err, errlen) < 0)
		goto fail;
	rec->bad_node = merkle_bad_node(s->tree);
	/*
	 * What we recovered may exist only in the page cache (written by a
	 * process that died before its fsync): make it durable before anyone
	 * signs or acknowledges it.
	 */
	if (!ro && fdatasync(s->fd) < 0) {
		cfn_err(err, errlen, "sync recovered %s/log: %s", dir,
			strerror(errno));
		goto fail;
	}
	if (!ro && (merkle_sync(s->tree, err, errlen) < 0 ||
		    fsync_dir(dir, err, errlen) < 0))
		goto fail;
	if (!ro)
		mark_synced(s);
	s->durable = s->n;
	rec->entries = s->n;
	*out = s;
	return 0;
fail:
	store_close(s);
	return -1;
}

int store_open(const char *dir, const struct store_trust *trust,
	       store_key_fn key, struct ledger_store **out,
	       struct store_recovery *rec, char *err, size_t errlen)
{
	return open_common(dir, false, trust, key, out, rec, err, errlen);
}

int store_open_ro(const char *dir, const struct store_trust *trust,
		  store_key_fn key, struct ledger_store **out,
		  struct store_recovery *rec, char *err, size_t errlen)
{
	return open_common(dir, true, trust, key, out, rec, err, errlen);
}

uint64_t store_trusted_size(const struct ledger_store *s)
{
	return s->ck;
}

void store_publish(struct ledger_store *s, uint64_t size)
{
	if (size > s->ck)
		s->ck = size;
}

void store_close(struct ledger_store *s)
{
	if (!s)
		return;
	if (s->fd >= 0)
		close(s->fd);
	if (s->mfd >= 0)
		close(s->mfd);
	merkle_close(s->tree);
	for (uint32_t i = 0; i < s->nruns; i++) {
		free(s->runs[i].name);
		free(s->runs[i].seq);
		free(s->runs[i].idx);
	}
	free(s->runs);
	free(s->slots);
	free(s->off);
	free(s->dir);
	free(s);
}

uint64_t store_size(const struct ledger_store *s)
{
	return s->n;
}

uint64_t store_durable_size(const struct ledger_store *s)
{
	return s->durable;
}

const char *store_dir(const struct ledger_store *s)
{
	return s->dir;
}

struct merkle_tree *store_tree(struct ledger_store *s)
{
	return s->tree;
}

static int fatal(struct ledger_store *s, char *err, size_t errlen,
		 const char *what)
{
	s->fatal = true;
	cfn_err(err, errlen, "%s/log: %s: %s (store is now unusable)", s->dir,
		what, strerror(errno));
	return STORE_FATAL;
}

/* Is entry `index` byte-identical to data? */
static int same_entry(struct ledger_store *s, uint64_t index,
		      const uint8_t *data, size_t len, char *err, size_t errlen)
{
	uint8_t *old;
	size_t olen;
	int same;

	if (store_get(s, index, &old, &olen, err, errlen) < 0)
		return -1;
	same = olen == len && !memcmp(old, data, len);
	free(old);
	return same;
}

int store_append(struct ledger_store *s, const char *origin, uint64_t seq,
		 const uint8_t *data, size_t len, uint64_t *index, char *err,
		 size_t errlen)
{
	uint8_t hdr[HDR], leaf[MERKLE_HASH_LEN];
	uint64_t dup;
	int rc;

	if (s->fatal)
		return cfn_err(err, errlen, "store failed earlier"),
		       STORE_FATAL;
	if (s->ro)
		return cfn_err(err, errlen, "store is read-only"),
		       STORE_INVALID;
	if (len == 0 || len > STORE_ENTRY_MAX)
		return cfn_err(err, errlen, "entry of %zu bytes", len),
		       STORE_INVALID;
	if (!origin || !*origin || strlen(origin) >= 64)
		return cfn_err(err, errlen, "entry without a valid origin"),
		       STORE_INVALID;
	if (s->n >= UINT32_MAX - 1)
		return cfn_err(err, errlen, "log full"), STORE_INVALID;
	rc = index_add(s, origin, seq, s->n, &dup);
	if (rc == 1) {
		if (index)
			*index = dup;
		/* a resend is the same bytes; a reused seq is not */
		rc = same_entry(s, dup, data, len, err, errlen);
		if (rc < 0)
			return STORE_INVALID;
		if (rc)
			return STORE_DUP;
		cfn_err(err, errlen,
			"%s seq %llu is already logged (entry %llu) with other content",
			origin, (unsigned long long)seq,
			(unsigned long long)dup);
		return STORE_CONFLICT;
	}
	if (rc < 0 || push_off(s, s->end) < 0) {
		errno = ENOMEM;
		return fatal(s, err, errlen, "index");
	}
	put_be32(hdr, (uint32_t)len);
	put_be32(hdr + 4, frame_crc(hdr, data, len));
	if (pwrite_all(s->fd, hdr, HDR, (off_t)s->end) < 0 ||
	    pwrite_all(s->fd, data, len, (off_t)(s->end + HDR)) < 0)
		return fatal(s, err, errlen, "write");
	s->end += HDR + len;
	if (merkle_leaf_hash(data, len, leaf) < 0 ||
	    merkle_append(s->tree, leaf, err, errlen) < 0) {
		s->fatal = true;
		return STORE_FATAL;
	}
	if (index)
		*index = s->n - 1;
	return STORE_OK;
}

int store_sync(struct ledger_store *s, char *err, size_t errlen)
{
	if (s->fatal)
		return cfn_err(err, errlen, "store failed earlier"),
		       STORE_FATAL;
	if (s->ro || s->durable == s->n)
		return STORE_OK;
	/*
	 * After a failed fsync the kernel may have dropped the dirty pages
	 * and cleared the error: retrying would "succeed" without the data.
	 */
	if (fdatasync(s->fd) < 0)
		return fatal(s, err, errlen, "fsync");
	s->durable = s->n;
	mark_synced(s);
	return STORE_OK;
}

int store_sync_hashes(struct ledger_store *s, char *err, size_t errlen)
{
	if (s->fatal)
		return cfn_err(err, errlen, "store failed earlier"),
		       STORE_FATAL;
	if (s->ro)
		return STORE_OK;
	if (merkle_sync(s->tree, err, errlen) < 0) {
		s->fatal = true;
		return STORE_FATAL;
	}
	return STORE_OK;
}

int store_get(struct ledger_store *s, uint64_t index, uint8_t **data,
	      size_t *len, char *err, size_t errlen)
{
	uint8_t hdr[HDR], *d;
	uint32_t n;

	if (index >= s->n)
		return cfn_err(err, errlen, "entry %llu beyond log size %llu",
			       (unsigned long long)index,
			       (unsigned long long)s->n);
	if (pread_all(s->fd, hdr, HDR, (off_t)s->off[index]) != 0)
		return cfn_err(err, errlen, "read entry %llu: %s",
			       (unsigned long long)index, strerror(errno));
	n = get_be32(hdr);
	if (n == 0 || n > STORE_ENTRY_MAX || !(d = malloc(n)))
		return cfn_err(err, errlen, "entry %llu: bad length",
			       (unsigned long long)index);
	if (pread_all(s->fd, d, n, (off_t)(s->off[index] + HDR)) != 0 ||
	    get_be32(hdr + 4) != frame_crc(hdr, d, n)) {
		free(d);
		return cfn_err(err, errlen,
			       "entry %llu: unreadable or checksum mismatch",
			       (unsigned long long)index);
	}
	*data = d;
	*len = n;
	return 0;
}
