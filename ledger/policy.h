// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * C2SP tlog-policy (https://c2sp.org/tlog-policy) files: the logs, the
 * witnesses, groups and the quorum, and the check "is this checkpoint
 * signed by a listed log and cosigned according to the quorum?".
 *
 *   log <vkey> [<url>]
 *   witness <name> <vkey> [<url>]
 *   group <name> all|any|<k> <name>...
 *   quorum <name>|none
 *
 * Log vkeys are checkpoint keys (type 0x01, name = origin); witness vkeys
 * are cosignature/v1 keys (type 0x04).  See doc/policy.md.
 */
#ifndef CFN_LEDGER_POLICY_H
#define CFN_LEDGER_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "checkpoint.h"
#include "note.h"

/* The spec recommends supporting at least 32 of each. */
#define POLICY_MAX 32
#define POLICY_NAME_MAX 255
#define POLICY_FILE_MAX (1 << 20)

struct policy_witness {
	char name[POLICY_NAME_MAX + 1];
	struct note_key *key;
	char *url; /* submission prefix, or NULL */
};

/* A group member: a witness (index >= 0) or a group (-1 - index). */
struct policy_group {
	char name[POLICY_NAME_MAX + 1];
	unsigned k, n;
	int member[2 * POLICY_MAX];
};

struct policy {
	struct note_key *log[POLICY_MAX];
	char *log_url[POLICY_MAX];
	size_t nlogs;
	struct policy_witness w[POLICY_MAX];
	size_t nw;
	struct policy_group g[POLICY_MAX];
	size_t ng;
	bool quorum_none;
	int quorum; /* a member reference, as in policy_group */
};

/* What a checkpoint check found. */
struct policy_verdict {
	struct checkpoint ck;
	size_t text_len; /* the checkpoint note text */
	int log;	 /* index of the log that signed */
	bool signed_[POLICY_MAX];
	uint64_t time[POLICY_MAX];
	size_t nsigned;
	bool quorum;
};

int policy_parse(const char *text, size_t len, struct policy **out, char *err,
		 size_t errlen);
int policy_load(const char *path, struct policy **out, char *err,
		size_t errlen);
void policy_free(struct policy *p);

/* Is the quorum met when the witnesses in signed_ have cosigned? */
bool policy_quorum(const struct policy *p, const bool *signed_);

/*
 * Verify a cosigned checkpoint note: a log of the policy signed it (its
 * key name is the origin), every cosignature by a listed witness is
 * valid, and the quorum is met.  Returns 0 when all holds; -1 otherwise
 * with the reason in err (*v is filled as far as the check got, so a
 * caller can say who signed and who is missing).
 */
int policy_check(const struct policy *p, const char *note, size_t len,
		 struct policy_verdict *v, char *err, size_t errlen);

/* "signed: A B; missing: C" into buf. */
void policy_describe(const struct policy *p, const struct policy_verdict *v,
		     char *buf, size_t size);

#endif
