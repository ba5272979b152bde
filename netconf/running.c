// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdarg.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

#include "running.h"
#include "vty_client.h"

/* FRR's command return codes (lib/command.h) that mean success. */
#define CMD_SUCCESS 0
#define CMD_SUCCESS_DAEMON 10

/* Whether the router runs DAEMON: its vty socket is in VTY_DIR. */
static bool has_daemon(const char *vty_dir, const char *daemon)
{
	char path[512];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s.vty", vty_dir, daemon);
	return stat(path, &st) == 0 && S_ISSOCK(st.st_mode);
}

/* DAEMON's "show running-config" (malloc'd), or NULL with err. */
static char *read_daemon(const char *vty_dir, const char *daemon, char *err,
			 size_t errlen)
{
	char *text = NULL;

	if (vty_client_show(vty_dir, daemon, "show running-config", &text) !=
	    0) {
		snprintf(err, errlen, "reading %s's configuration failed: %s",
			 daemon, text ? text : "");
		free(text);
		return NULL;
	}
	return text;
}

/*
 * isisd's configuration, and bgpd's when the router runs it (a router
 * with bgpd but no isisd is configured through bgpd alone).
 */
int running_read(const char *vty_dir, const struct ly_ctx *ctx,
		 struct cr_config *conf, struct lyd_node **tree, char *err,
		 size_t errlen)
{
	bool bgpd = has_daemon(vty_dir, "bgpd");
	char *text = NULL;
	int rc = 0;

	memset(conf, 0, sizeof(*conf));
	if (!bgpd || has_daemon(vty_dir, "isisd")) {
		if (!(text = read_daemon(vty_dir, "isisd", err, errlen)))
			return -1;
		rc = cr_config_from_running(conf, text, err, errlen);
		free(text);
		if (rc)
			return -1;
	}
	if (bgpd) {
		if (!(text = read_daemon(vty_dir, "bgpd", err, errlen))) {
			cr_config_free(conf);
			return -1;
		}
		rc = cr_config_add_bgp_running(conf, text, err, errlen);
		free(text);
		if (rc) {
			cr_config_free(conf);
			return -1;
		}
	}
	if (tree && cr_config_to_tree(conf, ctx, tree, err, errlen)) {
		cr_config_free(conf);
		return -1;
	}
	return 0;
}

/* The daemon a command goes to (the router-wide debug switches: isisd). */
static const char *cmd_daemon(const struct cr_cmd *c)
{
	return c->inst && c->inst->daemon == CR_BGPD ? "bgpd" : "isisd";
}

/* Moves the session to where C's command is given: configure mode, then
 * the router block if it has one (and bgpd's address-family ipv4 unicast
 * for a neighbor's knob).  0, or -1 with why. */
static int enter(struct vty_client *vc, const struct cr_cmd *c, char *why,
		 size_t whylen)
{
	char rtr[160] = "";
	const char *steps[] = {"end", "configure terminal", rtr,
			       c->af ? "address-family ipv4 unicast" : ""};
	char *out = NULL;

	if (c->inst && c->inst->daemon == CR_BGPD &&
	    !strcmp(c->inst->vrf, "default"))
		snprintf(rtr, sizeof(rtr), "router bgp %s", c->inst->tag);
	else if (c->inst && c->inst->daemon == CR_BGPD)
		snprintf(rtr, sizeof(rtr), "router bgp %s vrf %s", c->inst->tag,
			 c->inst->vrf);
	else if (c->inst && !strcmp(c->inst->vrf, "default"))
		snprintf(rtr, sizeof(rtr), "router isis %s", c->inst->tag);
	else if (c->inst)
		snprintf(rtr, sizeof(rtr), "router isis %s vrf %s",
			 c->inst->tag, c->inst->vrf);
	for (size_t k = 0; k < 4 && steps[k][0]; k++) {
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

/* Ends the session on a daemon (if one is open). */
static void leave(struct vty_client *vc)
{
	char *out = NULL;

	if (vc->fd < 0)
		return;
	vty_client_run(vc, "end", &out);
	free(out);
	vty_client_close(vc);
}

/*
 * Runs CMDS on isisd and bgpd, each on its own.  Returns the index of the
 * command that failed (with the daemon's words in why), or -1 when all
 * succeeded.
 */
static long run_cmds(const char *vty_dir, const struct cr_cmds *cmds, char *why,
		     size_t whylen)
{
	struct vty_client vc = {.fd = -1};
	char *out = NULL;
	long failed = -1;

	for (size_t i = 0; i < cmds->n && failed < 0; i++) {
		const struct cr_cmd *c = &cmds->v[i];
		const struct cr_cmd *prev = i ? &cmds->v[i - 1] : NULL;
		int ret;

		if (!prev || strcmp(cmd_daemon(prev), cmd_daemon(c))) {
			leave(&vc);
			if (vty_client_open(&vc, vty_dir, cmd_daemon(c), why,
					    whylen)) {
				vc.fd = -1;
				failed = i;
				break;
			}
			prev = NULL;
		}
		if ((!prev || c->inst != prev->inst || c->af != prev->af) &&
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
	leave(&vc);
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
			"%s refused '%s': %s; rolling back failed too (%s): check show running-config",
			cmd_daemon(c), c->line, why, rb);
	} else {
		err->tag = NC_ERR_OP_FAILED;
		snprintf(
			err->msg, sizeof(err->msg),
			"%s refused '%s': %s; nothing was changed (%ld applied command(s) rolled back)",
			cmd_daemon(c), c->line, why, failed);
	}
	cr_cmds_free(&cmds);
	return -1;
}
