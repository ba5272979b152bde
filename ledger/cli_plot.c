// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cfn-ledger --dir DIR plot --out BASE [--service PREFIX] [--title TEXT]
 *                            [--events FILE]
 *
 * Draws the decision timeline of a ledger: one row per (router, service),
 * coloured by the site the router chose, from its first decision to the
 * last one in the log; events (lines "UNIX-TIME LABEL", e.g. a load report)
 * are marked with dashed lines.  Writes BASE.png, BASE.svg, and BASE.dat (the
 * segments: start, end, row, site) and BASE.gp (the gnuplot script).
 *
 * The records are read through `cfn-ledger tail --json --once` (this same
 * binary), so the plot sees exactly what tail decodes, whatever the
 * storage format; gnuplot (Debian's gnuplot-nox) draws.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "cli_plot.h"

#define PLOT_MAX_ROWS 512
#define PLOT_MAX_SITES 64

struct plot_point {
	double t;
	int row, site;
};

struct plot {
	char *rows[PLOT_MAX_ROWS]; /* "origin" or "origin service" */
	int nrows;
	char *sites[PLOT_MAX_SITES];
	int nsites;
	struct plot_point *pts;
	size_t npts, cap;
	double tmin, tmax;
};

/* "2026-12-06T01:02:03.123456789Z" -> Unix seconds; -1 if malformed. */
static double parse_time(const char *s)
{
	struct tm tm = {0};
	unsigned long ns = 0;
	int n = 0;
	char frac[16] = "";

	if (!s ||
	    sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon,
		   &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) != 6)
		return -1;
	if (s[n] == '.' && sscanf(s + n + 1, "%9[0-9]", frac) == 1) {
		size_t len = strlen(frac);

		ns = strtoul(frac, NULL, 10);
		while (len++ < 9)
			ns *= 10;
	}
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return (double)timegm(&tm) + (double)ns / 1e9;
}

static int intern(char **tab, int *n, int max, const char *s)
{
	for (int i = 0; i < *n; i++)
		if (!strcmp(tab[i], s))
			return i;
	if (*n >= max)
		return -1;
	tab[*n] = strdup(s);
	return tab[*n] ? (*n)++ : -1;
}

static int add_record(struct plot *p, struct json_object *o,
		      const char *service, bool many_services)
{
	struct json_object *v, *sites;
	const char *origin, *svc;
	char row[256], site[256] = "";
	double t;
	int ri, si;

	if (!json_object_object_get_ex(o, "origin", &v))
		return 0; /* another record kind: not a decision */
	origin = json_object_get_string(v);
	if (!json_object_object_get_ex(o, "service", &v) ||
	    !json_object_object_get_ex(o, "sites", &sites) ||
	    !json_object_is_type(sites, json_type_array))
		return 0;
	svc = json_object_get_string(v);
	if (service && strcmp(service, svc) != 0)
		return 0;
	if (!json_object_object_get_ex(o, "time", &v) ||
	    (t = parse_time(json_object_get_string(v))) < 0)
		return 0;
	for (size_t i = 0; i < json_object_array_length(sites); i++) {
		const char *n = json_object_get_string(
			json_object_array_get_idx(sites, i));
		size_t len = strlen(site);

		snprintf(site + len, sizeof(site) - len, "%s%s", i ? "+" : "",
			 n);
	}
	if (!site[0])
		snprintf(site, sizeof(site), "none");
	if (many_services)
		snprintf(row, sizeof(row), "%s %s", origin, svc);
	else
		snprintf(row, sizeof(row), "%s", origin);
	ri = intern(p->rows, &p->nrows, PLOT_MAX_ROWS, row);
	si = intern(p->sites, &p->nsites, PLOT_MAX_SITES, site);
	if (ri < 0 || si < 0)
		return -1;
	if (p->npts == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 256;
		struct plot_point *n = realloc(p->pts, cap * sizeof(*n));

		if (!n)
			return -1;
		p->pts = n;
		p->cap = cap;
	}
	p->pts[p->npts++] = (struct plot_point){t, ri, si};
	if (p->npts == 1 || t < p->tmin)
		p->tmin = t;
	if (p->npts == 1 || t > p->tmax)
		p->tmax = t;
	return 0;
}

/* Reads the decisions through `cfn-ledger --dir DIR tail --json --once`. */
static int read_records(struct plot *p, const char *dir, const char *service)
{
	int fd[2], status, rc = 0;
	char *line = NULL;
	size_t cap = 0;
	FILE *f;
	pid_t pid;

	if (pipe(fd) < 0)
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(fd[1], STDOUT_FILENO);
		close(fd[0]);
		close(fd[1]);
		execl("/proc/self/exe", "cfn-ledger", "--dir", dir, "tail",
		      "--json", "--from", "0", "--once", (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	f = fdopen(fd[0], "r");
	if (!f) {
		close(fd[0]);
		waitpid(pid, &status, 0);
		return -1;
	}
	while (rc == 0 && getline(&line, &cap, f) > 0) {
		struct json_object *o = json_tokener_parse(line);

		if (!o)
			continue;
		rc = add_record(p, o, service, service == NULL);
		json_object_put(o);
	}
	free(line);
	fclose(f);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		return -1;
	return rc;
}

static int cmp_point(const void *a, const void *b)
{
	const struct plot_point *x = a, *y = b;

	if (x->row != y->row)
		return x->row - y->row;
	return (x->t > y->t) - (x->t < y->t);
}

/* Segments "start end row site" of each row, the last one to tmax. */
static int write_data(const struct plot *p, const char *path)
{
	FILE *f = fopen(path, "w");
	double end_all = p->tmax - p->tmin + 1.0;

	if (!f)
		return -1;
	fprintf(f, "# seconds-from seconds-to row site\n");
	for (size_t i = 0; i < p->npts; i++) {
		const struct plot_point *a = &p->pts[i];
		double to = (i + 1 < p->npts && p->pts[i + 1].row == a->row)
				    ? p->pts[i + 1].t - p->tmin
				    : end_all;

		fprintf(f, "%.3f %.3f %d %d\n", a->t - p->tmin, to, a->row,
			a->site);
	}
	return fclose(f);
}

/* gnuplot SCRIPT, without a shell; 0 if it exits 0. */
static int run_gnuplot_script(const char *script)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		execlp("gnuplot", "gnuplot", script, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* Dashed lines and labels for the events of FILE, relative to t0. */
static int write_events(FILE *f, const char *path, double t0)
{
	FILE *ev = fopen(path, "r");
	char line[512], label[256];
	double t;
	int n = 0;

	if (!ev)
		return -1;
	while (fgets(line, sizeof(line), ev)) {
		if (sscanf(line, "%lf %255[^\n]", &t, label) != 2)
			continue;
		for (char *c = label; *c; c++)
			if (*c == '\'' || *c == '\\')
				*c = ' ';
		fprintf(f,
			"set arrow from %.3f, graph 0 to %.3f, graph 1 nohead "
			"dt 2 lc rgb '#777777'\n",
			t - t0, t - t0);
		fprintf(f,
			"set label '%s' at %.3f, graph %.2f left offset 0.3,0 "
			"font ',9' tc rgb '#444444'\n",
			label, t - t0, 0.97 - 0.06 * (n++ % 3));
	}
	fclose(ev);
	return 0;
}

static int run_gnuplot(const struct plot *p, const char *base,
		       const char *title, const char *events)
{
	static const char *const terms[][2] = {
		{"png", "pngcairo size 1100,%d font ',10'"},
		{"svg", "svg size 1100,%d dynamic font ',10'"},
	};
	char gp[4096];
	int height = 160 + 22 * p->nrows;
	FILE *f;

	snprintf(gp, sizeof(gp), "%s.gp", base);
	f = fopen(gp, "w");
	if (!f)
		return -1;
	for (size_t t = 0; t < 2; t++) {
		fprintf(f, "set terminal ");
		fprintf(f, terms[t][1], height);
		fprintf(f, "\nset output '%s.%s'\n", base, terms[t][0]);
		fprintf(f,
			"set title '%s'\nset xlabel 'seconds since the first "
			"decision'\nset grid x\nset key outside right\n",
			title);
		if (events && write_events(f, events, p->tmin) < 0) {
			fclose(f);
			return -2;
		}
		fprintf(f, "set yrange [-0.7:%d.9]\nset ytics (", p->nrows);
		for (int r = 0; r < p->nrows; r++)
			fprintf(f, "%s'%s' %d", r ? ", " : "", p->rows[r], r);
		fprintf(f, ")\nplot ");
		for (int s = 0; s < p->nsites; s++)
			fprintf(f,
				"%s'%s.dat' using 1:($4 == %d ? $3 : NaN):($2-$1)"
				":(0) with vectors nohead lw 12 lc %d title '%s'",
				s ? ", " : "", base, s, s + 1, p->sites[s]);
		fprintf(f, "\nunset output\n");
	}
	if (fclose(f) != 0)
		return -1;
	return run_gnuplot_script(gp);
}

int cli_plot(int argc, char **argv, const struct cli_opts *o)
{
	const char *dir = cli_need_dir("plot", o), *base = NULL,
		   *service = NULL,
		   *title = "Chosen site per router (ledger decisions)";
	const char *events = NULL;
	struct plot p = {0};
	char path[4096];
	int rc = 1, g;

	if (!dir)
		return 2;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--out") && i + 1 < argc)
			base = argv[++i];
		else if (!strcmp(argv[i], "--service") && i + 1 < argc)
			service = argv[++i];
		else if (!strcmp(argv[i], "--title") && i + 1 < argc)
			title = argv[++i];
		else if (!strcmp(argv[i], "--events") && i + 1 < argc)
			events = argv[++i];
		else {
			cli_err("plot",
				"usage: plot --out BASE "
				"[--service PREFIX] [--title TEXT] "
				"[--events FILE]");
			return 2;
		}
	}
	if (!base) {
		cli_err("plot", "needs --out BASE (writes BASE.png, BASE.svg)");
		return 2;
	}
	if (strchr(base, '\'') || strchr(title, '\'')) {
		cli_err("plot", "--out and --title must not contain quotes");
		return 2;
	}
	if (read_records(&p, dir, service) < 0) {
		cli_err("plot",
			"cannot read the decisions in %s (cfn-ledger "
			"tail failed)",
			dir);
		goto out;
	}
	if (!p.npts) {
		cli_err("plot", "no decision%s%s in %s", service ? " for " : "",
			service ? service : "", dir);
		goto out;
	}
	qsort(p.pts, p.npts, sizeof(*p.pts), cmp_point);
	snprintf(path, sizeof(path), "%s.dat", base);
	if (write_data(&p, path) < 0) {
		cli_err("plot", "%s: %s", path, strerror(errno));
		goto out;
	}
	g = run_gnuplot(&p, base, title, events);
	if (g == -2) {
		cli_err("plot", "%s: %s", events, strerror(errno));
		goto out;
	}
	if (g < 0) {
		cli_err("plot", "gnuplot failed (is gnuplot-nox installed?)");
		goto out;
	}
	printf("%s.png\n%s.svg\n", base, base);
	rc = 0;
out:
	for (int i = 0; i < p.nrows; i++)
		free(p.rows[i]);
	for (int i = 0; i < p.nsites; i++)
		free(p.sites[i]);
	free(p.pts);
	return rc;
}
