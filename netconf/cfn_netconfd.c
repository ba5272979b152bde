// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cfn-netconfd: a NETCONF server (RFC 6241, over SSH with public-key
 * authentication, RFC 6242) for the compute routing of one router, on
 * libnetconf2 and libyang.  The router's daemons are the datastore: they
 * are read and changed through their vty sockets (rpc.c).
 *
 *   cfn-netconfd --listen ADDR:PORT --host-key FILE --authorized-keys FILE
 *                --user NAME --vty-dir DIR [--pidfile FILE] [--daemon]
 *                [--yang-dir DIR]... [--log FILE]
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libssh/libssh.h>
#include <libyang/libyang.h>
#include <nc_server.h>

#include "authkeys.h"
#include "rpc.h"

#ifndef CFN_YANG_DIR
#define CFN_YANG_DIR "/usr/share/yang/cfn"
#endif
#ifndef CFN_FRR_YANG_DIR
#define CFN_FRR_YANG_DIR "/usr/share/yang"
#endif

#define ENDPOINT "ssh"
/* How long one poll waits: bounds the reaction to a new connection. */
#define POLL_MS 50

static volatile sig_atomic_t stopping;

static struct {
	const char *listen, *host_key, *authorized_keys, *user, *vty_dir;
	const char *pidfile, *log;
	const char *yang_dirs[8];
	int n_yang_dirs;
	int daemon;
} opt;

static void usage(FILE *f)
{
	fprintf(f,
		"usage: cfn-netconfd --listen ADDR:PORT --host-key FILE --authorized-keys FILE\n"
		"                    --user NAME --vty-dir DIR [--pidfile FILE] [--daemon]\n"
		"                    [--yang-dir DIR]... [--log FILE]\n"
		"  --listen          address and port of the SSH endpoint ([ADDR]:PORT for IPv6)\n"
		"  --host-key        the server's SSH private key (PEM or OpenSSH format)\n"
		"  --authorized-keys OpenSSH authorized_keys file of the keys that may log in\n"
		"  --user            the only user name accepted\n"
		"  --vty-dir         directory of the router's vty sockets (vtysh --vty_socket)\n"
		"  --yang-dir        where YANG modules are (frr-cfn, FRR's, ietf-netconf);\n"
		"                    default " CFN_YANG_DIR
		" and " CFN_FRR_YANG_DIR "\n");
}

static int parse_args(int argc, char **argv)
{
	static const struct option lo[] = {
		{"listen", required_argument, NULL, 'l'},
		{"host-key", required_argument, NULL, 'k'},
		{"authorized-keys", required_argument, NULL, 'a'},
		{"user", required_argument, NULL, 'u'},
		{"vty-dir", required_argument, NULL, 'v'},
		{"pidfile", required_argument, NULL, 'p'},
		{"daemon", no_argument, NULL, 'd'},
		{"yang-dir", required_argument, NULL, 'y'},
		{"log", required_argument, NULL, 'L'},
		{"help", no_argument, NULL, 'h'},
		{},
	};
	int c;

	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'l':
			opt.listen = optarg;
			break;
		case 'k':
			opt.host_key = optarg;
			break;
		case 'a':
			opt.authorized_keys = optarg;
			break;
		case 'u':
			opt.user = optarg;
			break;
		case 'v':
			opt.vty_dir = optarg;
			break;
		case 'p':
			opt.pidfile = optarg;
			break;
		case 'd':
			opt.daemon = 1;
			break;
		case 'L':
			opt.log = optarg;
			break;
		case 'y':
			if (opt.n_yang_dirs == 7) {
				fprintf(stderr,
					"cfn-netconfd: too many --yang-dir\n");
				return -1;
			}
			opt.yang_dirs[opt.n_yang_dirs++] = optarg;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind != argc || !opt.listen || !opt.host_key ||
	    !opt.authorized_keys || !opt.user || !opt.vty_dir) {
		usage(stderr);
		return -1;
	}
	if (!opt.n_yang_dirs) {
		opt.yang_dirs[opt.n_yang_dirs++] = CFN_YANG_DIR;
		/* FRR's own modules (frr-isisd), where FRR installed them */
		opt.yang_dirs[opt.n_yang_dirs++] = CFN_FRR_YANG_DIR;
	}
	return 0;
}

/* "ADDR:PORT" or "[ADDR]:PORT". */
static int split_listen(const char *s, char *addr, size_t len, uint16_t *port)
{
	const char *colon = strrchr(s, ':');
	const char *a = s, *e = colon;
	char *end;
	unsigned long p;

	if (!colon)
		return -1;
	if (*s == '[') {
		a = s + 1;
		e = strchr(s, ']');
		if (!e || e + 1 != colon)
			return -1;
	}
	if ((size_t)(e - a) >= len || e == a)
		return -1;
	memcpy(addr, a, e - a);
	addr[e - a] = '\0';
	p = strtoul(colon + 1, &end, 10);
	if (*end || p == 0 || p > 65535)
		return -1;
	*port = p;
	return 0;
}

static struct ly_ctx *make_context(void)
{
	static const char *nc_features[] = {
		"writable-running", "candidate", "rollback-on-error",
		"validate",	    "xpath",	 NULL};
	struct ly_ctx *ctx = NULL;

	if (ly_ctx_new(NULL, 0, &ctx) != LY_SUCCESS)
		return NULL;
	for (int i = 0; i < opt.n_yang_dirs; i++)
		ly_ctx_set_searchdir(ctx, opt.yang_dirs[i]);
	if (!ly_ctx_load_module(ctx, "ietf-netconf", "2013-09-29",
				nc_features) ||
	    !ly_ctx_load_module(ctx, "frr-cfn", NULL, NULL)) {
		fprintf(stderr,
			"cfn-netconfd: cannot load the YANG modules (ietf-netconf, frr-cfn and FRR's frr-isisd and frr-bgp) from the --yang-dir directories\n");
		ly_ctx_destroy(ctx);
		return NULL;
	}
	return ctx;
}

static int hostkey_clb(const char *name, void *user_data, char **privkey_path,
		       char **privkey_data, NC_SSH_KEY_TYPE *privkey_type)
{
	*privkey_path = strdup(opt.host_key);
	return *privkey_path ? 0 : -1;
}

static int pubkey_clb(const struct nc_session *session, ssh_key key,
		      void *user_data)
{
	const char *user = nc_session_get_username(session);

	if (!user || strcmp(user, opt.user)) {
		fprintf(stderr, "cfn-netconfd: refused user '%s'\n",
			user ? user : "");
		return 1;
	}
	/* Read each time: keys can be added or revoked without a restart. */
	if (!authkeys_match(opt.authorized_keys, key)) {
		fprintf(stderr, "cfn-netconfd: refused a key of user '%s'\n",
			user);
		return 1;
	}
	return 0;
}

static int setup_endpoint(void)
{
	char addr[256];
	uint16_t port;

	if (split_listen(opt.listen, addr, sizeof(addr), &port)) {
		fprintf(stderr, "cfn-netconfd: --listen %s is not ADDR:PORT\n",
			opt.listen);
		return -1;
	}
	if (access(opt.host_key, R_OK) || access(opt.authorized_keys, R_OK)) {
		fprintf(stderr, "cfn-netconfd: cannot read %s: %s\n",
			access(opt.host_key, R_OK) ? opt.host_key
						   : opt.authorized_keys,
			strerror(errno));
		return -1;
	}
	nc_server_ssh_set_hostkey_clb(hostkey_clb, NULL, NULL);
	nc_server_ssh_set_pubkey_auth_clb(pubkey_clb, NULL, NULL);
	if (nc_server_add_endpt(ENDPOINT, NC_TI_LIBSSH) ||
	    nc_server_endpt_set_address(ENDPOINT, addr) ||
	    nc_server_endpt_set_port(ENDPOINT, port) ||
	    nc_server_ssh_endpt_add_hostkey(ENDPOINT, "hostkey", -1) ||
	    nc_server_ssh_endpt_set_auth_methods(ENDPOINT,
						 NC_SSH_AUTH_PUBLICKEY) ||
	    nc_server_ssh_endpt_set_auth_attempts(ENDPOINT, 3)) {
		fprintf(stderr, "cfn-netconfd: cannot listen on %s\n",
			opt.listen);
		return -1;
	}
	return 0;
}

static void on_signal(int sig)
{
	stopping = 1;
}

/* Written whole then renamed: whoever sees the file sees the PID. */
static int write_pidfile(void)
{
	char tmp[4096];
	FILE *f;

	if (!opt.pidfile)
		return 0;
	snprintf(tmp, sizeof(tmp), "%s.tmp", opt.pidfile);
	f = fopen(tmp, "w");
	if (!f || fprintf(f, "%ld\n", (long)getpid()) < 0 || fclose(f) ||
	    rename(tmp, opt.pidfile)) {
		fprintf(stderr, "cfn-netconfd: %s: %s\n", opt.pidfile,
			strerror(errno));
		return -1;
	}
	return 0;
}

static int daemonize(void)
{
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid > 0)
		_exit(0);
	setsid();
	int fd = open("/dev/null", O_RDWR);

	if (fd >= 0) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		if (!opt.log)
			dup2(fd, STDERR_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
	return 0;
}

static void free_session(struct nc_pollsession *ps, struct nc_session *s)
{
	rpc_session_gone(nc_session_get_id(s));
	nc_ps_del_session(ps, s);
	nc_session_free(s, NULL);
}

static void serve(struct nc_pollsession *ps)
{
	while (!stopping) {
		struct nc_session *s = NULL;
		NC_MSG_TYPE m = nc_accept(0, &s);

		if (m == NC_MSG_HELLO)
			nc_ps_add_session(ps, s);
		s = NULL;
		int r = nc_ps_poll(ps, POLL_MS, &s);

		if (r & NC_PSPOLL_NOSESSIONS)
			usleep(POLL_MS * 1000);
		if ((r & NC_PSPOLL_SSH_CHANNEL) && s) {
			struct nc_session *ns = NULL;

			if (nc_session_accept_ssh_channel(s, &ns) ==
			    NC_MSG_HELLO)
				nc_ps_add_session(ps, ns);
		}
		if ((r & NC_PSPOLL_SESSION_TERM) && s)
			free_session(ps, s);
		/* a killed session is invalid without having been polled */
		for (uint16_t i = 0; i < nc_ps_session_count(ps); i++) {
			s = nc_ps_get_session(ps, i);
			if (nc_session_get_status(s) == NC_STATUS_INVALID) {
				free_session(ps, s);
				i--;
			}
		}
	}
}

int main(int argc, char **argv)
{
	struct rpc_server srv = {0};
	struct sigaction sa = {.sa_handler = on_signal};

	if (parse_args(argc, argv))
		return 2;
	if (opt.log && !freopen(opt.log, "a", stderr))
		return 1;
	setvbuf(stderr, NULL, _IOLBF, 0);
	nc_verbosity(NC_VERB_WARNING);
	srv.ctx = make_context();
	if (!srv.ctx)
		return 1;
	srv.vty_dir = opt.vty_dir;
	if (nc_server_init(srv.ctx) || rpc_init(&srv)) {
		fprintf(stderr,
			"cfn-netconfd: cannot start the NETCONF server\n");
		return 1;
	}
	if (setup_endpoint())
		return 1;
	if (opt.daemon && daemonize())
		return 1;
	if (write_pidfile())
		return 1;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	srv.ps = nc_ps_new();
	fprintf(stderr, "cfn-netconfd: listening on %s for user %s\n",
		opt.listen, opt.user);
	serve(srv.ps);
	nc_ps_clear(srv.ps, 1, NULL);
	nc_ps_free(srv.ps);
	nc_server_destroy();
	ly_ctx_destroy(srv.ctx);
	if (opt.pidfile)
		unlink(opt.pidfile);
	return 0;
}
