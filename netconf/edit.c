// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "edit.h"

static void fail(struct edit_error *err, NC_ERR tag, const struct lyd_node *n,
		 const char *msg)
{
	err->tag = tag;
	err->path[0] = '\0';
	if (n)
		lyd_path(n, LYD_PATH_STD, err->path, sizeof(err->path));
	snprintf(err->msg, sizeof(err->msg), "%s", msg);
}

static const char *node_op(const struct lyd_node *n, const char *inherited)
{
	struct lyd_meta *m =
		lyd_find_meta(n->meta, NULL, "ietf-netconf:operation");

	return m ? lyd_get_meta_value(m) : inherited;
}

/* The first sibling of the level a node is inserted into. */
static struct lyd_node *level_first(struct lyd_node *parent,
				    struct lyd_node *root)
{
	return parent ? lyd_child(parent) : root;
}

/* Puts a copy of EN into PARENT (or the top level); NULL on failure. */
static struct lyd_node *insert_copy(const struct lyd_node *en,
				    struct lyd_node *parent,
				    struct lyd_node **root, bool recursive)
{
	uint32_t flags = LYD_DUP_NO_META | (recursive ? LYD_DUP_RECURSIVE : 0);
	struct lyd_node *dup = NULL;

	if (parent) {
		if (lyd_dup_single(en, (struct lyd_node_inner *)parent, flags,
				   &dup))
			return NULL;
		return dup;
	}
	if (lyd_dup_single(en, NULL, flags, &dup))
		return NULL;
	if (lyd_insert_sibling(*root, dup, root)) {
		lyd_free_tree(dup);
		return NULL;
	}
	return dup;
}

static void free_node(struct lyd_node *n, struct lyd_node **root)
{
	if (*root == n)
		*root = n->next;
	lyd_free_tree(n);
}

static int apply_level(struct lyd_node *parent, struct lyd_node **root,
		       const struct lyd_node *edits, const char *op,
		       struct edit_error *err);

/* Descends into EN's children once EN exists in the target as MATCH. */
static int descend(const struct lyd_node *en, struct lyd_node *match,
		   struct lyd_node **root, const char *op,
		   struct edit_error *err)
{
	if (!lyd_child(en) || (en->schema->nodetype & LYD_NODE_TERM))
		return 0;
	return apply_level(match, root, lyd_child(en), op, err);
}

static int apply_node(const struct lyd_node *en, struct lyd_node *parent,
		      struct lyd_node **root, const char *inherited,
		      struct edit_error *err)
{
	const char *op = node_op(en, inherited);
	struct lyd_node *match = NULL;

	/* keys identify their list entry; they are not edited themselves */
	if (lysc_is_key(en->schema))
		return 0;
	/* A leaf or container is found by its schema node alone (searching
	 * by instance would also compare a leaf's value); a list entry by its
	 * keys. */
	if (en->schema->nodetype & (LYS_LIST | LYS_LEAFLIST))
		lyd_find_sibling_first(level_first(parent, *root), en, &match);
	else
		lyd_find_sibling_val(level_first(parent, *root), en->schema,
				     NULL, 0, &match);

	if (!strcmp(op, "delete") || !strcmp(op, "remove")) {
		if (!match && !strcmp(op, "delete")) {
			fail(err, NC_ERR_DATA_MISSING, en,
			     "nothing to delete: this node is not configured (use operation 'remove' to ignore that)");
			return -1;
		}
		if (match)
			free_node(match, root);
		return 0;
	}
	if (!strcmp(op, "create") && match) {
		fail(err, NC_ERR_DATA_EXISTS, en,
		     "already configured: use operation 'merge' or 'replace' to change it");
		return -1;
	}
	if (!strcmp(op, "replace") || !strcmp(op, "create")) {
		if (match)
			free_node(match, root);
		if (!insert_copy(en, parent, root, true)) {
			fail(err, NC_ERR_OP_FAILED, en, "cannot copy the node");
			return -1;
		}
		return 0;
	}
	if (!strcmp(op, "none")) {
		if (!match) {
			fail(err, NC_ERR_DATA_MISSING, en,
			     "this node is not configured and the operation is 'none': give it an operation (e.g. merge) or configure it first");
			return -1;
		}
		return descend(en, match, root, op, err);
	}
	/* merge */
	if (match && (en->schema->nodetype & LYD_NODE_TERM)) {
		if (lyd_change_term(match, lyd_get_value(en)) == LY_EINVAL) {
			fail(err, NC_ERR_INVALID_VALUE, en, "invalid value");
			return -1;
		}
		/* an explicit value is no longer a default */
		match->flags &= ~LYD_DEFAULT;
		return 0;
	}
	if (!match && !(match = insert_copy(en, parent, root, false))) {
		fail(err, NC_ERR_OP_FAILED, en, "cannot create the node");
		return -1;
	}
	return descend(en, match, root, op, err);
}

static int apply_level(struct lyd_node *parent, struct lyd_node **root,
		       const struct lyd_node *edits, const char *op,
		       struct edit_error *err)
{
	const struct lyd_node *en;

	LY_LIST_FOR (edits, en)
		if (apply_node(en, parent, root, op, err))
			return -1;
	return 0;
}

int edit_apply(struct lyd_node **target, const struct lyd_node *edit,
	       const char *default_op, struct edit_error *err)
{
	return apply_level(NULL, target, edit, default_op, err);
}

/*
 * The FRR nodes an edit may pass through to reach frr-cfn's: the IS-IS
 * instance, and the BGP instance down to a neighbor's ipv4-unicast.  Their
 * keys name them; anything else of FRR's is vtysh's.
 */
static const char *const scope_path[] = {
	"/frr-isisd:isis",
	"/frr-isisd:isis/instance",
	"/frr-routing:routing",
	"/frr-routing:routing/control-plane-protocols",
	"/frr-routing:routing/control-plane-protocols/control-plane-protocol",
	"/frr-routing:routing/control-plane-protocols/control-plane-protocol/frr-bgp:bgp",
	"/frr-routing:routing/control-plane-protocols/control-plane-protocol/frr-bgp:bgp/neighbors",
	"/frr-routing:routing/control-plane-protocols/control-plane-protocol/frr-bgp:bgp/neighbors/neighbor",
	"/frr-routing:routing/control-plane-protocols/control-plane-protocol/frr-bgp:bgp/neighbors/neighbor/afi-safis",
	"/frr-routing:routing/control-plane-protocols/control-plane-protocol/frr-bgp:bgp/neighbors/neighbor/afi-safis/afi-safi",
	"/frr-routing:routing/control-plane-protocols/control-plane-protocol/frr-bgp:bgp/neighbors/neighbor/afi-safis/afi-safi/ipv4-unicast",
};

static bool on_scope_path(const struct lyd_node *n)
{
	char path[512];

	if (!lysc_path(n->schema, LYSC_PATH_DATA, path, sizeof(path)))
		return false;
	for (size_t i = 0; i < sizeof(scope_path) / sizeof(scope_path[0]); i++)
		if (!strcmp(path, scope_path[i]))
			return true;
	return false;
}

/* The first node of EDITS (a level) outside the server's scope, or NULL. */
static const struct lyd_node *out_of_scope(const struct lyd_node *edits)
{
	const struct lyd_node *n, *bad;

	LY_LIST_FOR (edits, n) {
		if (!strcmp(n->schema->module->name, "frr-cfn") ||
		    lysc_is_key(n->schema))
			continue;
		if (!on_scope_path(n))
			return n;
		if ((bad = out_of_scope(lyd_child(n))))
			return bad;
	}
	return NULL;
}

int edit_check_scope(const struct lyd_node *edit, struct edit_error *err)
{
	const struct lyd_node *n = out_of_scope(edit);

	if (!n)
		return 0;
	fail(err, NC_ERR_OP_NOT_SUPPORTED, n,
	     "cfn-netconfd manages compute-routing (frr-cfn) only; configure the rest of FRR with vtysh");
	return -1;
}
