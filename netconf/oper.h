// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Operational state for <get>: the module's "show isis compute ... json"
 * output, read from isisd's vty socket, as frr-cfn state nodes.
 */
#ifndef CFN_OPER_H
#define CFN_OPER_H

#include <stddef.h>

#include <libyang/libyang.h>

/* Adds compute-routing/state under every instance of TREE that has
 * compute-routing.  0, or -1 with a message. */
int oper_add_state(struct lyd_node *tree, const char *vty_dir, char *err,
		   size_t errlen);

#endif /* CFN_OPER_H */
