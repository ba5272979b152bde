// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The running datastore is isisd (and bgpd, when the router runs it): read
 * from their "show running-config", changed by vty commands, all or
 * nothing.
 */
#ifndef CFN_RUNNING_H
#define CFN_RUNNING_H

#include <stdbool.h>
#include <stddef.h>

#include <libyang/libyang.h>

#include "cr_conf.h"
#include "edit.h"

/* Reads isisd's and bgpd's configuration; *tree (if TREE) as YANG data in
 * CTX. */
int running_read(const char *vty_dir, const struct ly_ctx *ctx,
		 struct cr_config *conf, struct lyd_node **tree, char *err,
		 size_t errlen);

/*
 * Turns the daemons' configuration OLD into NEW.  If a daemon refuses a
 * command, what was applied is undone and err says which node and why
 * (operation-failed, or rollback-failed if undoing failed too).  With
 * DRY_RUN only checks that NEW can be expressed (same IS-IS and BGP instances,
 * same BGP neighbors).
 */
int running_apply(const char *vty_dir, const struct cr_config *old,
		  const struct cr_config *new, bool dry_run,
		  struct edit_error *err);

#endif /* CFN_RUNNING_H */
