// SPDX-License-Identifier: GPL-2.0-or-later
/* cfn-ledgerd logging: stderr lines with a level tag, or syslog. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "ledgerd.h"

static bool use_syslog;

void ld_log_syslog(void)
{
	openlog("cfn-ledgerd", LOG_PID | LOG_NDELAY, LOG_DAEMON);
	use_syslog = true;
}

void ld_log(int prio, const char *fmt, ...)
{
	static const char *const tags[] = {
		"emerg",   "alert",  "crit", "error",
		"warning", "notice", "info", "debug",
	};
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (use_syslog) {
		syslog(prio, "%s", msg);
		return;
	}
	fprintf(stderr, "cfn-ledgerd: %s: %s\n", tags[prio & 7], msg);
}

void ld_fatal(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ld_log(LOG_CRIT, "FATAL: %s; exiting", msg);
	_exit(1);
}
