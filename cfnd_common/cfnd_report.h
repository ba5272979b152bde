// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The load-report socket (doc/report-protocol.md): one per daemon, owned
 * here and configured once ("report-socket" in any compute-routing
 * instance sets it for the router); reports are applied through the model.
 */
#ifndef CFND_REPORT_H
#define CFND_REPORT_H

#include <stddef.h>

/*
 * Listens on path (NULL: the default) at once; on failure the socket
 * listened on before stays, the configuration is unchanged, and -1 comes
 * back with err.
 */
int cfnd_report_configure(const char *path, char *err, size_t errlen);
/* The configured path, NULL for the default. */
const char *cfnd_report_configured(void);
/* Listens on the configured path once the configuration is read. */
void cfnd_report_start(void);
const char *cfnd_report_default_path(void);
const char *cfnd_report_path(void); /* NULL when not listening */
void cfnd_report_fini(void);

#endif
