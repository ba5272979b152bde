// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Loader for the cfn-spf topology format (doc/cspf.md):
 *   {"routers": [{"id", "overload"?, "pseudonode"?}],
 *    "links": [{"a", "b", "metric", "metric_ba"?}],
 *    "services": [{"prefix", "router", "metric"}]}
 * Errors name the field, e.g. `links[3].metric: must be 0..4294967295`.
 */
#ifndef CFN_SPF_JSON_H
#define CFN_SPF_JSON_H

#include <stddef.h>

#include "cfn_spf.h"

/* Fills an empty graph from JSON text; CFN_SPF_OK or an error with message. */
int cfn_spf_load_json(struct cfn_spf *c, const char *text, size_t len,
		      struct cfn_spf_error *err);

/*
 * Canonical form of an IPv4/IPv6 prefix "addr/len" into out (>= 64 bytes);
 * 0 or -1 when malformed.
 */
int cfn_spf_prefix_canon(const char *in, char *out, size_t outlen);

#endif /* CFN_SPF_JSON_H */
