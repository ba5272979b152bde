// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A client of an FRR daemon's vty socket (DIR/isisd.vty), speaking the
 * protocol vtysh speaks: a command is sent NUL-terminated, the daemon
 * answers with the output followed by three NUL bytes and the command's
 * return code (CMD_SUCCESS = 0, ...).
 */
#ifndef CFN_VTY_CLIENT_H
#define CFN_VTY_CLIENT_H

#include <stddef.h>

struct vty_client {
	int fd;
};

/* Connects to DIR/DAEMON.vty and enters the enable node; 0 or -1 with
 * a message in err. */
int vty_client_open(struct vty_client *vc, const char *dir, const char *daemon,
		    char *err, size_t errlen);
/*
 * Runs one command; *out (malloc'd, NUL-terminated, may be NULL) receives
 * its output.  Returns the daemon's return code (0 = success), or -1 if the
 * connection failed (then *out holds the reason).
 */
int vty_client_run(struct vty_client *vc, const char *cmd, char **out);
void vty_client_close(struct vty_client *vc);

/* Opens, runs one command, closes: for "show" commands. */
int vty_client_show(const char *dir, const char *daemon, const char *cmd,
		    char **out);

/* A daemon's "% reason\n" output as one line for a message: without the
 * "% " and the newlines. */
void vty_client_oneline(char *s);

#endif /* CFN_VTY_CLIENT_H */
