// SPDX-License-Identifier: GPL-2.0-or-later
// fuzz-sources: ledger/policy.c ledger/cosig.c ledger/util.c
// fuzz-sources: ledger/checkpoint.c ledger/merkle.c ledger/store.c
/*
 * tlog-policy files on hostile input: no out-of-bounds access, and every
 * accepted policy evaluates its quorum for every subset of its witnesses
 * (up to 2^6 subsets) without recursion or unbounded work.
 */
#include <stdint.h>
#include <stdlib.h>

#include "policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct policy *p;
	bool s[POLICY_MAX];

	if (policy_parse((const char *)data, size, &p, NULL, 0) < 0)
		return 0;
	for (unsigned m = 0; m < 64; m++) {
		for (size_t i = 0; i < POLICY_MAX; i++)
			s[i] = i < 6 ? (m >> i) & 1 : true;
		policy_quorum(p, s);
	}
	policy_free(p);
	return 0;
}
