// SPDX-License-Identifier: GPL-2.0-or-later
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cfn_spf_json.h"

int cfn_spf_prefix_canon(const char *in, char *out, size_t outlen)
{
	char addr[INET6_ADDRSTRLEN + 1], *end;
	unsigned char buf[16];
	const char *slash = strchr(in, '/');
	size_t alen;
	long plen;
	int af;

	if (!slash || slash == in)
		return -1;
	alen = (size_t)(slash - in);
	if (alen >= sizeof(addr))
		return -1;
	memcpy(addr, in, alen);
	addr[alen] = '\0';
	af = strchr(addr, ':') ? AF_INET6 : AF_INET;
	if (inet_pton(af, addr, buf) != 1)
		return -1;
	if (slash[1] < '0' || slash[1] > '9')
		return -1;
	errno = 0;
	plen = strtol(slash + 1, &end, 10);
	if (errno || *end || plen < 0 || plen > (af == AF_INET ? 32 : 128))
		return -1;
	if (!inet_ntop(af, buf, addr, sizeof(addr)))
		return -1;
	if ((size_t)snprintf(out, outlen, "%s/%ld", addr, plen) >= outlen)
		return -1;
	return 0;
}

/* Prefixes a library message with the field path. */
static int wrap(struct cfn_spf_error *err, int rc, const char *path)
{
	char msg[sizeof(err->msg)];

	if (!err)
		return rc;
	snprintf(msg, sizeof(msg), "%s", err->msg);
	return cfn_spf_set_error(err, rc, "%s: %s", path, msg);
}

/* Line of a byte offset, for parse errors. */
static int line_of(const char *text, size_t off)
{
	int line = 1;

	for (size_t i = 0; i < off; i++)
		if (text[i] == '\n')
			line++;
	return line;
}

static int get_u32(json_object *o, const char *path, const char *key,
		   bool required, uint32_t *out, bool *present,
		   struct cfn_spf_error *err)
{
	json_object *v;
	int64_t x;

	if (present)
		*present = false;
	if (!json_object_object_get_ex(o, key, &v) || !v) {
		if (!required)
			return CFN_SPF_OK;
		return cfn_spf_set_error(err, CFN_SPF_EINVAL, "%s.%s: missing",
					 path, key);
	}
	if (!json_object_is_type(v, json_type_int))
		return cfn_spf_set_error(
			err, CFN_SPF_EINVAL,
			"%s.%s: must be an integer 0..4294967295", path, key);
	/* Above INT64_MAX json-c keeps a uint64: check both views. */
	x = json_object_get_int64(v);
	if (x < 0 || json_object_get_uint64(v) > UINT32_MAX)
		return cfn_spf_set_error(err, CFN_SPF_ERANGE,
					 "%s.%s: must be 0..4294967295", path,
					 key);
	*out = (uint32_t)x;
	if (present)
		*present = true;
	return CFN_SPF_OK;
}

static int get_str(json_object *o, const char *path, const char *key,
		   const char **out, struct cfn_spf_error *err)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !v)
		return cfn_spf_set_error(err, CFN_SPF_EINVAL, "%s.%s: missing",
					 path, key);
	if (!json_object_is_type(v, json_type_string) ||
	    !*json_object_get_string(v))
		return cfn_spf_set_error(err, CFN_SPF_EINVAL,
					 "%s.%s: must be a non-empty string",
					 path, key);
	*out = json_object_get_string(v);
	return CFN_SPF_OK;
}

static int get_bool(json_object *o, const char *path, const char *key,
		    bool *out, struct cfn_spf_error *err)
{
	json_object *v;

	*out = false;
	if (!json_object_object_get_ex(o, key, &v) || !v)
		return CFN_SPF_OK;
	if (!json_object_is_type(v, json_type_boolean))
		return cfn_spf_set_error(err, CFN_SPF_EINVAL,
					 "%s.%s: must be true or false", path,
					 key);
	*out = json_object_get_boolean(v);
	return CFN_SPF_OK;
}

static json_object *get_array(json_object *root, const char *key, bool *bad)
{
	json_object *v;

	*bad = false;
	if (!json_object_object_get_ex(root, key, &v) || !v)
		return NULL;
	if (!json_object_is_type(v, json_type_array)) {
		*bad = true;
		return NULL;
	}
	return v;
}

static int find_ref(struct cfn_spf *c, const char *path, const char *key,
		    const char *id, uint32_t *out, struct cfn_spf_error *err)
{
	int r = cfn_spf_find_router(c, id);

	if (r < 0)
		return cfn_spf_set_error(err, CFN_SPF_ENOENT,
					 "%s.%s: unknown router \"%s\"", path,
					 key, id);
	*out = (uint32_t)r;
	return CFN_SPF_OK;
}

static int load_routers(struct cfn_spf *c, json_object *arr,
			struct cfn_spf_error *err)
{
	size_t n = json_object_array_length(arr);
	char path[64];
	int rc;

	for (size_t i = 0; i < n; i++) {
		json_object *o = json_object_array_get_idx(arr, i);
		const char *id;
		bool ol, pn;

		snprintf(path, sizeof(path), "routers[%zu]", i);
		if (!json_object_is_type(o, json_type_object))
			return cfn_spf_set_error(err, CFN_SPF_EINVAL,
						 "%s: must be an object", path);
		if ((rc = get_str(o, path, "id", &id, err)) ||
		    (rc = get_bool(o, path, "overload", &ol, err)) ||
		    (rc = get_bool(o, path, "pseudonode", &pn, err)))
			return rc;
		if (cfn_spf_find_router(c, id) >= 0)
			return cfn_spf_set_error(err, CFN_SPF_EEXIST,
						 "%s.id: duplicate \"%s\"",
						 path, id);
		rc = cfn_spf_add_router(
			c, id,
			(ol ? CFN_SPF_ROUTER_OVERLOAD : 0) |
				(pn ? CFN_SPF_ROUTER_PSEUDO : 0),
			err);
		if (rc < 0)
			return wrap(err, rc, path);
	}
	return CFN_SPF_OK;
}

static int load_links(struct cfn_spf *c, json_object *arr,
		      struct cfn_spf_error *err)
{
	size_t n = json_object_array_length(arr);
	char path[64];
	int rc;

	for (size_t i = 0; i < n; i++) {
		json_object *o = json_object_array_get_idx(arr, i);
		const char *a, *b;
		uint32_t ra = 0, rb = 0, m = 0, mba = 0;
		bool has_ba;

		snprintf(path, sizeof(path), "links[%zu]", i);
		if (!json_object_is_type(o, json_type_object))
			return cfn_spf_set_error(err, CFN_SPF_EINVAL,
						 "%s: must be an object", path);
		if ((rc = get_str(o, path, "a", &a, err)) ||
		    (rc = get_str(o, path, "b", &b, err)) ||
		    (rc = find_ref(c, path, "a", a, &ra, err)) ||
		    (rc = find_ref(c, path, "b", b, &rb, err)) ||
		    (rc = get_u32(o, path, "metric", true, &m, NULL, err)) ||
		    (rc = get_u32(o, path, "metric_ba", false, &mba, &has_ba,
				  err)))
			return rc;
		if (ra == rb)
			return cfn_spf_set_error(
				err, CFN_SPF_EINVAL,
				"%s.b: same router as a (\"%s\")", path, b);
		if (!has_ba)
			mba = m;
		if ((rc = cfn_spf_add_link(c, ra, rb, m, err)) ||
		    (rc = cfn_spf_add_link(c, rb, ra, mba, err)))
			return wrap(err, rc, path);
	}
	return CFN_SPF_OK;
}

static int load_services(struct cfn_spf *c, json_object *arr,
			 struct cfn_spf_error *err)
{
	size_t n = json_object_array_length(arr);
	char path[64], canon[INET6_ADDRSTRLEN + 8];
	int rc;

	for (size_t i = 0; i < n; i++) {
		json_object *o = json_object_array_get_idx(arr, i);
		const char *prefix, *rid;
		uint32_t r = 0, m = 0;
		int s;

		snprintf(path, sizeof(path), "services[%zu]", i);
		if (!json_object_is_type(o, json_type_object))
			return cfn_spf_set_error(err, CFN_SPF_EINVAL,
						 "%s: must be an object", path);
		if ((rc = get_str(o, path, "prefix", &prefix, err)))
			return rc;
		if (cfn_spf_prefix_canon(prefix, canon, sizeof(canon)))
			return cfn_spf_set_error(err, CFN_SPF_EINVAL,
						 "%s.prefix: malformed \"%s\"",
						 path, prefix);
		if ((rc = get_str(o, path, "router", &rid, err)) ||
		    (rc = find_ref(c, path, "router", rid, &r, err)) ||
		    (rc = get_u32(o, path, "metric", true, &m, NULL, err)))
			return rc;
		s = cfn_spf_find_service(c, canon);
		if (s < 0) {
			s = cfn_spf_add_service(c, canon, err);
			if (s < 0)
				return wrap(err, s, path);
		}
		rc = cfn_spf_add_site(c, (uint32_t)s, r, m, err);
		if (rc == CFN_SPF_EEXIST)
			return cfn_spf_set_error(
				err, rc, "%s.router: \"%s\" already hosts %s",
				path, rid, canon);
		if (rc)
			return wrap(err, rc, path);
	}
	return CFN_SPF_OK;
}

int cfn_spf_load_json(struct cfn_spf *c, const char *text, size_t len,
		      struct cfn_spf_error *err)
{
	struct json_tokener *tok = json_tokener_new();
	json_object *root, *arr;
	enum json_tokener_error jerr;
	bool bad;
	int rc = CFN_SPF_OK;

	if (!tok)
		return cfn_spf_set_error(err, CFN_SPF_ENOMEM, "out of memory");
	if (len > INT32_MAX) {
		json_tokener_free(tok);
		return cfn_spf_set_error(err, CFN_SPF_ERANGE,
					 "input too large");
	}
	root = json_tokener_parse_ex(tok, text, (int)len);
	jerr = json_tokener_get_error(tok);
	if (!root || jerr != json_tokener_success) {
		size_t off = json_tokener_get_parse_end(tok);

		rc = cfn_spf_set_error(err, CFN_SPF_EINVAL,
				       "line %d: invalid JSON: %s",
				       line_of(text, off),
				       jerr == json_tokener_continue
					       ? "unexpected end of input"
					       : json_tokener_error_desc(jerr));
		json_object_put(root);
		json_tokener_free(tok);
		return rc;
	}
	json_tokener_free(tok);
	if (!json_object_is_type(root, json_type_object)) {
		json_object_put(root);
		return cfn_spf_set_error(err, CFN_SPF_EINVAL,
					 "top level: must be an object");
	}

	arr = get_array(root, "routers", &bad);
	if (bad || !arr)
		rc = cfn_spf_set_error(err, CFN_SPF_EINVAL, "routers: %s",
				       bad ? "must be an array" : "missing");
	if (!rc)
		rc = load_routers(c, arr, err);
	if (!rc) {
		arr = get_array(root, "links", &bad);
		if (bad)
			rc = cfn_spf_set_error(err, CFN_SPF_EINVAL,
					       "links: must be an array");
		else if (arr)
			rc = load_links(c, arr, err);
	}
	if (!rc) {
		arr = get_array(root, "services", &bad);
		if (bad)
			rc = cfn_spf_set_error(err, CFN_SPF_EINVAL,
					       "services: must be an array");
		else if (arr)
			rc = load_services(c, arr, err);
	}
	json_object_put(root);
	if (!rc && err) {
		err->code = CFN_SPF_OK;
		err->msg[0] = '\0';
	}
	return rc;
}
