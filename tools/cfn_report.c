// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cfn-report: pushes a service's current load to the isisd module over its
 * local UNIX socket and prints the reply.
 *
 *   cfn-report [--socket PATH] [--timeout SECONDS] \
 *              service PREFIX available N [total N] [cpu P] ...
 *
 * Exit status: 0 accepted, 1 refused (locally or by the router),
 * 2 usage error or no answer from the socket.  "ok" goes to stdout, every
 * refusal and error to stderr.  --timeout bounds the whole exchange
 * (connect, send, reply), also when the router's listen queue is full.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "cfn_config.h"
#include "report_proto.h"

#define EXIT_REFUSED 1
#define EXIT_TROUBLE 2

static void usage(FILE *f)
{
	fprintf(f,
		"usage: cfn-report [--socket PATH] [--timeout SECONDS] service PREFIX\n"
		"                  available N [total N] [cpu PCT] [mem PCT] [gpu PCT]\n"
		"                  [score 0-10] [price TOKENS]\n"
		"Sends a load report to the cfnd_isis module; prints its reply.\n"
		"Socket: --socket, else $CFN_REPORT_SOCKET, else %s.\n"
		"Options: --socket PATH, --timeout SECONDS (whole exchange, "
		"default 5),\n"
		"         --help, --version.\n"
		"Prints \"ok\" on stdout; refusals and errors go to stderr.\n"
		"Exit: 0 ok, 1 refused, 2 usage or socket trouble.\n",
		CFN_REPORT_DEFAULT_SOCKET);
}

/* Joins argv into one request line; false when it would not fit. */
static bool join_args(int argc, char **argv, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int i = 0; i < argc; i++) {
		int k = snprintf(buf + n, len - n, "%s%s", i ? " " : "",
				 argv[i]);

		if (k < 0 || (size_t)k >= len - n)
			return false;
		n += (size_t)k;
	}
	return true;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Non-blocking connect: a UNIX socket whose listen queue is full answers
 * EAGAIN (a blocking connect would wait for ever); retry until `end`.
 */
static int connect_to(const char *path, long long end)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "cfn-report: socket path too long: %s\n", path);
		return -1;
	}
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	while (fd >= 0 &&
	       connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		if (errno == EAGAIN && now_ms() < end) {
			poll(NULL, 0, 20);
			continue;
		}
		fprintf(stderr, "cfn-report: cannot connect to %s: %s\n", path,
			errno == EAGAIN ? "listen queue full until the timeout"
					: strerror(errno));
		close(fd);
		return -1;
	}
	if (fd < 0)
		fprintf(stderr, "cfn-report: socket: %s\n", strerror(errno));
	return fd;
}

static bool send_all(int fd, const char *buf, size_t len, long long end)
{
	while (len) {
		struct pollfd pfd = {.fd = fd, .events = POLLOUT};
		long long left = end - now_ms();
		ssize_t k;

		if (left <= 0 || poll(&pfd, 1, (int)left) == 0) {
			fprintf(stderr, "cfn-report: send: timed out\n");
			return false;
		}
		k = send(fd, buf, len, MSG_NOSIGNAL);
		if (k < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (k <= 0) {
			fprintf(stderr, "cfn-report: send: %s\n",
				strerror(errno));
			return false;
		}
		buf += k;
		len -= (size_t)k;
	}
	return true;
}

/* Reads one reply line (with its newline) before `end`. */
static ssize_t read_reply(int fd, char *buf, size_t len, long long end,
			  int timeout_ms)
{
	size_t n = 0;

	while (n < len) {
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		long long left = end - now_ms();
		ssize_t k;

		if (left <= 0 || poll(&pfd, 1, (int)left) == 0) {
			fprintf(stderr, "cfn-report: no reply within %d ms\n",
				timeout_ms);
			return -1;
		}
		k = recv(fd, buf + n, len - n, 0);
		if (k < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (k < 0) {
			fprintf(stderr, "cfn-report: recv: %s\n",
				strerror(errno));
			return -1;
		}
		if (k == 0)
			break;
		n += (size_t)k;
		if (memchr(buf, '\n', n))
			break;
	}
	if (n == 0) {
		fprintf(stderr,
			"cfn-report: connection closed without a reply\n");
		return -1;
	}
	return (ssize_t)n;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"socket", required_argument, NULL, 's'},
		{"timeout", required_argument, NULL, 't'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	const char *path = getenv("CFN_REPORT_SOCKET");
	char line[CFN_REPORT_LINE_MAX + 2], reply[CFN_REPORT_LINE_MAX + 2];
	char err[CFN_REPORT_LINE_MAX];
	struct cfn_report r;
	double timeout = 5;
	ssize_t n;
	char *nl, *end;
	long long deadline;
	int c, fd;
	bool ok;

	if (!path || !*path)
		path = CFN_REPORT_DEFAULT_SOCKET;
	/* '+': stop at "service" so request words are never options */
	while ((c = getopt_long(argc, argv, "+s:t:hV", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			path = optarg;
			break;
		case 't':
			timeout = strtod(optarg, &end);
			if (*end || timeout <= 0 || timeout > 3600) {
				fprintf(stderr,
					"cfn-report: bad timeout '%s' (seconds, 0-3600)\n",
					optarg);
				return EXIT_TROUBLE;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("cfn-report %s\n", PACKAGE_VERSION);
			return 0;
		default:
			usage(stderr);
			return EXIT_TROUBLE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return EXIT_TROUBLE;
	}
	if (!join_args(argc - optind, argv + optind, line,
		       CFN_REPORT_LINE_MAX + 1) ||
	    strlen(line) > CFN_REPORT_LINE_MAX) {
		fprintf(stderr,
			"cfn-report: error: message longer than %d octets\n",
			CFN_REPORT_LINE_MAX);
		return EXIT_REFUSED;
	}
	/* refuse locally what the router would refuse, with the same words */
	if (!cfn_report_parse(line, strlen(line), &r, err, sizeof(err))) {
		fprintf(stderr, "cfn-report: error: %s\n", err);
		return EXIT_REFUSED;
	}
	strcat(line, "\n");

	deadline = now_ms() + (long long)(timeout * 1000);
	fd = connect_to(path, deadline);
	if (fd < 0)
		return EXIT_TROUBLE;
	if (!send_all(fd, line, strlen(line), deadline)) {
		close(fd);
		return EXIT_TROUBLE;
	}
	n = read_reply(fd, reply, sizeof(reply) - 1, deadline,
		       (int)(timeout * 1000));
	close(fd);
	if (n < 0)
		return EXIT_TROUBLE;
	reply[n] = '\0';
	nl = strchr(reply, '\n');
	if (nl)
		n = nl - reply + 1;
	ok = cfn_report_parse_reply(reply, (size_t)n, err, sizeof(err));
	if (ok) {
		printf("ok\n");
		return 0;
	}
	if (strncmp(reply, "error: ", 7) == 0) {
		fprintf(stderr, "cfn-report: error: %s\n", err);
		return EXIT_REFUSED;
	}
	fprintf(stderr, "cfn-report: %s\n", err);
	return EXIT_TROUBLE;
}
