// SPDX-License-Identifier: GPL-2.0-or-later
#include "errfmt.h"

#include <stdarg.h>
#include <stdio.h>

int cfn_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}
