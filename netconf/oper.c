// SPDX-License-Identifier: GPL-2.0-or-later
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "oper.h"
#include "vty_client.h"

static json_object *show_json(const char *dir, const char *cmd, char *err,
			      size_t errlen)
{
	char *out = NULL;
	json_object *j = NULL;

	if (vty_client_show(dir, "isisd", cmd, &out) != 0)
		snprintf(err, errlen, "'%s' failed: %s", cmd, out ? out : "");
	else if (!(j = json_tokener_parse(out)))
		snprintf(err, errlen, "'%s' gave no JSON", cmd);
	free(out);
	return j;
}

static void put(struct lyd_node *tree, const char *base, const char *rel,
		const char *value)
{
	char path[2048];

	snprintf(path, sizeof(path), "%s/%s", base, rel);
	lyd_new_path(tree, NULL, path, value, LYD_NEW_PATH_UPDATE, NULL);
}

static void put_json(struct lyd_node *tree, const char *base, const char *rel,
		     json_object *o, const char *key)
{
	json_object *v;
	char buf[64];

	if (!json_object_object_get_ex(o, key, &v))
		return;
	switch (json_object_get_type(v)) {
	case json_type_boolean:
		put(tree, base, rel,
		    json_object_get_boolean(v) ? "true" : "false");
		break;
	case json_type_double:
		snprintf(buf, sizeof(buf), "%.3f", json_object_get_double(v));
		put(tree, base, rel, buf);
		break;
	case json_type_int:
		snprintf(buf, sizeof(buf), "%" PRId64,
			 json_object_get_int64(v));
		put(tree, base, rel, buf);
		break;
	default:
		put(tree, base, rel, json_object_get_string(v));
	}
}

static void add_database(struct lyd_node *tree, const char *state,
			 const char *tag, json_object *db)
{
	json_object_object_foreach(db, router, entries)
	{
		size_t n = json_object_array_length(entries);

		for (size_t i = 0; i < n; i++) {
			json_object *e = json_object_array_get_idx(entries, i);
			json_object *area, *prefix;
			char base[1024];

			if (!json_object_object_get_ex(e, "area", &area) ||
			    strcmp(json_object_get_string(area), tag) ||
			    !json_object_object_get_ex(e, "prefix", &prefix))
				continue;
			snprintf(base, sizeof(base),
				 "%s/database/entry[router='%s'][prefix='%s']",
				 state, router, json_object_get_string(prefix));
			put_json(tree, base, "metric", e, "metric");
			put_json(tree, base, "eligible", e, "eligible");
			put_json(tree, base, "capacity", e, "capacityTotal");
			put_json(tree, base, "available", e,
				 "capacityAvailable");
			put_json(tree, base, "price", e, "price");
			put_json(tree, base, "site", e, "siteId");
			put_json(tree, base, "level", e, "level");
			put_json(tree, base, "lsp", e, "lsp");
			put_json(tree, base, "age", e, "age");
		}
	}
}

static void add_decisions(struct lyd_node *tree, const char *state,
			  json_object *routes)
{
	json_object_object_foreach(routes, prefix, r)
	{
		json_object *sites, *nhs, *ru, *v;
		char base[1024], rel[512];

		snprintf(base, sizeof(base),
			 "%s/decisions/decision[prefix='%s']", state, prefix);
		put_json(tree, base, "cost", r, "cost");
		put_json(tree, base, "distance", r, "distance");
		put_json(tree, base, "metric", r, "metric");
		put_json(tree, base, "local", r, "local");
		put_json(tree, base, "installed", r, "installed");
		put_json(tree, base, "switches", r, "switches");
		if (json_object_object_get_ex(r, "runnerUp", &ru) &&
		    json_object_object_get_ex(ru, "site", &v))
			put(tree, base, "runner-up", json_object_get_string(v));
		if (json_object_object_get_ex(r, "sites", &sites))
			for (size_t i = 0; i < json_object_array_length(sites);
			     i++) {
				put(tree, base, "site",
				    json_object_get_string(
					    json_object_array_get_idx(sites,
								      i)));
			}
		if (!json_object_object_get_ex(r, "nexthops", &nhs))
			continue;
		for (size_t i = 0; i < json_object_array_length(nhs); i++) {
			json_object *nh = json_object_array_get_idx(nhs, i);
			json_object *a, *ifn;

			if (!json_object_object_get_ex(nh, "address", &a) ||
			    !json_object_object_get_ex(nh, "interface", &ifn))
				continue;
			snprintf(
				rel, sizeof(rel),
				"nexthop[address='%s'][interface='%s']/neighbor",
				json_object_get_string(a),
				json_object_get_string(ifn));
			put_json(tree, base, rel, nh, "neighbor");
		}
	}
}

static void add_export(struct lyd_node *tree, const char *state,
		       json_object *ex)
{
	static const char *const keys[][2] = {
		{"configured", "configured"},
		{"connected", "connected"},
		{"origin", "origin"},
		{"exported", "exported"},
		{"acknowledged", "acknowledged"},
		{"queued", "queued"},
		{"spooled", "spooled"},
		{"dropped", "dropped"},
		{"rejected", "rejected"},
	};
	char base[1024];

	snprintf(base, sizeof(base), "%s/export", state);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		put_json(tree, base, keys[i][0], ex, keys[i][1]);
}

int oper_add_state(struct lyd_node *tree, const char *vty_dir, char *err,
		   size_t errlen)
{
	json_object *db = NULL, *routes = NULL, *ex = NULL;
	struct ly_set *set = NULL;
	int rc = -1;

	if (!tree)
		return 0;
	if (lyd_find_xpath(tree,
			   "/frr-isisd:isis/instance/frr-cfn:compute-routing",
			   &set) != LY_SUCCESS) {
		snprintf(err, errlen, "cannot look up compute-routing");
		return -1;
	}
	if (set->count == 0) {
		rc = 0;
		goto out;
	}
	if (!(db = show_json(vty_dir, "show isis compute database json", err,
			     errlen)) ||
	    !(routes = show_json(vty_dir, "show isis compute routes json", err,
				 errlen)) ||
	    !(ex = show_json(vty_dir, "show isis compute export json", err,
			     errlen)))
		goto out;
	for (uint32_t i = 0; i < set->count; i++) {
		struct lyd_node *cr = set->dnodes[i];
		struct lyd_node *tag = NULL;
		char state[1024];

		lyd_find_path(lyd_parent(cr), "area-tag", 0, &tag);
		lyd_path(cr, LYD_PATH_STD, state, sizeof(state) - 8);
		strcat(state, "/state");
		put(tree, state, "database", NULL);
		put(tree, state, "decisions", NULL);
		add_database(tree, state, lyd_get_value(tag), db);
		/* decisions and export are router-wide: the first instance */
		if (i == 0) {
			add_decisions(tree, state, routes);
			add_export(tree, state, ex);
		}
	}
	rc = 0;
out:
	json_object_put(db);
	json_object_put(routes);
	json_object_put(ex);
	ly_set_free(set, NULL);
	return rc;
}
