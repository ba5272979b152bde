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
#include "running.h"
#include "vty_client.h"

static struct rpc_server *S;

/* -- errors --------------------------------------------------------------- */

static struct nc_server_reply *error_reply(NC_ERR tag, const char *path,
					   const char *fmt, ...)
{
	struct lyd_node *e;
	char msg[3072];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	switch (tag) {
	case NC_ERR_LOCK_DENIED:
		/* no session holds it: session-id 0 (RFC 6241 7.5) */
		e = nc_err(S->ctx, tag, 0);
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

	/* libyang has no error code of its own for an unknown element, only
	 * 'Node "weight" not found as a child of "service" node.' */
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

/* -- datastores ------------------------------------------------------------ */

enum ds { DS_NONE = -1, DS_RUNNING, DS_CANDIDATE };
static const char *const ds_name[] = {"running", "candidate"};

static enum ds which_ds(struct lyd_node *rpc, const char *param)
{
	for (int d = DS_RUNNING; d <= DS_CANDIDATE; d++) {
		struct lyd_node *n = NULL;
		char path[64];

		snprintf(path, sizeof(path), "%s/%s", param, ds_name[d]);
		if (lyd_find_path(rpc, path, 0, &n) == LY_SUCCESS && n)
			return d;
	}
	return DS_NONE;
}

static struct nc_server_reply *no_such_ds(void)
{
	return error_reply(
		NC_ERR_OP_NOT_SUPPORTED, NULL,
		"only the running and candidate datastores exist here");
}

/* lock-denied if another session than SESSION holds D's lock */
static struct nc_server_reply *locked_by_other(enum ds d,
					       struct nc_session *session)
{
	uint32_t holder = S->lock_sid[d];

	if (!holder || holder == nc_session_get_id(session))
		return NULL;
	struct lyd_node *e = nc_err(S->ctx, NC_ERR_LOCK_DENIED, holder);
	char msg[128];

	snprintf(msg, sizeof(msg), "the %s datastore is locked by session %u",
		 ds_name[d], holder);
	nc_err_set_msg(e, msg, "en");
	return nc_server_reply_err(e);
}

/* The configuration of D as a YANG tree (candidate: running until edited). */
static int read_ds(enum ds d, struct cr_config *conf, struct lyd_node **tree,
		   char *err, size_t errlen)
{
	if (running_read(S->vty_dir, S->ctx, conf, tree, err, errlen))
		return -1;
	if (d == DS_CANDIDATE && S->candidate) {
		lyd_free_all(*tree);
		*tree = NULL;
		if (lyd_dup_siblings(S->candidate, NULL, LYD_DUP_RECURSIVE,
				     tree)) {
			snprintf(err, errlen, "cannot copy the candidate");
			cr_config_free(conf);
			return -1;
		}
	}
	return 0;
}

static void discard_candidate(void)
{
	lyd_free_all(S->candidate);
	S->candidate = NULL;
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

static struct nc_server_reply *read_datastore(struct lyd_node *rpc, enum ds d,
					      bool state)
{
	struct lyd_node *tree = NULL, *filter = NULL;
	struct cr_config conf;
	char err[512];

	if (read_ds(d, &conf, &tree, err, sizeof(err)))
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
	enum ds d = which_ds(rpc, "source");

	if (d == DS_NONE)
		return no_such_ds();
	return read_datastore(rpc, d, false);
}

static struct nc_server_reply *rpc_get(struct lyd_node *rpc,
				       struct nc_session *session)
{
	return read_datastore(rpc, DS_RUNNING, true);
}

static const char *param(struct lyd_node *rpc, const char *name,
			 const char *dflt)
{
	struct lyd_node *n = NULL;

	if (lyd_find_path(rpc, name, 0, &n) != LY_SUCCESS || !n)
		return dflt;
	return lyd_get_value(n);
}

/* An inline <config> (of edit-config or validate), parsed against the
 * server's modules; PARSE_OPTS adds LYD_PARSE_ONLY for an edit. */
static struct nc_server_reply *
parse_config(struct lyd_node *cfg, uint32_t parse_opts, struct lyd_node **out)
{
	char *xml = NULL;
	LY_ERR r;

	*out = NULL;
	if (lyd_any_value_str(cfg, &xml) != LY_SUCCESS)
		return error_reply(NC_ERR_MALFORMED_MSG, NULL,
				   "unreadable <config>");
	if (!xml)
		return NULL; /* empty */
	r = lyd_parse_data_mem(
		S->ctx, xml, LYD_XML,
		parse_opts | LYD_PARSE_STRICT | LYD_PARSE_NO_STATE,
		(parse_opts & LYD_PARSE_ONLY) ? 0 : LYD_VALIDATE_NO_STATE, out);
	free(xml);
	if (r != LY_SUCCESS) {
		lyd_free_all(*out);
		*out = NULL;
		return ly_error_reply(
			"the configuration does not fit the YANG model");
	}
	return NULL;
}

static struct nc_server_reply *edit_error_reply(const struct edit_error *e)
{
	return error_reply(e->tag, e->path, "%s", e->msg);
}

static struct nc_server_reply *rpc_edit_config(struct lyd_node *rpc,
					       struct nc_session *session)
{
	enum ds d = which_ds(rpc, "target");
	const char *defop = param(rpc, "default-operation", "merge");
	const char *test = param(rpc, "test-option", "test-then-set");
	const char *erropt = param(rpc, "error-option", "stop-on-error");
	struct lyd_node *edit = NULL, *tree = NULL, *cfg = NULL;
	struct cr_config old = {0}, new = {0};
	struct nc_server_reply *reply;
	struct edit_error ee;
	char err[1024];

	if (d == DS_NONE)
		return no_such_ds();
	if ((reply = locked_by_other(d, session)))
		return reply;
	/* Every edit is all or nothing; continuing past an error is not. */
	if (!strcmp(erropt, "continue-on-error"))
		return error_reply(
			NC_ERR_OP_NOT_SUPPORTED, NULL,
			"continue-on-error is not supported: edits are all or nothing (use rollback-on-error)");
	if (lyd_find_path(rpc, "config", 0, &cfg) != LY_SUCCESS || !cfg)
		return error_reply(
			NC_ERR_OP_NOT_SUPPORTED, NULL,
			"only an inline <config> is supported (no <url>)");
	if ((reply = parse_config(cfg, LYD_PARSE_ONLY, &edit)))
		return reply;
	if (edit_check_scope(edit, &ee)) {
		lyd_free_all(edit);
		return edit_error_reply(&ee);
	}
	if (read_ds(d, &old, &tree, err, sizeof(err))) {
		lyd_free_all(edit);
		return error_reply(NC_ERR_OP_FAILED, NULL, "%s", err);
	}
	if (edit_apply(&tree, edit, defop, &ee)) {
		reply = edit_error_reply(&ee);
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
	/* The candidate is only checked here; running is changed. */
	if (running_apply(S->vty_dir, &old, &new,
			  d == DS_CANDIDATE || !strcmp(test, "test-only"),
			  &ee)) {
		reply = edit_error_reply(&ee);
		goto out;
	}
	if (d == DS_CANDIDATE && strcmp(test, "test-only")) {
		discard_candidate();
		S->candidate = tree;
		tree = NULL;
	}
	reply = nc_server_reply_ok();
out:
	cr_config_free(&old);
	cr_config_free(&new);
	lyd_free_all(tree);
	lyd_free_all(edit);
	return reply;
}

/* <commit>: running becomes the candidate, all or nothing. */
static struct nc_server_reply *rpc_commit(struct lyd_node *rpc,
					  struct nc_session *session)
{
	struct cr_config old = {0}, new = {0};
	struct nc_server_reply *reply;
	struct edit_error ee;
	char err[512];

	if ((reply = locked_by_other(DS_RUNNING, session)) ||
	    (reply = locked_by_other(DS_CANDIDATE, session)))
		return reply;
	if (!S->candidate)
		return nc_server_reply_ok();
	if (running_read(S->vty_dir, S->ctx, &old, NULL, err, sizeof(err)))
		return error_reply(NC_ERR_OP_FAILED, NULL, "%s", err);
	if (cr_config_from_tree(&new, S->candidate, err, sizeof(err))) {
		reply = error_reply(NC_ERR_OP_FAILED, NULL, "%s", err);
	} else if (running_apply(S->vty_dir, &old, &new, false, &ee)) {
		reply = edit_error_reply(&ee);
	} else {
		discard_candidate();
		reply = nc_server_reply_ok();
	}
	cr_config_free(&old);
	cr_config_free(&new);
	return reply;
}

static struct nc_server_reply *rpc_discard_changes(struct lyd_node *rpc,
						   struct nc_session *session)
{
	struct nc_server_reply *reply = locked_by_other(DS_CANDIDATE, session);

	if (reply)
		return reply;
	discard_candidate();
	return nc_server_reply_ok();
}

/* <validate>: of a datastore or of a complete configuration inline. */
static struct nc_server_reply *rpc_validate(struct lyd_node *rpc,
					    struct nc_session *session)
{
	struct lyd_node *cfg = NULL, *tree = NULL;
	struct nc_server_reply *reply;
	enum ds d = which_ds(rpc, "source");

	/* running is what the daemons accepted; the candidate was validated
	 * by every edit that made it */
	if (d != DS_NONE)
		return nc_server_reply_ok();
	if (lyd_find_path(rpc, "source/config", 0, &cfg) != LY_SUCCESS || !cfg)
		return error_reply(
			NC_ERR_OP_NOT_SUPPORTED, NULL,
			"validate running, candidate or an inline <config>");
	if ((reply = parse_config(cfg, 0, &tree)))
		return reply;
	lyd_free_all(tree);
	return nc_server_reply_ok();
}

/* frr-cfn:set-available: a load report, through isisd's exec command. */
static struct nc_server_reply *rpc_set_available(struct lyd_node *rpc,
						 struct nc_session *session)
{
	const char *tag = param(rpc, "area-tag", NULL);
	char cmd[256], path[128];
	char *out = NULL;
	int ret;

	snprintf(cmd, sizeof(cmd), "compute service %s available %s%s%s",
		 param(rpc, "prefix", ""), param(rpc, "available", "0"),
		 tag ? " area " : "", tag ? tag : "");
	ret = vty_client_show(S->vty_dir, "isisd", cmd, &out);
	if (ret != 0) {
		if (out)
			vty_client_oneline(out);
		snprintf(path, sizeof(path), "/frr-cfn:set-available/prefix");
		struct nc_server_reply *reply = error_reply(
			NC_ERR_OP_FAILED, path, "isisd refused '%s': %s", cmd,
			out && *out ? out : "command failed");
		free(out);
		return reply;
	}
	free(out);
	return nc_server_reply_ok();
}

static struct nc_server_reply *rpc_lock(struct lyd_node *rpc,
					struct nc_session *session)
{
	enum ds d = which_ds(rpc, "target");

	if (d == DS_NONE)
		return no_such_ds();
	if (S->lock_sid[d]) {
		struct lyd_node *e =
			nc_err(S->ctx, NC_ERR_LOCK_DENIED, S->lock_sid[d]);
		char msg[128];

		snprintf(msg, sizeof(msg),
			 "the %s datastore is already locked by session %u",
			 ds_name[d], S->lock_sid[d]);
		nc_err_set_msg(e, msg, "en");
		return nc_server_reply_err(e);
	}
	/* RFC 6241 7.5: not while the candidate holds others' changes */
	if (d == DS_CANDIDATE && S->candidate)
		return error_reply(
			NC_ERR_LOCK_DENIED, NULL,
			"the candidate has uncommitted changes: commit or discard-changes first");
	S->lock_sid[d] = nc_session_get_id(session);
	return nc_server_reply_ok();
}

static struct nc_server_reply *rpc_unlock(struct lyd_node *rpc,
					  struct nc_session *session)
{
	enum ds d = which_ds(rpc, "target");

	if (d == DS_NONE)
		return no_such_ds();
	if (S->lock_sid[d] != nc_session_get_id(session))
		return error_reply(
			NC_ERR_OP_FAILED, NULL,
			S->lock_sid[d]
				? "the lock is held by session %u, not this one"
				: "the datastore is not locked",
			S->lock_sid[d]);
	S->lock_sid[d] = 0;
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
	if (!S)
		return;
	if (S->lock_sid[DS_RUNNING] == sid)
		S->lock_sid[DS_RUNNING] = 0;
	/* a session that locked the candidate and left without committing:
	 * its changes go with it (RFC 6241 8.3.5.2) */
	if (S->lock_sid[DS_CANDIDATE] == sid) {
		S->lock_sid[DS_CANDIDATE] = 0;
		discard_candidate();
	}
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
		{"/ietf-netconf:commit", rpc_commit},
		{"/ietf-netconf:discard-changes", rpc_discard_changes},
		{"/ietf-netconf:validate", rpc_validate},
		{"/ietf-netconf:lock", rpc_lock},
		{"/ietf-netconf:unlock", rpc_unlock},
		{"/ietf-netconf:kill-session", rpc_kill_session},
		{"/frr-cfn:set-available", rpc_set_available},
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
