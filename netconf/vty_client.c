// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "vty_client.h"

/* A daemon busy with SPF still answers within seconds; a dead one never. */
#define VTY_TIMEOUT_MS 30000

int vty_client_open(struct vty_client *vc, const char *dir, const char *daemon,
		    char *err, size_t errlen)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	char *out = NULL;

	if ((size_t)snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/%s.vty", dir,
			     daemon) >= sizeof(sa.sun_path)) {
		snprintf(err, errlen, "vty socket path %s/%s.vty too long", dir,
			 daemon);
		return -1;
	}
	vc->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (vc->fd < 0 ||
	    connect(vc->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		snprintf(err, errlen, "cannot reach %s at %s: %s", daemon,
			 sa.sun_path, strerror(errno));
		if (vc->fd >= 0)
			close(vc->fd);
		vc->fd = -1;
		return -1;
	}
	/* vtysh does the same: a new vtysh connection starts in VIEW. */
	if (vty_client_run(vc, "enable", &out) != 0) {
		snprintf(err, errlen, "%s refused 'enable': %s", daemon,
			 out ? out : "");
		free(out);
		vty_client_close(vc);
		return -1;
	}
	free(out);
	return 0;
}

static int wait_readable(int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	int n;

	do
		n = poll(&p, 1, VTY_TIMEOUT_MS);
	while (n < 0 && errno == EINTR);
	return n > 0 ? 0 : -1;
}

int vty_client_run(struct vty_client *vc, const char *cmd, char **out)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);
	const char *why = NULL;

	*out = NULL;
	if (!buf)
		return -1;
	if (send(vc->fd, cmd, strlen(cmd) + 1, MSG_NOSIGNAL) !=
	    (ssize_t)strlen(cmd) + 1) {
		why = "sending the command failed";
		goto fail;
	}
	for (;;) {
		ssize_t n;

		if (len + 1024 > cap) {
			char *nb = realloc(buf, cap * 2);

			if (!nb) {
				why = "out of memory";
				goto fail;
			}
			buf = nb;
			cap *= 2;
		}
		if (wait_readable(vc->fd)) {
			why = "the daemon did not answer";
			goto fail;
		}
		n = read(vc->fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			why = "the daemon closed the connection";
			goto fail;
		}
		len += n;
		/* output, then 0 0 0 and the return code */
		if (len >= 4 && buf[len - 4] == 0 && buf[len - 3] == 0 &&
		    buf[len - 2] == 0) {
			int ret = (unsigned char)buf[len - 1];

			buf[len - 4] = '\0';
			*out = buf;
			return ret;
		}
	}
fail:
	free(buf);
	*out = strdup(why);
	return -1;
}

void vty_client_close(struct vty_client *vc)
{
	if (vc->fd >= 0)
		close(vc->fd);
	vc->fd = -1;
}

int vty_client_show(const char *dir, const char *daemon, const char *cmd,
		    char **out)
{
	struct vty_client vc;
	char err[256];
	int ret;

	if (vty_client_open(&vc, dir, daemon, err, sizeof(err))) {
		*out = strdup(err);
		return -1;
	}
	ret = vty_client_run(&vc, cmd, out);
	vty_client_close(&vc);
	return ret;
}

void vty_client_oneline(char *s)
{
	char *p;

	if (!strncmp(s, "% ", 2))
		memmove(s, s + 2, strlen(s + 2) + 1);
	while ((p = strchr(s, '\n')))
		*p = (p[1] ? ' ' : '\0');
}
