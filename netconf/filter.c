// SPDX-License-Identifier: GPL-2.0-or-later
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"

struct xpaths {
	char **v;
	size_t n;
};

static int xpaths_add(struct xpaths *x, const char *path)
{
	char **v = realloc(x->v, (x->n + 1) * sizeof(*v));

	if (!v)
		return -1;
	x->v = v;
	if (!(x->v[x->n] = strdup(path)))
		return -1;
	x->n++;
	return 0;
}

static void xpaths_free(struct xpaths *x)
{
	for (size_t i = 0; i < x->n; i++)
		free(x->v[i]);
	free(x->v);
}

/*
 * libyang gives the filter's elements as data nodes where they fit a
 * module, as opaque nodes elsewhere: name, namespace and text of either.
 */
static const char *fname(const struct lyd_node *n)
{
	return n->schema ? n->schema->name
			 : ((const struct lyd_node_opaq *)n)->name.name;
}

static const char *fns(const struct lyd_node *n)
{
	return n->schema ? n->schema->module->ns
			 : ((const struct lyd_node_opaq *)n)->name.module_ns;
}

/* Text content of a filter node, without surrounding blanks. */
static void content(const struct lyd_node *n, char *buf, size_t len)
{
	const char *v = n->schema ? ((n->schema->nodetype & LYD_NODE_TERM)
					     ? lyd_get_value(n)
					     : NULL)
				  : ((const struct lyd_node_opaq *)n)->value;
	size_t l;

	while (v && isspace((unsigned char)*v))
		v++;
	snprintf(buf, len, "%s", v ? v : "");
	for (l = strlen(buf); l && isspace((unsigned char)buf[l - 1]); l--)
		buf[l - 1] = '\0';
}

/* "module:name" when the namespace changes (libyang's JSON-style XPath),
 * else "name". */
static int step(const struct ly_ctx *ctx, const struct lyd_node *n,
		const char *parent_ns, char *buf, size_t len, char *err,
		size_t errlen)
{
	const char *ns = fns(n);
	const struct lys_module *mod;

	if (parent_ns && ns && !strcmp(ns, parent_ns)) {
		snprintf(buf, len, "%s", fname(n));
		return 0;
	}
	mod = ns ? ly_ctx_get_module_implemented_ns(ctx, ns) : NULL;
	if (!mod) {
		snprintf(
			err, errlen,
			"filter element '%s' is in namespace '%s', which no module of this server has",
			fname(n), ns ? ns : "(none)");
		return -1;
	}
	snprintf(buf, len, "%s:%s", mod->name, fname(n));
	return 0;
}

static int subtree(const struct ly_ctx *ctx, const struct lyd_node *n,
		   const char *prefix, const char *parent_ns,
		   struct xpaths *out, char *err, size_t errlen)
{
	const char *ns = fns(n);
	char path[2048], name[256], val[512];
	const struct lyd_node *c;
	bool has_more = false;

	if (step(ctx, n, parent_ns, name, sizeof(name), err, errlen))
		return -1;
	snprintf(path, sizeof(path), "%s/%s", prefix, name);
	/* content-match children become predicates */
	LY_LIST_FOR (lyd_child(n), c) {
		char cname[256];

		content(c, val, sizeof(val));
		if (lyd_child(c) || !val[0]) {
			has_more = true;
			continue;
		}
		if (step(ctx, c, ns, cname, sizeof(cname), err, errlen))
			return -1;
		size_t l = strlen(path);
		snprintf(path + l, sizeof(path) - l,
			 strchr(val, '\'') ? "[%s=\"%s\"]" : "[%s='%s']", cname,
			 val);
	}
	if (!has_more)
		return xpaths_add(out, path);
	LY_LIST_FOR (lyd_child(n), c) {
		content(c, val, sizeof(val));
		if (!lyd_child(c) && val[0])
			continue;
		if (subtree(ctx, c, path, ns, out, err, errlen))
			return -1;
	}
	return 0;
}

static int select_into(struct lyd_node *data, const char *xpath,
		       struct lyd_node **result, char *err, size_t errlen)
{
	struct ly_set *set = NULL;

	if (lyd_find_xpath(data, xpath, &set) != LY_SUCCESS) {
		const struct ly_err_item *e = ly_err_last(LYD_CTX(data));

		snprintf(err, errlen, "filter '%s': %s", xpath,
			 e ? e->msg : "invalid XPath");
		return -1;
	}
	for (uint32_t i = 0; i < set->count; i++) {
		struct lyd_node *dup = NULL;

		if (lyd_dup_single(set->dnodes[i], NULL,
				   LYD_DUP_RECURSIVE | LYD_DUP_WITH_PARENTS |
					   LYD_DUP_WITH_FLAGS,
				   &dup))
			continue;
		while (lyd_parent(dup))
			dup = lyd_parent(dup);
		lyd_merge_siblings(result, dup, LYD_MERGE_DESTRUCT);
	}
	ly_set_free(set, NULL);
	return 0;
}

int filter_apply(struct lyd_node **data, const struct lyd_node *filter,
		 char *err, size_t errlen)
{
	struct lyd_meta *type, *sel;
	struct lyd_node *result = NULL;
	struct xpaths x = {0};
	const struct lyd_node_any *any = (const struct lyd_node_any *)filter;
	int rc = 0;

	if (!filter || !*data)
		return 0;
	type = lyd_find_meta(filter->meta, NULL, "ietf-netconf:type");
	if (type && !strcmp(lyd_get_meta_value(type), "xpath")) {
		sel = lyd_find_meta(filter->meta, NULL, "ietf-netconf:select");
		if (!sel) {
			snprintf(err, errlen,
				 "an xpath filter needs a 'select' attribute");
			return -1;
		}
		rc = xpaths_add(&x, lyd_get_meta_value(sel));
	} else if (any->value_type == LYD_ANYDATA_DATATREE) {
		const struct lyd_node *n;

		LY_LIST_FOR (any->value.tree, n)
			if ((rc = subtree(LYD_CTX(filter), n, "", NULL, &x, err,
					  errlen)))
				break;
	} else if (any->value.str && any->value.str[0]) {
		snprintf(err, errlen, "unsupported subtree filter encoding");
		rc = -1;
	}
	/* An empty subtree filter selects nothing (RFC 6241 6.4.2). */
	for (size_t i = 0; !rc && i < x.n; i++)
		rc = select_into(*data, x.v[i], &result, err, errlen);
	xpaths_free(&x);
	if (rc) {
		lyd_free_all(result);
		return -1;
	}
	lyd_free_all(*data);
	*data = result;
	return 0;
}
