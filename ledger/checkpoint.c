// SPDX-License-Identifier: GPL-2.0-or-later
/* C2SP tlog-checkpoint bodies, signing and the DIR/checkpoint file. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkpoint.h"
#include "crc32c.h"
#include "store.h"
#include "util.h"

#define CHECKPOINT_FILE_MAX 65536
#define PUBLISHED_MAX 256

/*
 * DIR/published:  "CFNPUB1\n" SIZE "\n" BASE64(root) "\n" CRC "\n", CRC
 * being the CRC-32C (8 hex digits) of everything before it.
 */
static int published_format(uint64_t size, const uint8_t *root, char *buf,
			    size_t len)
{
	char r[64];
	int n;

	note_b64_encode(root, MERKLE_HASH_LEN, r, sizeof(r));
	n = snprintf(buf, len, "CFNPUB1\n%llu\n%s\n", (unsigned long long)size,
		     r);
	if (n < 0 || (size_t)n + 10 >= len)
		return -1;
	return n + snprintf(buf + n, len - (size_t)n, "%08x\n",
			    crc32c(0, buf, (size_t)n));
}

static int published_parse(const char *text, size_t len, struct store_trust *t)
{
	char copy[PUBLISHED_MAX];
	unsigned long long size;
	unsigned crc;
	char r[64];
	int n = 0;

	if (len >= sizeof(copy) || len < 20)
		return -1;
	memcpy(copy, text, len);
	copy[len] = '\0';
	if (sscanf(copy, "CFNPUB1\n%llu\n%63[^\n]\n%n", &size, r, &n) != 2 ||
	    n <= 0 || sscanf(copy + n, "%8x\n", &crc) != 1 ||
	    strlen(copy + n) != 9 || crc != crc32c(0, copy, (size_t)n) ||
	    note_b64_decode(r, strlen(r), t->root, MERKLE_HASH_LEN) !=
		    MERKLE_HASH_LEN)
		return -1;
	t->size = size;
	return 0;
}

int checkpoint_trust(const char *dir, struct store_trust *t, char *err,
		     size_t errlen)
{
	char path[4096], *text;
	struct checkpoint c;
	size_t len;
	int rc;

	memset(t, 0, sizeof(*t));
	snprintf(path, sizeof(path), "%s/published", dir);
	if (read_file(path, PUBLISHED_MAX, &text, &len, NULL, 0) == 0) {
		rc = published_parse(text, len, t);
		free(text);
		if (rc < 0)
			return cfn_err(
				err, errlen,
				"%s is damaged: cannot tell how much of the log was published. Repair it (doc/ledger-repair.md)",
				path);
	} else if (errno != ENOENT) {
		return cfn_err(err, errlen, "%s: %s", path, strerror(errno));
	}
	/* a directory from before DIR/published, or a newer checkpoint */
	if (checkpoint_read(dir, &text, &len, NULL, 0) == 0) {
		if (checkpoint_parse(text, len, &c, NULL, 0) == 0 &&
		    c.size > t->size) {
			t->size = c.size;
			memcpy(t->root, c.root, MERKLE_HASH_LEN);
		}
		free(text);
	}
	return 0;
}

int checkpoint_format(const struct checkpoint *c, char *buf, size_t size)
{
	char root[64];
	int n;

	note_b64_encode(c->root, MERKLE_HASH_LEN, root, sizeof(root));
	n = snprintf(buf, size, "%s\n%llu\n%s\n", c->origin,
		     (unsigned long long)c->size, root);
	return n < 0 || (size_t)n >= size ? -1 : n;
}

int checkpoint_parse(const char *text, size_t len, struct checkpoint *c,
		     char *err, size_t errlen)
{
	const char *p = text, *end = text + len, *nl;
	unsigned long long size = 0;

	memset(c, 0, sizeof(*c));
	nl = memchr(p, '\n', (size_t)(end - p));
	if (!nl || nl == p || (size_t)(nl - p) > NOTE_NAME_MAX)
		return cfn_err(err, errlen, "checkpoint: bad origin line");
	memcpy(c->origin, p, (size_t)(nl - p));
	/* same rule as key names: no NULs, controls, spaces or '+' */
	if (strlen(c->origin) != (size_t)(nl - p) ||
	    !note_name_valid(c->origin))
		return cfn_err(err, errlen, "checkpoint: bad origin line");
	p = nl + 1;
	nl = memchr(p, '\n', (size_t)(end - p));
	/* decimal, no sign, no leading zeros: one spelling per size */
	if (!nl || nl == p || (p[0] == '0' && nl - p > 1) || nl - p > 20)
		return cfn_err(err, errlen, "checkpoint: bad size line");
	for (const char *q = p; q < nl; q++) {
		if (*q < '0' || *q > '9' ||
		    size > (UINT64_MAX - (uint64_t)(*q - '0')) / 10)
			return cfn_err(err, errlen,
				       "checkpoint: bad size line");
		size = size * 10 + (uint64_t)(*q - '0');
	}
	c->size = size;
	p = nl + 1;
	nl = memchr(p, '\n', (size_t)(end - p));
	if (!nl || note_b64_decode(p, (size_t)(nl - p), c->root,
				   sizeof(c->root)) != MERKLE_HASH_LEN)
		return cfn_err(err, errlen, "checkpoint: bad root hash line");
	return 0;
}

int checkpoint_publish(struct ledger_store *s, const char *origin,
		       const struct note_key *key, char **note_out, char *err,
		       size_t errlen)
{
	struct note_key *keys[1] = {(struct note_key *)key};
	struct checkpoint c;
	char body[NOTE_NAME_MAX + 128], path[4096], pub[PUBLISHED_MAX], *note;
	int n;

	if (!note_name_valid(origin))
		return cfn_err(err, errlen, "invalid checkpoint origin '%s'",
			       origin);
	snprintf(c.origin, sizeof(c.origin), "%s", origin);
	/*
	 * Only what is durable may be committed to, and the hashes of the
	 * committed prefix must be durable too: recovery trusts them.
	 */
	if (store_sync_hashes(s, err, errlen) != STORE_OK)
		return -1;
	c.size = store_durable_size(s);
	if (c.size < store_trusted_size(s))
		return cfn_err(
			err, errlen,
			"refusing to sign %llu entries after publishing %llu",
			(unsigned long long)c.size,
			(unsigned long long)store_trusted_size(s));
	if (merkle_root(store_tree(s), c.size, c.root, err, errlen) < 0)
		return -1;
	/* first the record a damaged checkpoint file cannot erase */
	n = published_format(c.size, c.root, pub, sizeof(pub));
	snprintf(path, sizeof(path), "%s/published", store_dir(s));
	if (n < 0 ||
	    write_file_atomic(path, pub, (size_t)n, 0644, err, errlen) < 0)
		return -1;
	store_publish(s, c.size);
	n = checkpoint_format(&c, body, sizeof(body));
	if (n < 0)
		return cfn_err(err, errlen, "checkpoint body too long");
	if (note_sign(body, (size_t)n, keys, 1, &note, err, errlen) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/checkpoint", store_dir(s));
	if (write_file_atomic(path, note, strlen(note), 0644, err, errlen) <
	    0) {
		free(note);
		return -1;
	}
	if (note_out)
		*note_out = note;
	else
		free(note);
	return 0;
}

int checkpoint_store_open(const char *dir, store_key_fn key,
			  struct ledger_store **out, struct store_recovery *rec,
			  char *err, size_t errlen)
{
	struct store_trust t;

	if (checkpoint_trust(dir, &t, err, errlen) < 0)
		return -1;
	return store_open(dir, &t, key, out, rec, err, errlen);
}

int checkpoint_read(const char *dir, char **note, size_t *len, char *err,
		    size_t errlen)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/checkpoint", dir);
	return read_file(path, CHECKPOINT_FILE_MAX, note, len, err, errlen);
}

int checkpoint_open(const char *note, size_t len, const struct note_key *key,
		    struct checkpoint *c, char *err, size_t errlen)
{
	struct note_key *keys[1] = {(struct note_key *)key};
	size_t tlen;

	if (note_open(note, len, keys, 1, &tlen, NULL, err, errlen) < 0)
		return -1;
	return checkpoint_parse(note, tlen, c, err, errlen);
}
