// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The NETCONF operations of cfn-netconfd on the "running" datastore, which
 * is the router's daemons themselves: get-config and get read isisd's
 * running configuration and state through its vty socket; edit-config
 * validates with libyang, then applies the difference as vty commands, all
 * or nothing.
 */
#ifndef CFN_RPC_H
#define CFN_RPC_H

#include <stdint.h>

#include <libyang/libyang.h>
#include <nc_server.h>

struct rpc_server {
	struct ly_ctx *ctx;
	const char *vty_dir;
	struct nc_pollsession *ps;
	uint32_t lock_sid; /* session holding the running lock, 0: none */
};

/* Installs the callbacks on CTX's ietf-netconf RPC nodes. */
int rpc_init(struct rpc_server *srv);
/* A session ended: its lock goes with it. */
void rpc_session_gone(uint32_t sid);

#endif /* CFN_RPC_H */
