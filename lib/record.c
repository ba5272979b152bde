// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Canonical decision records.  Every field has one encoding, so the leaf
 * hash of a decision is a function of the decision alone: the decoder
 * accepts exactly the byte strings the encoder produces.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "record.h"
#include "bytes.h"
#include "errfmt.h"

static const uint8_t magic[4] = {'C', 'F', 'N', 'R'};
#define FLAG_SIGNED 0x01
#define TIME_MAX 253402300799LL /* 9999-12-31T23:59:59Z */

bool record_name_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > RECORD_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '-' ||
		      c == '_' || c == ':'))
			return false;
	}
	return true;
}

static bool host_bits_zero(uint8_t family, uint8_t plen, const uint8_t *addr)
{
	unsigned bytes = family == 4 ? 4 : 16;

	for (unsigned i = 0; i < bytes; i++) {
		unsigned first = i * 8;
		uint8_t mask;

		if (first + 8 <= plen)
			continue;
		mask = first >= plen ? 0xff : (uint8_t)(0xff >> (plen - first));
		if (addr[i] & mask)
			return false;
	}
	return true;
}

struct wbuf {
	uint8_t *p;
	size_t len, size;
	bool over;
};

static void put(struct wbuf *w, const void *d, size_t n)
{
	if (w->len + n > w->size) {
		w->over = true;
		return;
	}
	memcpy(w->p + w->len, d, n);
	w->len += n;
}

static void put8(struct wbuf *w, uint8_t v)
{
	put(w, &v, 1);
}

static void put32(struct wbuf *w, uint32_t v)
{
	uint8_t b[4];

	put_be32(b, v);
	put(w, b, 4);
}

static void put64(struct wbuf *w, uint64_t v)
{
	uint8_t b[8];

	put_be64(b, v);
	put(w, b, 8);
}

static void put_name(struct wbuf *w, const char *s)
{
	size_t n = strlen(s);

	put8(w, (uint8_t)n);
	put(w, s, n);
}

static int check(const struct record *r, char *err, size_t errlen)
{
	if (!record_name_valid(r->origin))
		return cfn_err(err, errlen, "invalid origin name");
	if (r->time_s < 0 || r->time_s > TIME_MAX || r->time_ns > 999999999)
		return cfn_err(err, errlen, "time out of range");
	if (r->family != 4 && r->family != 6)
		return cfn_err(err, errlen,
			       "service address family must be 4 or 6");
	if (r->plen > (r->family == 4 ? 32 : 128))
		return cfn_err(err, errlen, "service prefix length too long");
	if (!host_bits_zero(r->family, r->plen, r->addr))
		return cfn_err(err, errlen, "service prefix has host bits set");
	if (r->nsites > RECORD_SITES_MAX)
		return cfn_err(err, errlen, "too many sites");
	for (unsigned i = 0; i < r->nsites; i++)
		if (!record_name_valid(r->sites[i]))
			return cfn_err(err, errlen, "invalid site name");
	if (r->npath > RECORD_PATH_MAX)
		return cfn_err(err, errlen, "path too long");
	for (unsigned i = 0; i < r->npath; i++)
		if (!record_name_valid(r->path[i]))
			return cfn_err(err, errlen, "invalid path node name");
	return 0;
}

/* Encoding up to (not including) the signature; returns length or -1. */
static int encode_signed_part(const struct record *r, uint8_t *buf, size_t size,
			      char *err, size_t errlen)
{
	struct wbuf w = {buf, 0, size, false};

	if (check(r, err, errlen) < 0)
		return -1;
	put(&w, magic, 4);
	put8(&w, RECORD_VERSION);
	put8(&w, r->signed_ ? FLAG_SIGNED : 0);
	put_name(&w, r->origin);
	put64(&w, r->seq);
	put64(&w, (uint64_t)r->time_s);
	put32(&w, r->time_ns);
	put8(&w, r->family);
	put8(&w, r->plen);
	put(&w, r->addr, r->family == 4 ? 4 : 16);
	put8(&w, r->nsites);
	for (unsigned i = 0; i < r->nsites; i++)
		put_name(&w, r->sites[i]);
	put32(&w, r->cost);
	put32(&w, r->net_dist);
	put32(&w, r->compute);
	put8(&w, r->npath);
	for (unsigned i = 0; i < r->npath; i++)
		put_name(&w, r->path[i]);
	if (r->signed_)
		put32(&w, r->signer);
	if (w.over)
		return cfn_err(err, errlen, "record buffer too small");
	return (int)w.len;
}

int record_encode(const struct record *r, uint8_t *buf, size_t size, char *err,
		  size_t errlen)
{
	int n = encode_signed_part(r, buf, size, err, errlen);

	if (n < 0 || !r->signed_)
		return n;
	if ((size_t)n + NOTE_ED25519_SIG > size)
		return cfn_err(err, errlen, "record buffer too small");
	memcpy(buf + n, r->sig, NOTE_ED25519_SIG);
	return n + NOTE_ED25519_SIG;
}

void record_read_name(struct cfn_reader *r, char out[RECORD_NAME_MAX + 1],
		      const char *what)
{
	uint8_t n = cfn_rd_u8(r, what);
	const uint8_t *p;

	out[0] = '\0';
	if (!r->bad && (n == 0 || n > RECORD_NAME_MAX)) {
		r->bad = what;
		return;
	}
	p = cfn_rd_take(r, n, what);
	if (!p)
		return;
	memcpy(out, p, n);
	out[n] = '\0';
	/* embedded NULs or odd bytes would make two encodings equal */
	if (!record_name_valid(out) || strlen(out) != n)
		r->bad = what;
}

int record_decode(const uint8_t *buf, size_t len, struct record *rec, char *err,
		  size_t errlen)
{
	struct cfn_reader r = {buf, len, 0, NULL};
	const uint8_t *p;
	uint8_t flags;

	memset(rec, 0, sizeof(*rec));
	p = cfn_rd_take(&r, 4, "magic");
	if (p && memcmp(p, magic, 4) != 0)
		return cfn_err(err, errlen, "record: bad magic");
	if (cfn_rd_u8(&r, "version") != RECORD_VERSION && !r.bad)
		return cfn_err(err, errlen, "record: unsupported version");
	flags = cfn_rd_u8(&r, "flags");
	if (!r.bad && (flags & ~FLAG_SIGNED))
		return cfn_err(err, errlen, "record: unknown flags 0x%02x",
			       flags);
	rec->signed_ = flags & FLAG_SIGNED;
	record_read_name(&r, rec->origin, "origin");
	rec->seq = cfn_rd_u64(&r, "seq");
	rec->time_s = (int64_t)cfn_rd_u64(&r, "time");
	rec->time_ns = cfn_rd_u32(&r, "time");
	rec->family = cfn_rd_u8(&r, "service");
	rec->plen = cfn_rd_u8(&r, "service");
	if (!r.bad && rec->family != 4 && rec->family != 6)
		r.bad = "service family";
	p = cfn_rd_take(&r, rec->family == 4 ? 4 : 16, "service address");
	if (p)
		memcpy(rec->addr, p, rec->family == 4 ? 4 : 16);
	rec->nsites = cfn_rd_u8(&r, "sites");
	if (!r.bad && rec->nsites > RECORD_SITES_MAX)
		r.bad = "site count";
	for (unsigned i = 0; !r.bad && i < rec->nsites; i++)
		record_read_name(&r, rec->sites[i], "site");
	rec->cost = cfn_rd_u32(&r, "cost");
	rec->net_dist = cfn_rd_u32(&r, "net_dist");
	rec->compute = cfn_rd_u32(&r, "compute");
	rec->npath = cfn_rd_u8(&r, "path");
	if (!r.bad && rec->npath > RECORD_PATH_MAX)
		r.bad = "path length";
	for (unsigned i = 0; !r.bad && i < rec->npath; i++)
		record_read_name(&r, rec->path[i], "path node");
	if (rec->signed_) {
		rec->signer = cfn_rd_u32(&r, "signer");
		p = cfn_rd_take(&r, NOTE_ED25519_SIG, "signature");
		if (p)
			memcpy(rec->sig, p, NOTE_ED25519_SIG);
	}
	if (r.bad)
		return cfn_err(err, errlen, "record: truncated or invalid %s",
			       r.bad);
	if (r.off != len)
		return cfn_err(err, errlen, "record: %zu trailing bytes",
			       len - r.off);
	return check(rec, err, errlen);
}

int record_peek_key(const uint8_t *buf, size_t len, char origin[64],
		    uint64_t *seq)
{
	struct cfn_reader r = {buf, len, 0, NULL};
	const uint8_t *p = cfn_rd_take(&r, 4, "magic");

	/* Token records (CFNT, ledger/token_record.h) share this header
	 * shape: (account id, nonce) is their (origin, seq). */
	if (!p || (memcmp(p, magic, 4) != 0 && memcmp(p, "CFNT", 4) != 0) ||
	    cfn_rd_u8(&r, "v") != RECORD_VERSION)
		return -1;
	cfn_rd_u8(&r, "flags");
	record_read_name(&r, origin, "origin");
	*seq = cfn_rd_u64(&r, "seq");
	return r.bad ? -1 : 0;
}

int record_sign(struct record *r, const struct note_key *key, char *err,
		size_t errlen)
{
	uint8_t buf[RECORD_MAX_LEN];
	int n;

	r->signed_ = true;
	r->signer = key->id;
	n = encode_signed_part(r, buf, sizeof(buf), err, errlen);
	if (n < 0)
		return -1;
	return note_ed25519_sign(key, buf, (size_t)n, r->sig, err, errlen);
}

int record_verify(const struct record *r, struct note_key *const *keys,
		  size_t nkeys, char *err, size_t errlen)
{
	uint8_t buf[RECORD_MAX_LEN];
	int n;

	if (!r->signed_)
		return cfn_err(err, errlen, "record %s/%llu is not signed",
			       r->origin, (unsigned long long)r->seq);
	for (size_t i = 0; i < nkeys; i++) {
		if (keys[i]->id != r->signer)
			continue;
		/* A router may only sign its own decisions. */
		if (strcmp(keys[i]->name, r->origin) != 0)
			return cfn_err(err, errlen,
				       "record origin %s signed by key of %s",
				       r->origin, keys[i]->name);
		n = encode_signed_part(r, buf, sizeof(buf), err, errlen);
		if (n < 0)
			return -1;
		if (!note_ed25519_verify(keys[i], buf, (size_t)n, r->sig))
			return cfn_err(err, errlen,
				       "bad signature on record %s/%llu",
				       r->origin, (unsigned long long)r->seq);
		return 0;
	}
	return cfn_err(err, errlen, "record %s/%llu: unknown signer key %08x",
		       r->origin, (unsigned long long)r->seq, r->signer);
}

/* ---- JSON ---- */

static int parse_time(const char *s, struct record *r)
{
	struct tm tm = {0};
	int y, mo, d, h, mi, sec, n = 0;
	uint32_t ns = 0;
	const char *p;
	time_t t;

	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec,
		   &n) != 6 ||
	    n != 19)
		return -1;
	p = s + n;
	if (*p == '.') {
		int digits = 0;

		for (p++; *p >= '0' && *p <= '9'; p++, digits++) {
			if (digits >= 9)
				return -1;
			ns = ns * 10 + (uint32_t)(*p - '0');
		}
		if (digits == 0)
			return -1;
		for (; digits < 9; digits++)
			ns *= 10;
	}
	if (strcmp(p, "Z") != 0)
		return -1;
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
	    mi > 59 || sec > 59)
		return -1;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	t = timegm(&tm);
	/* timegm normalises Feb 30 into March: refuse such dates. */
	if (tm.tm_mday != d || tm.tm_mon != mo - 1)
		return -1;
	r->time_s = t;
	r->time_ns = ns;
	return 0;
}

static void format_time(const struct record *r, char *buf, size_t size)
{
	time_t t = (time_t)r->time_s;
	struct tm tm;
	size_t n;

	gmtime_r(&t, &tm);
	n = strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm);
	if (r->time_ns)
		n += (size_t)snprintf(buf + n, size - n, ".%09u", r->time_ns);
	snprintf(buf + n, size - n, "Z");
}

static int parse_service(const char *s, struct record *r)
{
	char addr[64];
	const char *slash = strchr(s, '/');
	char *end;
	long plen;

	if (!slash || (size_t)(slash - s) >= sizeof(addr))
		return -1;
	memcpy(addr, s, (size_t)(slash - s));
	addr[slash - s] = '\0';
	if (slash[1] < '0' || slash[1] > '9')
		return -1;
	plen = strtol(slash + 1, &end, 10);
	if (*end || (slash[1] == '0' && slash[2]))
		return -1;
	if (inet_pton(AF_INET, addr, r->addr) == 1) {
		r->family = 4;
		if (plen > 32)
			return -1;
	} else if (inet_pton(AF_INET6, addr, r->addr) == 1) {
		r->family = 6;
		if (plen > 128)
			return -1;
	} else {
		return -1;
	}
	r->plen = (uint8_t)plen;
	return 0;
}

static int get_names(struct json_object *arr, char (*out)[RECORD_NAME_MAX + 1],
		     unsigned max, uint8_t *count)
{
	size_t n;

	if (!json_object_is_type(arr, json_type_array))
		return -1;
	n = json_object_array_length(arr);
	if (n > max)
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(arr, i);
		const char *s;

		if (!json_object_is_type(e, json_type_string))
			return -1;
		s = json_object_get_string(e);
		if (!record_name_valid(s))
			return -1;
		snprintf(out[i], RECORD_NAME_MAX + 1, "%s", s);
	}
	*count = (uint8_t)n;
	return 0;
}

static int get_u64(struct json_object *v, uint64_t max, uint64_t *out)
{
	if (!json_object_is_type(v, json_type_int))
		return -1;
	/* json-c keeps the sign: negative values read as int64 < 0 */
	if (json_object_get_int64(v) < 0)
		return -1;
	*out = json_object_get_uint64(v);
	return *out > max ? -1 : 0;
}

int record_from_json_obj(struct json_object *obj, struct record *r, char *err,
			 size_t errlen)
{
	bool seen_origin = false, seen_seq = false, seen_time = false,
	     seen_service = false, seen_signer = false, seen_sig = false;
	uint64_t v;

	memset(r, 0, sizeof(*r));
	if (!json_object_is_type(obj, json_type_object))
		return cfn_err(err, errlen, "record JSON must be an object");
	json_object_object_foreach(obj, key, val)
	{
		const char *s = json_object_is_type(val, json_type_string)
					? json_object_get_string(val)
					: NULL;

		if (!strcmp(key, "origin")) {
			if (!s || !record_name_valid(s))
				return cfn_err(err, errlen, "bad \"origin\"");
			snprintf(r->origin, sizeof(r->origin), "%s", s);
			seen_origin = true;
		} else if (!strcmp(key, "seq")) {
			if (get_u64(val, UINT64_MAX, &r->seq) < 0)
				return cfn_err(err, errlen, "bad \"seq\"");
			seen_seq = true;
		} else if (!strcmp(key, "time")) {
			if (!s || parse_time(s, r) < 0)
				return cfn_err(
					err, errlen,
					"bad \"time\" (want RFC 3339 UTC, e.g. 2026-11-24T12:00:00Z)");
			seen_time = true;
		} else if (!strcmp(key, "service")) {
			if (!s || parse_service(s, r) < 0)
				return cfn_err(
					err, errlen,
					"bad \"service\" (want ADDR/LEN)");
			seen_service = true;
		} else if (!strcmp(key, "sites")) {
			if (get_names(val, r->sites, RECORD_SITES_MAX,
				      &r->nsites) < 0)
				return cfn_err(err, errlen, "bad \"sites\"");
		} else if (!strcmp(key, "path")) {
			if (get_names(val, r->path, RECORD_PATH_MAX,
				      &r->npath) < 0)
				return cfn_err(err, errlen, "bad \"path\"");
		} else if (!strcmp(key, "cost")) {
			if (get_u64(val, UINT32_MAX, &v) < 0)
				return cfn_err(err, errlen, "bad \"cost\"");
			r->cost = (uint32_t)v;
		} else if (!strcmp(key, "net_dist")) {
			if (get_u64(val, UINT32_MAX, &v) < 0)
				return cfn_err(err, errlen, "bad \"net_dist\"");
			r->net_dist = (uint32_t)v;
		} else if (!strcmp(key, "compute")) {
			if (get_u64(val, UINT32_MAX, &v) < 0)
				return cfn_err(err, errlen, "bad \"compute\"");
			r->compute = (uint32_t)v;
		} else if (!strcmp(key, "signer")) {
			char *end;

			if (!s || strlen(s) != 8 ||
			    strspn(s, "0123456789abcdef") != 8)
				return cfn_err(err, errlen, "bad \"signer\"");
			r->signer = (uint32_t)strtoul(s, &end, 16);
			if (*end)
				return cfn_err(err, errlen, "bad \"signer\"");
			seen_signer = true;
		} else if (!strcmp(key, "sig")) {
			if (!s ||
			    note_b64_decode(s, strlen(s), r->sig,
					    sizeof(r->sig)) != NOTE_ED25519_SIG)
				return cfn_err(err, errlen, "bad \"sig\"");
			seen_sig = true;
		} else {
			return cfn_err(err, errlen,
				       "unknown record field \"%s\"", key);
		}
	}
	if (!seen_origin || !seen_seq || !seen_time || !seen_service)
		return cfn_err(
			err, errlen,
			"record needs \"origin\", \"seq\", \"time\" and \"service\"");
	if (seen_signer != seen_sig)
		return cfn_err(err, errlen,
			       "\"signer\" and \"sig\" go together");
	r->signed_ = seen_sig;
	return check(r, err, errlen);
}

int record_from_json(const char *json, struct record *r, char *err,
		     size_t errlen)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *obj;
	int rc;

	if (!tok)
		return cfn_err(err, errlen, "out of memory");
	obj = json_tokener_parse_ex(tok, json, (int)strlen(json));
	if (!obj || json_tokener_get_error(tok) != json_tokener_success ||
	    json[json_tokener_get_parse_end(tok) +
		 strspn(json + json_tokener_get_parse_end(tok), " \t\r\n")]) {
		json_object_put(obj);
		json_tokener_free(tok);
		return cfn_err(err, errlen, "record: invalid JSON");
	}
	json_tokener_free(tok);
	rc = record_from_json_obj(obj, r, err, errlen);
	json_object_put(obj);
	return rc;
}

static struct json_object *names(const char (*n)[RECORD_NAME_MAX + 1],
				 unsigned count)
{
	struct json_object *a = json_object_new_array();

	for (unsigned i = 0; a && i < count; i++)
		json_object_array_add(a, json_object_new_string(n[i]));
	return a;
}

struct json_object *record_to_json_obj(const struct record *r)
{
	struct json_object *o = json_object_new_object();
	char buf[INET6_ADDRSTRLEN + 8], t[64], sig[128];
	size_t n;

	if (!o)
		return NULL;
	json_object_object_add(o, "origin", json_object_new_string(r->origin));
	json_object_object_add(o, "seq", json_object_new_uint64(r->seq));
	format_time(r, t, sizeof(t));
	json_object_object_add(o, "time", json_object_new_string(t));
	inet_ntop(r->family == 4 ? AF_INET : AF_INET6, r->addr, buf,
		  sizeof(buf));
	n = strlen(buf);
	snprintf(buf + n, sizeof(buf) - n, "/%u", r->plen);
	json_object_object_add(o, "service", json_object_new_string(buf));
	json_object_object_add(o, "sites", names(r->sites, r->nsites));
	json_object_object_add(o, "cost", json_object_new_int64(r->cost));
	json_object_object_add(o, "net_dist",
			       json_object_new_int64(r->net_dist));
	json_object_object_add(o, "compute", json_object_new_int64(r->compute));
	json_object_object_add(o, "path", names(r->path, r->npath));
	if (r->signed_) {
		snprintf(buf, sizeof(buf), "%08x", r->signer);
		json_object_object_add(o, "signer",
				       json_object_new_string(buf));
		note_b64_encode(r->sig, NOTE_ED25519_SIG, sig, sizeof(sig));
		json_object_object_add(o, "sig", json_object_new_string(sig));
	}
	return o;
}

char *record_to_json(const struct record *r)
{
	struct json_object *o = record_to_json_obj(r);
	char *s;

	if (!o)
		return NULL;
	s = strdup(json_object_to_json_string_ext(
		o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return s;
}
