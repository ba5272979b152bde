// SPDX-License-Identifier: GPL-2.0-or-later
/* C2SP tlog-checkpoint bodies, signing and the DIR/checkpoint file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkpoint.h"
#include "store.h"
#include "util.h"

#define CHECKPOINT_FILE_MAX 65536

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
		return lerr(err, errlen, "checkpoint: bad origin line");
	memcpy(c->origin, p, (size_t)(nl - p));
	/* same rule as key names: no NULs, controls, spaces or '+' */
	if (strlen(c->origin) != (size_t)(nl - p) ||
	    !note_name_valid(c->origin))
		return lerr(err, errlen, "checkpoint: bad origin line");
	p = nl + 1;
	nl = memchr(p, '\n', (size_t)(end - p));
	/* decimal, no sign, no leading zeros: one spelling per size */
	if (!nl || nl == p || (p[0] == '0' && nl - p > 1) || nl - p > 20)
		return lerr(err, errlen, "checkpoint: bad size line");
	for (const char *q = p; q < nl; q++) {
		if (*q < '0' || *q > '9' ||
		    size > (UINT64_MAX - (uint64_t)(*q - '0')) / 10)
			return lerr(err, errlen, "checkpoint: bad size line");
		size = size * 10 + (uint64_t)(*q - '0');
	}
	c->size = size;
	p = nl + 1;
	nl = memchr(p, '\n', (size_t)(end - p));
	if (!nl || note_b64_decode(p, (size_t)(nl - p), c->root,
				   sizeof(c->root)) != MERKLE_HASH_LEN)
		return lerr(err, errlen, "checkpoint: bad root hash line");
	return 0;
}

int checkpoint_publish(struct ledger_store *s, const char *origin,
		       const struct note_key *key, char **note_out, char *err,
		       size_t errlen)
{
	struct note_key *keys[1] = {(struct note_key *)key};
	struct checkpoint c;
	char body[NOTE_NAME_MAX + 128], path[4096], *note;
	int n;

	if (!note_name_valid(origin))
		return lerr(err, errlen, "invalid checkpoint origin '%s'",
			    origin);
	snprintf(c.origin, sizeof(c.origin), "%s", origin);
	/*
	 * Only what is durable may be committed to, and the hashes of the
	 * committed prefix must be durable too: recovery trusts them.
	 */
	if (store_sync_hashes(s, err, errlen) != STORE_OK)
		return -1;
	c.size = store_durable_size(s);
	if (merkle_root(store_tree(s), c.size, c.root, err, errlen) < 0)
		return -1;
	n = checkpoint_format(&c, body, sizeof(body));
	if (n < 0)
		return lerr(err, errlen, "checkpoint body too long");
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
