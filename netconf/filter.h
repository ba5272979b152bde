// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * <filter> of <get> and <get-config>: an XPath filter (the :xpath
 * capability) is evaluated by libyang; a subtree filter (RFC 6241 section
 * 6) is turned into the XPath expressions that select the same nodes.
 */
#ifndef CFN_FILTER_H
#define CFN_FILTER_H

#include <stddef.h>

#include <libyang/libyang.h>

/*
 * Replaces *DATA with the part FILTER (the <filter> node of the request, or
 * NULL for none) selects.  0, or -1 with a message.
 */
int filter_apply(struct lyd_node **data, const struct lyd_node *filter,
		 char *err, size_t errlen);

#endif /* CFN_FILTER_H */
