// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Prices: tokens per compute unit with up to three decimals, carried as
 * milli-tokens in a u32 (GENINFO field 9, doc/isis-geninfo.md), so at most
 * 4294967.295.  One parser for the router's configuration and cfn-report.
 */
#ifndef CFN_PRICE_H
#define CFN_PRICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CFN_PRICE_STRLEN 16 /* "4294967.295" + NUL, rounded up */
#define CFN_PRICE_RANGE "tokens, up to 3 decimals, at most 4294967.295"

/* Plain decimal u32: digits only, no sign, no blanks, no overflow. */
bool cfn_parse_u32(const char *s, uint32_t *v);
/* "2", "2.5", "0.125" -> milli-tokens; false when malformed or too big. */
bool cfn_price_parse(const char *s, uint32_t *milli);
/* milli-tokens as "2" or "2.500" (what cfn_price_parse() reads back). */
const char *cfn_price_str(uint32_t milli, char *buf, size_t len);

#endif
