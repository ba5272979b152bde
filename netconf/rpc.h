// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The NETCONF operations of cfn-netconfd.  The running datastore is the
 * router's daemons themselves (running.c): get-config and get read isisd's
 * configuration and state through its vty socket; edit-config validates
 * with libyang, then applies the difference as vty commands, all or
 * nothing.  The candidate is a YANG tree here, shared by all sessions,
 * that commit applies the same way.
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
	uint32_t lock_sid[2]; /* sessions holding the running and candidate
			       * locks, 0: none */
	struct lyd_node *candidate; /* NULL: the candidate is running */
};

/* Installs the callbacks on CTX's ietf-netconf RPC nodes. */
int rpc_init(struct rpc_server *srv);
/* A session ended: its lock goes with it. */
void rpc_session_gone(uint32_t sid);

#endif /* CFN_RPC_H */
