// SPDX-License-Identifier: GPL-2.0-or-later
/* Listening addresses "ADDR:PORT" / "[ADDR6]:PORT" (cfn-witness, the
 * ledger's TLS front). */
#ifndef CFN_LEDGER_WITNESS_NET_H
#define CFN_LEDGER_WITNESS_NET_H

#include <sys/socket.h>

int net_parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *sl);

#endif
