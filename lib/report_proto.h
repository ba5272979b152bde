// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The local load-report protocol: an agent on a compute site (or the
 * `cfn-report` tool) tells the isisd module a service's current load over a
 * UNIX stream socket.  One request per line, one reply line per request:
 *
 *   service PREFIX available N [total N] [cpu P] [mem P] [gpu P]
 *           [score S] [price TOKENS]
 *   -> "ok" | "error: REASON"
 *
 * Format and examples: doc/report-protocol.md.
 */
#ifndef CFN_REPORT_PROTO_H
#define CFN_REPORT_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "svcprefix.h"
#include "tlv.h"

/* Longest request or reply line, without the newline. */
#define CFN_REPORT_LINE_MAX 512
#define CFN_REPORT_DEFAULT_SOCKET "/var/run/frr/cfn-report.sock"

struct cfn_report {
	struct cfn_svc_prefix prefix;
	uint32_t available;
	uint32_t present; /* CFN_SE_CAP_TOTAL, _CPU, _MEM, _GPU, _SCORE, _PRICE
			   */
	uint32_t total;
	uint8_t cpu_pct, mem_pct, gpu_pct; /* 0-100 */
	uint8_t score;			   /* 0-10 */
	uint32_t price_milli;		   /* tokens * 1000 */
};

/*
 * Parses one request of len octets (a trailing "\n" or "\r\n" is allowed,
 * nothing else outside printable ASCII).  Strict: unknown or repeated
 * keywords, bad numbers and out-of-range values are errors.  On failure
 * returns false with a one-line reason in err.
 */
bool cfn_report_parse(const char *line, size_t len, struct cfn_report *r,
		      char *err, size_t errlen);

/* Canonical request text (no newline); returns its length or -1. */
int cfn_report_format(const struct cfn_report *r, char *buf, size_t buflen);

/* Reply line with newline: "ok\n" or "error: REASON\n". */
void cfn_report_reply(bool ok, const char *reason, char *buf, size_t buflen);

/*
 * Server side in one call: parses a request into r and writes the reply.
 * Returns true when the request is valid (the reply is then "ok\n"; the
 * caller may still overwrite it with an error, e.g. unknown service).
 */
bool cfn_report_handle(const char *line, size_t len, struct cfn_report *r,
		       char *reply, size_t replylen);

/*
 * Client side: true for "ok", false otherwise with the reason (the text
 * after "error: ", or a description of an unexpected reply) in reason.
 */
bool cfn_report_parse_reply(const char *line, size_t len, char *reason,
			    size_t reasonlen);

/* Copies the reported load into a service entry (metric untouched). */
void cfn_report_apply(const struct cfn_report *r, struct cfn_svc_entry *e);

#endif
