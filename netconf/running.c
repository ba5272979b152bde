// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "running.h"
#include "vty_client.h"

/* FRR's command return codes (lib/command.h) that mean success. */
#define CMD_SUCCESS 0
#define CMD_SUCCESS_DAEMON 10

int running_read(const char *vty_dir, const struct ly_ctx *ctx,
		 struct cr_config *conf, struct lyd_node **tree, char *err,
		 size_t errlen)
{
	char *text = NULL;

	if (vty_client_show(vty_dir, "isisd", "show running-config", &text) !=
	    0) {
		snprintf(err, errlen,
			 "reading isisd's configuration failed: %s",
			 text ? text : "");
		free(text);
		return -1;
	}
	int rc = cr_config_from_running(conf, text, err, errlen);

	free(text);
	if (rc)
		return -1;
	if (tree && cr_config_to_tree(conf, ctx, tree, err, errlen)) {
		cr_config_free(conf);
		return -1;
	}
	return 0;
}

/*
 * Runs CMDS on isisd.  Returns the index of the command that failed (with
 * the daemon's words in why), or -1 when all succeeded.
 */
/* Moves the session to where C's command is given: configure mode, then
 * the router isis block if it has one.  0, or -1 with why. */
static int enter(struct vty_client *vc, const struct cr_cmd *c, char *why,
		 size_t whylen)
{
	char rtr[160] = "";
	const char *steps[] = {"end", "configure terminal", rtr};
	char *out = NULL;

	if (c->inst && !strcmp(c->inst->vrf, "default"))
		snprintf(rtr, sizeof(rtr), "router isis %s", c->inst->tag);
	else if (c->inst)
		snprintf(rtr, sizeof(rtr), "router isis %s vrf %s",
			 c->inst->tag, c->inst->vrf);
	for (size_t k = 0; k < 3 && steps[k][0]; k++) {
		int ret = vty_client_run(vc, steps[k], &out);

		/* "end" in the enable node is fine whatever it says */
		if (k && ret != CMD_SUCCESS) {
			snprintf(why, whylen, "'%s': %s", steps[k],
				 out ? out : "");
			free(out);
			return -1;
		}
		free(out);
	}
	return 0;
}

/*
 * Runs CMDS on isisd.  Returns the index of the command that failed (with
 * the daemon's words in why), or -1 when all succeeded.
 */
static long run_cmds(const char *vty_dir, const struct cr_cmds *cmds, char *why,
		     size_t whylen)
{
	struct vty_client vc;
	char *out = NULL;
	long failed = -1;

	if (!cmds->n)
		return -1;
	if (vty_client_open(&vc, vty_dir, "isisd", why, whylen))
		return 0;
	for (size_t i = 0; i < cmds->n && failed < 0; i++) {
		const struct cr_cmd *c = &cmds->v[i];
		int ret;

		if ((i == 0 || c->inst != cmds->v[i - 1].inst) &&
		    enter(&vc, c, why, whylen)) {
			failed = i;
			break;
		}
		ret = vty_client_run(&vc, c->line, &out);
		if (ret != CMD_SUCCESS && ret != CMD_SUCCESS_DAEMON) {
			snprintf(why, whylen, "%s",
				 out && *out ? out
					     : (ret == 2 ? "unknown command"
							 : "command failed"));
			vty_client_oneline(why);
			failed = i;
		}
		free(out);
	}
	vty_client_run(&vc, "end", &out);
	free(out);
	vty_client_close(&vc);
	return failed;
}

/* Brings the daemons back to WANT; 0 on success. */
static int roll_back(const char *vty_dir, const struct cr_config *want,
		     char *why, size_t whylen)
{
	struct cr_config now;
	struct cr_cmds cmds;
	char path[512];
	int rc = -1;

	if (running_read(vty_dir, NULL, &now, NULL, why, whylen))
		return -1;
	if (!cr_config_diff(&now, want, &cmds, why, whylen, path,
			    sizeof(path))) {
		rc = run_cmds(vty_dir, &cmds, why, whylen) < 0 ? 0 : -1;
		cr_cmds_free(&cmds);
	}
	cr_config_free(&now);
	return rc;
}

int running_apply(const char *vty_dir, const struct cr_config *old,
		  const struct cr_config *new, bool dry_run,
		  struct edit_error *err)
{
	struct cr_cmds cmds;
	char why[1024], rb[512] = "";
	long failed;

	if (cr_config_diff(old, new, &cmds, err->msg, sizeof(err->msg),
			   err->path, sizeof(err->path))) {
		err->tag = NC_ERR_OP_NOT_SUPPORTED;
		return -1;
	}
	if (dry_run) {
		cr_cmds_free(&cmds);
		return 0;
	}
	failed = run_cmds(vty_dir, &cmds, why, sizeof(why));
	if (failed < 0) {
		cr_cmds_free(&cmds);
		return 0;
	}
	const struct cr_cmd *c = &cmds.v[failed];

	snprintf(err->path, sizeof(err->path), "%s", c->path);
	if (roll_back(vty_dir, old, rb, sizeof(rb))) {
		err->tag = NC_ERR_ROLLBACK_FAILED;
		snprintf(
			err->msg, sizeof(err->msg),
			"isisd refused '%s': %s; rolling back failed too (%s): check show running-config",
			c->line, why, rb);
	} else {
		err->tag = NC_ERR_OP_FAILED;
		snprintf(
			err->msg, sizeof(err->msg),
			"isisd refused '%s': %s; nothing was changed (%ld applied command(s) rolled back)",
			c->line, why, failed);
	}
	cr_cmds_free(&cmds);
	return -1;
}
