// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Text and JSON renderings of a service entry, shared by `show isis compute
 * database`, debug logs and tools, so every place spells fields the same.
 */
#ifndef CFN_SVC_SHOW_H
#define CFN_SVC_SHOW_H

#include <stddef.h>

#include "tlv.h"

struct json_object;

/* Longest text cfn_svc_entry_str() can produce. */
#define CFN_SVC_ENTRY_STRLEN 256

/*
 * One line: "203.0.113.10/32 metric 120 total 100 available 60 cpu 40%
 * mem 55% score 6 price 2.000 site edge-1"; "metric not-eligible" for
 * 0xFFFFFFFF.  Absent optional fields are left out.
 */
const char *cfn_svc_entry_str(const struct cfn_svc_entry *e, char *buf,
			      size_t buflen);

/*
 * New JSON object: "prefix", "metric" (number, 4294967295 when not
 * eligible), "eligible" (bool), and when present "capacityTotal",
 * "capacityAvailable", "cpuUtilization", "memUtilization",
 * "gpuUtilization", "score", "priceMilliTokens", "siteId".  NULL on
 * allocation failure.
 */
struct json_object *cfn_svc_entry_json(const struct cfn_svc_entry *e);

#endif
