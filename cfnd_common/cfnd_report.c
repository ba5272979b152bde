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

#include "cfnd_debug.h"
#include "cfnd_model.h"
#include "cfnd_report.h"

DEFINE_MTYPE_STATIC(CFND, CFND_REPORT_CONN, "CFN load-report connection");

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
/* "report-socket PATH": router-wide, "" = the default path */
static char conf_path[sizeof(listen_path)];
static struct thread *t_start;

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
		zlog_debug("%s: report \"%.*s\": %s", cfnd_ops->name, (int)len,
			   line, reply);
	/* A reply is one short line: a client that cannot take it is gone. */
	if (write(c->fd, reply, strlen(reply)) < 0 && IS_DEBUG_CFN_REPORT)
		zlog_debug("%s: report reply lost: %s", cfnd_ops->name,
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
			zlog_debug("%s: report reply lost", cfnd_ops->name);
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

static int report_listen(const char *path, char *err, size_t errlen)
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
	zlog_info("%s: load reports on %s", cfnd_ops->name, path);
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

int cfnd_report_configure(const char *path, char *err, size_t errlen)
{
	if (path && path[0] != '/') {
		snprintf(err, errlen, "report-socket needs an absolute path");
		return -1;
	}
	if (path && strlen(path) >= sizeof(conf_path)) {
		snprintf(err, errlen, "socket path too long: %s", path);
		return -1;
	}
	/* the old socket stays until the new one listens */
	if (report_listen(path, err, errlen))
		return -1;
	strlcpy(conf_path, path ? path : "", sizeof(conf_path));
	return 0;
}

const char *cfnd_report_configured(void)
{
	return conf_path[0] ? conf_path : NULL;
}

/* Which socket to listen on is known only once the whole configuration is
 * read (report-socket comes after compute-routing), so this is an event. */
static void report_start_event(struct thread *t)
{
	char err[256];

	if (report_listen(conf_path[0] ? conf_path : NULL, err, sizeof(err)))
		zlog_warn("%s: load reports not available: %s", cfnd_ops->name,
			  err);
}

void cfnd_report_start(void)
{
	thread_add_event(master, report_start_event, NULL, 0, &t_start);
}

void cfnd_report_fini(void)
{
	THREAD_OFF(t_start);
	report_stop();
	conf_path[0] = '\0';
}
