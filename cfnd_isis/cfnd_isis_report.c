// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The local load-report socket: an agent on the compute site (cfn-report)
 * pushes the real load of hosted services, one line per request
 * (doc/report-protocol.md).  Reports change run-time state only, never the
 * configuration, and go through the metric model and damping like any load
 * change.
 */
#include <zebra.h>

#include <sys/un.h>

#include "libfrr.h"
#include "log.h"
#include "memory.h"
#include "network.h"
#include "prefix.h"
#include "sockopt.h"
#include "thread.h"

#include "isisd/isisd.h"

#include "cfnd_isis.h"
#include "cfnd_isis_debug.h"

DEFINE_MTYPE_STATIC(ISISD, CFND_REPORT_CONN, "CFN load-report connection");

extern struct thread_master *master;

struct report_conn {
	int fd;
	struct thread *t_read;
	size_t len;
	char buf[CFN_REPORT_LINE_MAX + 2];
};

static int listen_fd = -1;
static struct thread *t_accept;
static char listen_path[sizeof(((struct sockaddr_un *)0)->sun_path)];

int cfnd_apply_report(const struct cfn_report *r, char *err, size_t errlen)
{
	struct cfnd_area *ca;
	struct prefix p;
	int found = 0;

	cfnd_prefix_from_svc(&r->prefix, &p);
	frr_each (cfnd_areas, &cfnd_areas, ca) {
		struct cfnd_service *s;
		uint32_t total;
		bool news;

		if (!ca->enabled || !(s = cfnd_service_find(ca, &p)))
			continue;
		total = (r->present & CFN_SE_CAP_TOTAL) ? r->total
							: s->capacity;
		if (total == 0 || r->available > total) {
			snprintfrr(err, errlen,
				   "available %u exceeds capacity %u of %pFX",
				   r->available, total, &p);
			return -1;
		}
		news = total != s->capacity ||
		       ((r->present & CFN_SE_PRICE) &&
			r->price_milli != s->reported_price_milli);
		s->capacity = total;
		s->available = r->available;
		s->reported |=
			r->present & (CFN_SE_CPU | CFN_SE_MEM | CFN_SE_GPU |
				      CFN_SE_SCORE | CFN_SE_PRICE);
		if (r->present & CFN_SE_CPU)
			s->cpu_pct = r->cpu_pct;
		if (r->present & CFN_SE_MEM)
			s->mem_pct = r->mem_pct;
		if (r->present & CFN_SE_GPU)
			s->gpu_pct = r->gpu_pct;
		if (r->present & CFN_SE_SCORE)
			s->score = r->score;
		if (r->present & CFN_SE_PRICE)
			s->reported_price_milli = r->price_milli;
		if (news)
			cfnd_service_advertise_now(s);
		else
			cfnd_service_load_changed(ca, s);
		found++;
	}
	if (!found) {
		snprintfrr(err, errlen, "service %pFX is not hosted here", &p);
		return -1;
	}
	return 0;
}

static void conn_close(struct report_conn *c)
{
	THREAD_OFF(c->t_read);
	close(c->fd);
	XFREE(MTYPE_CFND_REPORT_CONN, c);
}

static void handle_line(struct report_conn *c, const char *line, size_t len)
{
	char reply[CFN_REPORT_LINE_MAX + 16], err[CFN_REPORT_LINE_MAX];
	struct cfn_report r;

	if (cfn_report_handle(line, len, &r, reply, sizeof(reply)) &&
	    cfnd_apply_report(&r, err, sizeof(err)))
		cfn_report_reply(false, err, reply, sizeof(reply));
	if (IS_DEBUG_CFN_REPORT)
		zlog_debug("%s: report \"%.*s\": %s", CFND_ISIS_NAME, (int)len,
			   line, reply);
	/* A reply is one short line: a client that cannot take it is gone. */
	if (write(c->fd, reply, strlen(reply)) < 0 && IS_DEBUG_CFN_REPORT)
		zlog_debug("%s: report reply lost: %s", CFND_ISIS_NAME,
			   safe_strerror(errno));
}

static void conn_read(struct thread *t)
{
	struct report_conn *c = THREAD_ARG(t);
	ssize_t n;
	char *nl;

	n = read(c->fd, c->buf + c->len, sizeof(c->buf) - c->len);
	if (n < 0 && ERRNO_IO_RETRY(errno)) {
		thread_add_read(master, conn_read, c, c->fd, &c->t_read);
		return;
	}
	if (n <= 0) {
		conn_close(c);
		return;
	}
	c->len += n;
	while ((nl = memchr(c->buf, '\n', c->len))) {
		size_t line_len = nl - c->buf + 1;

		handle_line(c, c->buf, line_len);
		memmove(c->buf, c->buf + line_len, c->len - line_len);
		c->len -= line_len;
	}
	if (c->len == sizeof(c->buf)) {
		const char *too_long =
			"error: request longer than 512 octets\n";

		if (write(c->fd, too_long, strlen(too_long)) < 0)
			zlog_debug("%s: report reply lost", CFND_ISIS_NAME);
		conn_close(c);
		return;
	}
	thread_add_read(master, conn_read, c, c->fd, &c->t_read);
}

static void report_accept(struct thread *t)
{
	struct report_conn *c;
	int fd;

	thread_add_read(master, report_accept, NULL, listen_fd, &t_accept);
	fd = accept(listen_fd, NULL, NULL);
	if (fd < 0)
		return;
	set_nonblocking(fd);
	c = XCALLOC(MTYPE_CFND_REPORT_CONN, sizeof(*c));
	c->fd = fd;
	thread_add_read(master, conn_read, c, fd, &c->t_read);
}

static void report_stop(void)
{
	THREAD_OFF(t_accept);
	if (listen_fd >= 0) {
		close(listen_fd);
		unlink(listen_path);
	}
	listen_fd = -1;
	listen_path[0] = '\0';
}

int cfnd_report_listen(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd;

	if (!path)
		path = cfnd_report_default_path();
	if (listen_fd >= 0 && strcmp(path, listen_path) == 0)
		return 0;
	if (strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(err, errlen, "socket path too long: %s", path);
		return -1;
	}
	strlcpy(sa.sun_path, path, sizeof(sa.sun_path));
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", safe_strerror(errno));
		return -1;
	}
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    chmod(path, 0660) < 0 || listen(fd, 16) < 0) {
		snprintf(err, errlen, "%s: %s", path, safe_strerror(errno));
		close(fd);
		return -1;
	}
	set_nonblocking(fd);
	report_stop();
	listen_fd = fd;
	strlcpy(listen_path, path, sizeof(listen_path));
	thread_add_read(master, report_accept, NULL, listen_fd, &t_accept);
	zlog_info("%s: load reports on %s", CFND_ISIS_NAME, path);
	return 0;
}

const char *cfnd_report_default_path(void)
{
	static char path[300];

	snprintf(path, sizeof(path), "%s/cfn-report.sock", frr_vtydir);
	return path;
}

const char *cfnd_report_path(void)
{
	return listen_fd >= 0 ? listen_path : NULL;
}

void cfnd_isis_report_fini(void)
{
	report_stop();
}
