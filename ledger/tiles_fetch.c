// SPDX-License-Identifier: GPL-2.0-or-later
/* Reading a tlog-tiles log over HTTP with libcurl (tiles_fetch.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <curl/curl.h>

#include "merkle.h"
#include "tiles.h"
#include "tiles_fetch.h"
#include "util.h"

#define RESOURCE_MAX (64u << 20)

struct body {
	uint8_t *p;
	size_t len;
};

struct tiles_remote {
	CURL *curl;
	char *url; /* prefix without trailing slash */
	char *cache;
	struct body checkpoint;
	/* the bundle in hand: entries [first, first + n) */
	uint64_t first;
	unsigned n;
	uint8_t *bundle;
	size_t off[TILE_WIDTH + 1]; /* entry k at bundle + off[k] + 2 */
	uint64_t fetched, cached;
};

static size_t on_data(char *p, size_t sz, size_t n, void *arg)
{
	struct body *b = arg;
	size_t add = sz * n;
	uint8_t *q;

	if (b->len + add > RESOURCE_MAX)
		return 0;
	q = realloc(b->p, b->len + add + 1);
	if (!q)
		return 0;
	memcpy(q + b->len, p, add);
	b->p = q;
	b->len += add;
	b->p[b->len] = 0;
	return add;
}

static int http_get(struct tiles_remote *r, const char *path, struct body *b,
		    char *err, size_t errlen)
{
	char url[4096];
	CURLcode rc;
	long status = 0;

	snprintf(url, sizeof(url), "%s/%s", r->url, path);
	memset(b, 0, sizeof(*b));
	curl_easy_setopt(r->curl, CURLOPT_URL, url);
	curl_easy_setopt(r->curl, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(r->curl, CURLOPT_WRITEDATA, b);
	rc = curl_easy_perform(r->curl);
	curl_easy_getinfo(r->curl, CURLINFO_RESPONSE_CODE, &status);
	if (rc != CURLE_OK || status != 200) {
		free(b->p);
		b->p = NULL;
		return cfn_err(err, errlen, "GET %s: %s", url,
			       rc != CURLE_OK ? curl_easy_strerror(rc)
					      : "HTTP error status");
	}
	r->fetched++;
	return 0;
}

static int mkdirs(char *path)
{
	for (char *s = strchr(path + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST) {
			*s = '/';
			return -1;
		}
		*s = '/';
	}
	return 0;
}

/* An immutable resource: from the cache, else fetched and cached. */
static int get_tile(struct tiles_remote *r, const struct tile *t,
		    struct body *b, char *err, size_t errlen)
{
	char path[256], file[4096];
	char *data;
	size_t len;

	tile_path(t, path, sizeof(path));
	snprintf(file, sizeof(file), "%s/%s", r->cache, path);
	if (r->cache &&
	    read_file(file, RESOURCE_MAX, &data, &len, NULL, 0) == 0) {
		b->p = (uint8_t *)data;
		b->len = len;
		r->cached++;
		return 0;
	}
	if (http_get(r, path, b, err, errlen) < 0)
		return -1;
	/* best effort: an unwritable cache only costs refetching */
	if (r->cache && mkdirs(file) == 0)
		write_file_atomic(file, b->p, b->len, 0644, NULL, 0);
	return 0;
}

int tiles_remote_open(const char *url, const char *cache_dir,
		      struct tiles_remote **out, char *err, size_t errlen)
{
	struct tiles_remote *r = calloc(1, sizeof(*r));
	size_t n;

	if (!r)
		return cfn_err(err, errlen, "out of memory");
	curl_global_init(CURL_GLOBAL_DEFAULT);
	r->curl = curl_easy_init();
	r->url = strdup(url);
	r->cache = cache_dir ? strdup(cache_dir) : NULL;
	if (!r->curl || !r->url || (cache_dir && !r->cache)) {
		tiles_remote_close(r);
		return cfn_err(err, errlen, "out of memory");
	}
	n = strlen(r->url);
	while (n && r->url[n - 1] == '/')
		r->url[--n] = '\0';
	/* the spec asks clients to accept gzip and identity */
	curl_easy_setopt(r->curl, CURLOPT_ACCEPT_ENCODING, "gzip, identity");
	curl_easy_setopt(r->curl, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(r->curl, CURLOPT_NOSIGNAL, 1L);
	if (http_get(r, "checkpoint", &r->checkpoint, err, errlen) < 0) {
		tiles_remote_close(r);
		return -1;
	}
	*out = r;
	return 0;
}

void tiles_remote_close(struct tiles_remote *r)
{
	if (!r)
		return;
	if (r->curl)
		curl_easy_cleanup(r->curl);
	free(r->url);
	free(r->cache);
	free(r->checkpoint.p);
	free(r->bundle);
	free(r);
}

const char *tiles_remote_checkpoint(const struct tiles_remote *r, size_t *len)
{
	*len = r->checkpoint.len;
	return (const char *)r->checkpoint.p;
}

struct split {
	struct tiles_remote *r;
	const uint8_t *hashes;
	unsigned k;
	const uint8_t *base;
};

static int one_entry(void *arg, const uint8_t *e, size_t len)
{
	struct split *s = arg;
	uint8_t h[MERKLE_HASH_LEN];

	merkle_leaf_hash(e, len, h);
	if (memcmp(h, s->hashes + (size_t)s->k * MERKLE_HASH_LEN,
		   MERKLE_HASH_LEN))
		return -1;
	s->r->off[s->k++] = (size_t)(e - s->base) - 2;
	return 0;
}

static int load_bundle(struct tiles_remote *r, uint64_t n, uint64_t size,
		       char *err, size_t errlen)
{
	struct tile t = {.entries = true, .n = n};
	struct body b = {0}, h = {0};
	struct split s = {.r = r};
	char e[256];

	t.width = tile_width_at(0, n, size);
	if (!t.width)
		return cfn_err(err, errlen, "no bundle %llu for size %llu",
			       (unsigned long long)n, (unsigned long long)size);
	if (get_tile(r, &t, &b, err, errlen) < 0)
		return -1;
	t.entries = false; /* the level-0 hash tile of the same entries */
	if (get_tile(r, &t, &h, err, errlen) < 0) {
		free(b.p);
		return -1;
	}
	s.hashes = h.p;
	s.base = b.p;
	if (h.len != (size_t)t.width * MERKLE_HASH_LEN ||
	    tile_bundle_each(b.p, b.len, t.width, one_entry, &s, e, sizeof(e)) <
		    0) {
		free(b.p);
		free(h.p);
		return cfn_err(err, errlen,
			       "bundle %llu does not match its level-0 tile",
			       (unsigned long long)n);
	}
	free(h.p);
	free(r->bundle);
	r->bundle = b.p;
	r->first = n * TILE_WIDTH;
	r->n = t.width;
	return 0;
}

int tiles_remote_entry(struct tiles_remote *r, uint64_t i, uint64_t size,
		       const uint8_t **data, size_t *len, char *err,
		       size_t errlen)
{
	size_t o;

	if (i >= size)
		return cfn_err(err, errlen, "entry %llu beyond size %llu",
			       (unsigned long long)i, (unsigned long long)size);
	if (!r->bundle || i < r->first || i >= r->first + r->n) {
		if (load_bundle(r, i / TILE_WIDTH, size, err, errlen) < 0)
			return -1;
	}
	o = r->off[i - r->first];
	*len = (size_t)r->bundle[o] << 8 | r->bundle[o + 1];
	*data = r->bundle + o + 2;
	return 0;
}

void tiles_remote_stats(const struct tiles_remote *r, uint64_t *fetched,
			uint64_t *cached)
{
	*fetched = r->fetched;
	*cached = r->cached;
}
