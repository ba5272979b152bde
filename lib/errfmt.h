// SPDX-License-Identifier: GPL-2.0-or-later
/* The one way libcfn functions report a reason to their caller. */
#ifndef CFN_ERRFMT_H
#define CFN_ERRFMT_H

#include <stddef.h>

/* Formats a one-line reason into err (if any) and returns -1. */
int cfn_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
