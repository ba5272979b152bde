// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NETCONF <edit-config> semantics (RFC 6241 section 7.2) on libyang trees:
 * merge, replace, create, delete and remove, per node through the
 * nc:operation attribute, with a default operation.  libyang parses and
 * validates; it has no edit-config operations of its own.
 */
#ifndef CFN_EDIT_H
#define CFN_EDIT_H

#include <stddef.h>

#include <libyang/libyang.h>
#include <nc_server.h>

struct edit_error {
	NC_ERR tag;
	char path[512];
	char msg[3072];
};

/*
 * Applies EDIT (a tree parsed with the ietf-netconf annotations) to
 * *TARGET.  DEFAULT_OP is "merge", "replace" or "none".  0, or -1 with
 * the error filled in (*TARGET is then partly edited: discard it).
 */
int edit_apply(struct lyd_node **target, const struct lyd_node *edit,
	       const char *default_op, struct edit_error *err);

/*
 * Only compute-routing is this server's: refuses (operation-not-supported)
 * an edit that touches other parts of FRR's models.
 */
int edit_check_scope(const struct lyd_node *edit, struct edit_error *err);

#endif /* CFN_EDIT_H */
