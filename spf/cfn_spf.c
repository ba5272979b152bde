// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cfn-spf: run the compute-weighted SPF on a topology file and print one
 * router's decisions (doc/cspf.md).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cfn_spf.h"
#include "cfn_spf_json.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: cfn-spf [--json] [--ecmp N] --root ID FILE\n"
		"  --json      machine-readable output\n"
		"  --ecmp N    at most N first hops per destination (0: no limit)\n"
		"  --root ID   the router whose decisions are printed\n"
		"  FILE        topology JSON ('-' for standard input)\n");
}

static char *read_all(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	size_t cap = 65536, n = 0;
	char *buf;

	if (!f)
		return NULL;
	buf = malloc(cap + 1);
	while (buf) {
		size_t r = fread(buf + n, 1, cap - n, f);
		char *nb;

		n += r;
		if (n < cap) {
			if (ferror(f)) {
				free(buf);
				buf = NULL;
			}
			break;
		}
		cap *= 2;
		nb = realloc(buf, cap + 1);
		if (!nb)
			free(buf);
		buf = nb;
	}
	if (f != stdin)
		fclose(f);
	if (buf) {
		buf[n] = '\0';
		*len = n;
	}
	return buf;
}

static const struct cfn_spf *g_sort;

static int cmp_id(const void *a, const void *b)
{
	return strcmp(cfn_spf_router_id(g_sort, *(const uint32_t *)a),
		      cfn_spf_router_id(g_sort, *(const uint32_t *)b));
}

static int cmp_svc(const void *a, const void *b)
{
	return strcmp(cfn_spf_service_key(g_sort, *(const uint32_t *)a),
		      cfn_spf_service_key(g_sort, *(const uint32_t *)b));
}

/* Router indexes sorted by id, as the output promises. */
static void sort_ids(const struct cfn_spf *c, uint32_t *v, uint32_t n)
{
	g_sort = c;
	qsort(v, n, sizeof(*v), cmp_id);
}

static json_object *id_array(const struct cfn_spf *c, const uint32_t *v,
			     uint32_t n, uint32_t *tmp)
{
	json_object *a = json_object_new_array();

	memcpy(tmp, v, n * sizeof(*tmp));
	sort_ids(c, tmp, n);
	for (uint32_t i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_string(
						 cfn_spf_router_id(c, tmp[i])));
	return a;
}

static bool shown(const struct cfn_spf *c, uint32_t r)
{
	return r != cfn_spf_root(c) &&
	       cfn_spf_distance(c, r) != CFN_SPF_DIST_INF &&
	       !cfn_spf_is_pseudonode(c, r);
}

static int print_json(const struct cfn_spf *c, const uint32_t *order,
		      const uint32_t *sorder, uint32_t *tmp, uint32_t *tmp2)
{
	json_object *top = json_object_new_object();
	json_object *routers = json_object_new_object();
	json_object *svcs = json_object_new_object();
	uint32_t n = cfn_spf_router_count(c), ns = cfn_spf_service_count(c);

	json_object_object_add(
		top, "root",
		json_object_new_string(cfn_spf_router_id(c, cfn_spf_root(c))));
	for (uint32_t i = 0; i < n; i++) {
		uint32_t r = order[i], k;
		json_object *o;

		if (!shown(c, r))
			continue;
		o = json_object_new_object();
		json_object_object_add(
			o, "distance",
			json_object_new_int64((int64_t)cfn_spf_distance(c, r)));
		k = cfn_spf_nexthops(c, r, tmp2, n);
		json_object_object_add(o, "nexthops",
				       id_array(c, tmp2, k, tmp));
		json_object_object_add(routers, cfn_spf_router_id(c, r), o);
	}
	json_object_object_add(top, "routers", routers);
	for (uint32_t i = 0; i < ns; i++) {
		uint32_t s = sorder[i];
		const struct cfn_spf_decision *d = cfn_spf_decision(c, s);
		json_object *o, *edges;
		struct cfn_spf_edge *ev;
		int ne;

		if (!d || !d->nsites)
			continue;
		o = json_object_new_object();
		json_object_object_add(o, "sites",
				       id_array(c, d->sites, d->nsites, tmp));
		json_object_object_add(o, "cost",
				       json_object_new_int64((int64_t)d->cost));
		json_object_object_add(
			o, "distance",
			json_object_new_int64((int64_t)d->distance));
		json_object_object_add(o, "metric",
				       json_object_new_int64(d->metric));
		json_object_object_add(
			o, "nexthops",
			id_array(c, d->nexthops, d->nnexthops, tmp));
		ne = cfn_spf_service_path_edges(c, s, NULL, 0, NULL);
		edges = json_object_new_array();
		ev = ne > 0 ? calloc((size_t)ne, sizeof(*ev)) : NULL;
		if (ev && cfn_spf_service_path_edges(c, s, ev, (uint32_t)ne,
						     NULL) == ne) {
			for (int e = 0; e < ne; e++) {
				json_object *p = json_object_new_array();

				json_object_array_add(
					p, json_object_new_string(
						   cfn_spf_router_id(
							   c, ev[e].from)));
				json_object_array_add(
					p, json_object_new_string(
						   cfn_spf_router_id(
							   c, ev[e].to)));
				json_object_array_add(edges, p);
			}
		}
		free(ev);
		json_object_object_add(o, "edges", edges);
		json_object_object_add(svcs, cfn_spf_service_key(c, s), o);
	}
	json_object_object_add(top, "services", svcs);
	puts(json_object_to_json_string_ext(
		top, JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(top);
	return 0;
}

static void print_ids(const struct cfn_spf *c, const uint32_t *v, uint32_t n,
		      uint32_t *tmp)
{
	memcpy(tmp, v, n * sizeof(*tmp));
	sort_ids(c, tmp, n);
	if (!n)
		printf(" (local)");
	for (uint32_t i = 0; i < n; i++)
		printf("%s%s", i ? "," : " ", cfn_spf_router_id(c, tmp[i]));
}

static int print_table(const struct cfn_spf *c, const uint32_t *order,
		       const uint32_t *sorder, uint32_t *tmp, uint32_t *tmp2)
{
	uint32_t n = cfn_spf_router_count(c), ns = cfn_spf_service_count(c);

	printf("Root: %s\n\n%-20s %12s  %s\n",
	       cfn_spf_router_id(c, cfn_spf_root(c)), "Router", "Distance",
	       "Next hops");
	for (uint32_t i = 0; i < n; i++) {
		uint32_t r = order[i], k;

		if (!shown(c, r))
			continue;
		k = cfn_spf_nexthops(c, r, tmp2, n);
		printf("%-20s %12llu ", cfn_spf_router_id(c, r),
		       (unsigned long long)cfn_spf_distance(c, r));
		print_ids(c, tmp2, k, tmp);
		printf("\n");
	}
	printf("\n%-24s %12s %10s %10s  %s / %s\n", "Service", "Cost",
	       "Distance", "Metric", "Sites", "Next hops");
	for (uint32_t i = 0; i < ns; i++) {
		const struct cfn_spf_decision *d =
			cfn_spf_decision(c, sorder[i]);

		if (!d || !d->nsites) {
			printf("%-24s %12s\n",
			       cfn_spf_service_key(c, sorder[i]), "-");
			continue;
		}
		printf("%-24s %12llu %10llu %10u ",
		       cfn_spf_service_key(c, sorder[i]),
		       (unsigned long long)d->cost,
		       (unsigned long long)d->distance, d->metric);
		print_ids(c, d->sites, d->nsites, tmp);
		printf(" /");
		print_ids(c, d->nexthops, d->nnexthops, tmp);
		printf("\n");
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"json", no_argument, NULL, 'j'},
		{"root", required_argument, NULL, 'r'},
		{"ecmp", required_argument, NULL, 'e'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *root_id = NULL, *file;
	unsigned long ecmp = 0;
	bool json = false;
	struct cfn_spf_error err;
	struct cfn_spf *c;
	uint32_t *order, *sorder, *tmp, *tmp2, n, ns;
	char *text, *end;
	size_t len;
	int opt, root, rc;

	while ((opt = getopt_long(argc, argv, "jr:e:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			json = true;
			break;
		case 'r':
			root_id = optarg;
			break;
		case 'e':
			errno = 0;
			ecmp = strtoul(optarg, &end, 10);
			if (errno || *end || !*optarg || ecmp > UINT32_MAX ||
			    optarg[0] == '-') {
				fprintf(stderr,
					"cfn-spf: --ecmp: must be 0..4294967295\n");
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (!root_id || optind != argc - 1) {
		usage(stderr);
		return 2;
	}
	file = argv[optind];
	text = read_all(file, &len);
	if (!text) {
		fprintf(stderr, "cfn-spf: %s: %s\n", file, strerror(errno));
		return 1;
	}
	c = cfn_spf_new();
	if (!c) {
		fprintf(stderr, "cfn-spf: out of memory\n");
		return 1;
	}
	rc = cfn_spf_load_json(c, text, len, &err);
	free(text);
	if (rc) {
		fprintf(stderr, "cfn-spf: %s: %s\n", file, err.msg);
		cfn_spf_free(c);
		return 1;
	}
	root = cfn_spf_find_router(c, root_id);
	if (root < 0) {
		fprintf(stderr, "cfn-spf: --root: unknown router \"%s\"\n",
			root_id);
		cfn_spf_free(c);
		return 1;
	}
	cfn_spf_set_ecmp_limit(c, (uint32_t)ecmp);
	if (cfn_spf_run(c, (uint32_t)root, &err)) {
		fprintf(stderr, "cfn-spf: %s\n", err.msg);
		cfn_spf_free(c);
		return 1;
	}
	n = cfn_spf_router_count(c);
	ns = cfn_spf_service_count(c);
	order = malloc(((size_t)n + 1) * sizeof(*order));
	sorder = malloc(((size_t)ns + 1) * sizeof(*sorder));
	tmp = malloc(((size_t)n + 1) * sizeof(*tmp));
	tmp2 = malloc(((size_t)n + 1) * sizeof(*tmp2));
	if (!order || !sorder || !tmp || !tmp2) {
		fprintf(stderr, "cfn-spf: out of memory\n");
		return 1;
	}
	for (uint32_t i = 0; i < n; i++)
		order[i] = i;
	sort_ids(c, order, n);
	for (uint32_t i = 0; i < ns; i++)
		sorder[i] = i;
	g_sort = c;
	qsort(sorder, ns, sizeof(*sorder), cmp_svc);
	if (json)
		print_json(c, order, sorder, tmp, tmp2);
	else
		print_table(c, order, sorder, tmp, tmp2);
	free(order);
	free(sorder);
	free(tmp);
	free(tmp2);
	cfn_spf_free(c);
	return 0;
}
