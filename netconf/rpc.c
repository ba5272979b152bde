// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cr_conf.h"
#include "edit.h"
#include "filter.h"
#include "oper.h"
#include "rpc.h"
#include "vty_client.h"

/* FRR's command return codes (lib/command.h) that mean success. */
#define CMD_SUCCESS 0
#define CMD_SUCCESS_DAEMON 10

static struct rpc_server *S;

/* -- errors --------------------------------------------------------------- */

static struct nc_server_reply *error_reply(NC_ERR tag, const char *path,
					   const char *fmt, ...)
{
	struct lyd_node *e;
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	switch (tag) {
	case NC_ERR_LOCK_DENIED:
		e = nc_err(S->ctx, tag, S->lock_sid);
		break;
	case NC_ERR_DATA_EXISTS:
	case NC_ERR_DATA_MISSING:
	case NC_ERR_MALFORMED_MSG:
		e = nc_err(S->ctx, tag);
		break;
	default:
		e = nc_err(S->ctx, tag, NC_ERR_TYPE_APP);
	}
	if (path && *path)
		nc_err_set_path(e, path);
	nc_err_set_msg(e, msg, "en");
	return nc_server_reply_err(e);
}

/* libyang's last error as an rpc-error. */
static struct nc_server_reply *ly_error_reply(const char *what)
{
	const struct ly_err_item *e = ly_err_last(S->ctx);
	const char *msg = e && e->msg ? e->msg : "invalid data";
	const char *q;
	struct lyd_node *err;

	/* 'Node "weight" not found as a child of "service" node.' */
	if (!strncmp(msg, "Node \"", 6) && strstr(msg, "not found") &&
	    (q = strchr(msg + 6, '"'))) {
		char elem[128];

		snprintf(elem, sizeof(elem), "%.*s", (int)(q - msg - 6),
			 msg + 6);
		err = nc_err(S->ctx, NC_ERR_UNKNOWN_ELEM, NC_ERR_TYPE_APP,
			     elem);
	} else {
		err = nc_err(S->ctx, NC_ERR_INVALID_VALUE, NC_ERR_TYPE_APP);
		if (e && e->apptag)
			nc_err_set_app_tag(err, e->apptag);
	}
	if (e && e->path) {
		/* libyang says 'Data location "/a/b".' (or Schema location):
		 * error-path is the path alone */
		const char *a = strchr(e->path, '"'),
			   *b = strrchr(e->path, '"');
		char path[1024];

		if (a && b > a)
			snprintf(path, sizeof(path), "%.*s", (int)(b - a - 1),
				 a + 1);
		else
			snprintf(path, sizeof(path), "%s", e->path);
		nc_err_set_path(err, path);
	}
	char full[1024];

	snprintf(full, sizeof(full), "%s: %s", what, msg);
	nc_err_set_msg(err, full, "en");
	ly_err_clean(S->ctx, NULL);
	return nc_server_reply_err(err);
}

/* -- the running datastore: the daemons ---------------------------------- */

static int read_running(struct cr_config *conf, struct lyd_node **tree,
			char *err, size_t errlen)
{
	char *text = NULL;

	if (vty_client_show(S->vty_dir, "isisd", "show running-config",
			    &text) != 0) {
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
	if (tree && cr_config_to_tree(conf, S->ctx, tree, err, errlen)) {
		cr_config_free(conf);
		return -1;
	}
	return 0;
}

static void one_line(char *s)
{
	char *p;

	if (!strncmp(s, "% ", 2))
		memmove(s, s + 2, strlen(s + 2) + 1);
	while ((p = strchr(s, '\n')))
		*p = (p[1] ? ' ' : '\0');
}

/*
 * Runs CMDS on isisd.  Returns the index of the command that failed (with
 * the daemon's words in why), or -1 when all succeeded.
 */
static long run_cmds(const struct cr_cmds *cmds, char *why, size_t whylen)
{
	const struct cr_instance *cur = NULL;
	struct vty_client vc;
	char *out = NULL;
	long failed = -1;

	if (!cmds->n)
		return -1;
	if (vty_client_open(&vc, S->vty_dir, "isisd", why, whylen))
		return 0;
	for (size_t i = 0; i < cmds->n && failed < 0; i++) {
		const struct cr_cmd *c = &cmds->v[i];
		char enter[160];
		int ret;

		if (c->inst != cur) {
			cur = c->inst;
			if (!strcmp(cur->vrf, "default"))
				snprintf(enter, sizeof(enter), "router isis %s",
					 cur->tag);
			else
				snprintf(enter, sizeof(enter),
					 "router isis %s vrf %s", cur->tag,
					 cur->vrf);
			const char *steps[] = {"end", "configure terminal",
					       enter};
			for (size_t k = 0; k < 3 && failed < 0; k++) {
				ret = vty_client_run(&vc, steps[k], &out);
				if (k && ret != CMD_SUCCESS) {
					snprintf(why, whylen, "'%s': %s",
						 steps[k], out ? out : "");
					failed = i;
				}
				free(out);
			}
			if (failed >= 0)
				break;
		}
		ret = vty_client_run(&vc, c->line, &out);
		if (ret != CMD_SUCCESS && ret != CMD_SUCCESS_DAEMON) {
			snprintf(why, whylen, "%s",
				 out && *out ? out
					     : (ret == 2 ? "unknown command"
							 : "command failed"));
			one_line(why);
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
static int roll_back(const struct cr_config *want, char *why, size_t whylen)
{
	struct cr_config now;
	struct cr_cmds cmds;
	char path[512];
	int rc = -1;

	if (read_running(&now, NULL, why, whylen))
		return -1;
	if (!cr_config_diff(&now, want, &cmds, why, whylen, path,
			    sizeof(path))) {
		rc = run_cmds(&cmds, why, whylen) < 0 ? 0 : -1;
		cr_cmds_free(&cmds);
	}
	cr_config_free(&now);
	return rc;
}

/* -- operations ------------------------------------------------------------ */

static struct nc_server_reply *reply_data(struct lyd_node *rpc,
					  struct lyd_node *data)
{
	struct lyd_node *out = NULL;

	if (lyd_dup_single(rpc, NULL, 0, &out) ||
	    lyd_new_any(out, NULL, "data", data, 1, LYD_ANYDATA_DATATREE, 1,
			NULL)) {
		lyd_free_all(data);
		lyd_free_all(out);
		return error_reply(NC_ERR_OP_FAILED, NULL,
				   "cannot build the reply");
	}
	return nc_server_reply_data(out, NC_WD_EXPLICIT, NC_PARAMTYPE_FREE);
}

static bool is_running(struct lyd_node *rpc, const char *which)
{
	struct lyd_node *n = NULL;
	char path[64];

	snprintf(path, sizeof(path), "%s/running", which);
	return lyd_find_path(rpc, path, 0, &n) == LY_SUCCESS && n;
}

static struct nc_server_reply *read_datastore(struct lyd_node *rpc, bool state)
{
	struct lyd_node *tree = NULL, *filter = NULL;
	struct cr_config conf;
	char err[512];

	if (read_running(&conf, &tree, err, sizeof(err)))
		return error_reply(NC_ERR_OP_FAILED, NULL, "%s", err);
	cr_config_free(&conf);
	if (state && oper_add_state(tree, S->vty_dir, err, sizeof(err))) {
		lyd_free_all(tree);
		return error_reply(NC_ERR_OP_FAILED, NULL, "%s", err);
	}
	lyd_find_path(rpc, "filter", 0, &filter);
	if (filter_apply(&tree, filter, err, sizeof(err))) {
		lyd_free_all(tree);
		return error_reply(NC_ERR_INVALID_VALUE, NULL, "%s", err);
	}
	return reply_data(rpc, tree);
}

static struct nc_server_reply *rpc_get_config(struct lyd_node *rpc,
					      struct nc_session *session)
{
	if (!is_running(rpc, "source"))
		return error_reply(NC_ERR_OP_NOT_SUPPORTED, NULL,
				   "only the running datastore exists here");
	return read_datastore(rpc, false);
}

static struct nc_server_reply *rpc_get(struct lyd_node *rpc,
				       struct nc_session *session)
{
	return read_datastore(rpc, true);
}

static const char *param(struct lyd_node *rpc, const char *name,
			 const char *dflt)
{
	struct lyd_node *n = NULL;

	if (lyd_find_path(rpc, name, 0, &n) != LY_SUCCESS || !n)
		return dflt;
	return lyd_get_value(n);
}

/* The <config> of edit-config, parsed against the server's modules. */
static struct nc_server_reply *parse_edit(struct lyd_node *rpc,
					  struct lyd_node **edit)
{
	struct lyd_node *cfg = NULL;
	char *xml = NULL;
	LY_ERR r;

	*edit = NULL;
	if (lyd_find_path(rpc, "config", 0, &cfg) != LY_SUCCESS || !cfg)
		return error_reply(
			NC_ERR_OP_NOT_SUPPORTED, NULL,
			"only an inline <config> is supported (no <url>)");
	if (lyd_any_value_str(cfg, &xml) != LY_SUCCESS)
		return error_reply(NC_ERR_MALFORMED_MSG, NULL,
				   "unreadable <config>");
	if (!xml)
		return NULL; /* an empty edit */
	r = lyd_parse_data_mem(S->ctx, xml, LYD_XML,
			       LYD_PARSE_ONLY | LYD_PARSE_STRICT |
				       LYD_PARSE_NO_STATE,
			       0, edit);
	free(xml);
	if (r != LY_SUCCESS) {
		lyd_free_all(*edit);
		*edit = NULL;
		return ly_error_reply("the edit does not fit the YANG model");
	}
	return NULL;
}

static struct nc_server_reply *rpc_edit_config(struct lyd_node *rpc,
					       struct nc_session *session)
{
	const char *defop = param(rpc, "default-operation", "merge");
	const char *test = param(rpc, "test-option", "test-then-set");
	const char *erropt = param(rpc, "error-option", "stop-on-error");
	struct lyd_node *edit = NULL, *tree = NULL;
	struct cr_config old = {0}, new = {0};
	struct cr_cmds cmds = {0};
	struct nc_server_reply *reply;
	struct edit_error ee;
	char err[1024], path[512];
	long failed;

	if (!is_running(rpc, "target"))
		return error_reply(NC_ERR_OP_NOT_SUPPORTED, NULL,
				   "only the running datastore exists here");
	if (S->lock_sid && S->lock_sid != nc_session_get_id(session))
		return error_reply(
			NC_ERR_LOCK_DENIED, NULL,
			"the running datastore is locked by session %u",
			S->lock_sid);
	/* Every edit is all or nothing; continuing past an error is not. */
	if (!strcmp(erropt, "continue-on-error"))
		return error_reply(
			NC_ERR_OP_NOT_SUPPORTED, NULL,
			"continue-on-error is not supported: edits are all or nothing (use rollback-on-error)");
	if ((reply = parse_edit(rpc, &edit)))
		return reply;
	if (edit_check_scope(edit, &ee)) {
		lyd_free_all(edit);
		return error_reply(ee.tag, ee.path, "%s", ee.msg);
	}
	if (read_running(&old, &tree, err, sizeof(err))) {
		lyd_free_all(edit);
		return error_reply(NC_ERR_OP_FAILED, NULL, "%s", err);
	}
	if (edit_apply(&tree, edit, defop, &ee)) {
		reply = error_reply(ee.tag, ee.path, "%s", ee.msg);
		goto out;
	}
	if (lyd_validate_all(&tree, S->ctx, LYD_VALIDATE_NO_STATE, NULL)) {
		reply = ly_error_reply("the configuration would be invalid");
		goto out;
	}
	if (cr_config_from_tree(&new, tree, err, sizeof(err))) {
		reply = error_reply(NC_ERR_OP_FAILED, NULL, "%s", err);
		goto out;
	}
	if (cr_config_diff(&old, &new, &cmds, err, sizeof(err), path,
			   sizeof(path))) {
		reply = error_reply(NC_ERR_OP_NOT_SUPPORTED, path, "%s", err);
		goto out;
	}
	if (!strcmp(test, "test-only")) {
		reply = nc_server_reply_ok();
		goto out;
	}
	failed = run_cmds(&cmds, err, sizeof(err));
	if (failed < 0) {
		reply = nc_server_reply_ok();
		goto out;
	}
	{
		char rb[512] = "";
		const struct cr_cmd *c = &cmds.v[failed];

		if (roll_back(&old, rb, sizeof(rb)))
			reply = error_reply(
				NC_ERR_ROLLBACK_FAILED, c->path,
				"isisd refused '%s': %s; rolling back failed too (%s): check show running-config",
				c->line, err, rb);
		else
			reply = error_reply(
				NC_ERR_OP_FAILED, c->path,
				"isisd refused '%s': %s; nothing was changed (%ld applied command(s) rolled back)",
				c->line, err, failed);
	}
out:
	cr_cmds_free(&cmds);
	cr_config_free(&old);
	cr_config_free(&new);
	lyd_free_all(tree);
	lyd_free_all(edit);
	return reply;
}

/* <validate>: of running (always valid: the daemons hold it) or of a
 * complete configuration given inline. */
static struct nc_server_reply *rpc_validate(struct lyd_node *rpc,
					    struct nc_session *session)
{
	struct lyd_node *cfg = NULL, *tree = NULL;
	char *xml = NULL;
	LY_ERR r;

	if (is_running(rpc, "source"))
		return nc_server_reply_ok();
	if (lyd_find_path(rpc, "source/config", 0, &cfg) != LY_SUCCESS || !cfg)
		return error_reply(NC_ERR_OP_NOT_SUPPORTED, NULL,
				   "validate running or an inline <config>");
	if (lyd_any_value_str(cfg, &xml) != LY_SUCCESS)
		return error_reply(NC_ERR_MALFORMED_MSG, NULL,
				   "unreadable <config>");
	if (!xml)
		return nc_server_reply_ok();
	r = lyd_parse_data_mem(S->ctx, xml, LYD_XML,
			       LYD_PARSE_STRICT | LYD_PARSE_NO_STATE,
			       LYD_VALIDATE_NO_STATE, &tree);
	free(xml);
	lyd_free_all(tree);
	if (r != LY_SUCCESS)
		return ly_error_reply("the configuration is invalid");
	return nc_server_reply_ok();
}

static struct nc_server_reply *rpc_lock(struct lyd_node *rpc,
					struct nc_session *session)
{
	if (!is_running(rpc, "target"))
		return error_reply(NC_ERR_OP_NOT_SUPPORTED, NULL,
				   "only the running datastore exists here");
	if (S->lock_sid)
		return error_reply(
			NC_ERR_LOCK_DENIED, NULL,
			"the running datastore is already locked by session %u",
			S->lock_sid);
	S->lock_sid = nc_session_get_id(session);
	return nc_server_reply_ok();
}

static struct nc_server_reply *rpc_unlock(struct lyd_node *rpc,
					  struct nc_session *session)
{
	if (!is_running(rpc, "target"))
		return error_reply(NC_ERR_OP_NOT_SUPPORTED, NULL,
				   "only the running datastore exists here");
	if (S->lock_sid != nc_session_get_id(session))
		return error_reply(
			NC_ERR_OP_FAILED, NULL,
			S->lock_sid
				? "the lock is held by session %u, not this one"
				: "the running datastore is not locked",
			S->lock_sid);
	S->lock_sid = 0;
	return nc_server_reply_ok();
}

static struct nc_server_reply *rpc_kill_session(struct lyd_node *rpc,
						struct nc_session *session)
{
	uint32_t sid = strtoul(param(rpc, "session-id", "0"), NULL, 10);
	uint32_t me = nc_session_get_id(session);

	if (sid == me)
		return error_reply(
			NC_ERR_INVALID_VALUE, NULL,
			"a session cannot kill itself: use close-session");
	for (uint16_t i = 0; i < nc_ps_session_count(S->ps); i++) {
		struct nc_session *s = nc_ps_get_session(S->ps, i);

		if (nc_session_get_id(s) != sid)
			continue;
		nc_session_set_term_reason(s, NC_SESSION_TERM_KILLED);
		nc_session_set_killed_by(s, me);
		nc_session_set_status(s, NC_STATUS_INVALID);
		rpc_session_gone(sid);
		return nc_server_reply_ok();
	}
	return error_reply(NC_ERR_INVALID_VALUE, NULL, "there is no session %u",
			   sid);
}

void rpc_session_gone(uint32_t sid)
{
	if (S && S->lock_sid == sid)
		S->lock_sid = 0;
}

int rpc_init(struct rpc_server *srv)
{
	static const struct {
		const char *path;
		nc_rpc_clb clb;
	} ops[] = {
		{"/ietf-netconf:get-config", rpc_get_config},
		{"/ietf-netconf:get", rpc_get},
		{"/ietf-netconf:edit-config", rpc_edit_config},
		{"/ietf-netconf:lock", rpc_lock},
		{"/ietf-netconf:unlock", rpc_unlock},
		{"/ietf-netconf:kill-session", rpc_kill_session},
		{"/ietf-netconf:validate", rpc_validate},
	};

	S = srv;
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		/* libnetconf2 keeps the callback in the schema node */
		struct lysc_node *n = (struct lysc_node *)lys_find_path(
			srv->ctx, NULL, ops[i].path, 0);

		if (!n)
			return -1;
		nc_set_rpc_callback(n, ops[i].clb);
	}
	return 0;
}
