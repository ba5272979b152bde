// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cfn-ledgerd: the ledger writer.  Routers' exporters connect over a local
 * UNIX socket (doc/export-protocol.md); every record is verified against
 * the allowed router keys, appended, made durable by one fsync per event
 * loop iteration (group commit) and only then acknowledged.
 *
 * Single-threaded poll() loop; signals arrive through a signalfd.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "checkpoint.h"
#include "ledgerd.h"
#include "ledgerd_tls.h"
#include "ledgerd_witness.h"
#include "store.h"
#include "token_ledgerd.h"
#include "util.h"

struct opts {
	const char *dir, *keyfile, *socket, *origin, *pidfile, *owner;
	const char *policy;    /* witnesses to ask (ledgerd_witness.c) */
	struct ld_tls_cfg tls; /* TLS front (ledgerd_tls.c) */
	const char **allow_keys;
	size_t nallow_keys;
	mode_t mode;
	bool mode_set, daemon, syslog;
	unsigned interval, threads;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: cfn-ledgerd --dir DIR --key FILE --socket PATH "
		"[--origin NAME]\n"
		"         [--allow-key VKEYFILE ...] [--allow-uid UID ...]\n"
		"         [--socket-mode 0660] [--socket-owner USER:GROUP]\n"
		"         [--checkpoint-interval SECS] [--daemon --pidfile F] "
		"[--syslog]\n"
		"         [--verify-threads N (default: CPUs; 0: inline)]\n"
		"         [--issuer-key KEYFILE ...]\n"
		"         [--policy FILE (tlog-policy: witnesses to ask)]\n"
		"         [--tls-listen ADDR:PORT --tls-ca F --tls-cert F "
		"--tls-key F]\n");
}

static char *absolute(const char *p)
{
	char cwd[PATH_MAX], *r;

	if (p[0] == '/')
		return strdup(p);
	if (!getcwd(cwd, sizeof(cwd)))
		return NULL;
	if (asprintf(&r, "%s/%s", cwd, p) < 0)
		return NULL;
	return r;
}

static int parse_uid(const char *s, uid_t *out)
{
	struct passwd *pw;
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (*s && !*end && !errno && v < UINT32_MAX) {
		*out = (uid_t)v;
		return 0;
	}
	pw = getpwnam(s);
	if (!pw)
		return -1;
	*out = pw->pw_uid;
	return 0;
}

static int add_uid(struct ledgerd *d, uid_t uid)
{
	uid_t *n = realloc(d->uids, (d->nuids + 1) * sizeof(*n));

	if (!n)
		return -1;
	d->uids = n;
	d->uids[d->nuids++] = uid;
	return 0;
}

static int parse_opts(int argc, char **argv, struct opts *o, struct ledgerd *d)
{
	static const struct option lo[] = {
		{"dir", required_argument, NULL, 'd'},
		{"key", required_argument, NULL, 'k'},
		{"socket", required_argument, NULL, 's'},
		{"origin", required_argument, NULL, 'o'},
		{"allow-key", required_argument, NULL, 'a'},
		{"allow-uid", required_argument, NULL, 'u'},
		{"daemon", no_argument, NULL, 'D'},
		{"pidfile", required_argument, NULL, 'p'},
		{"socket-mode", required_argument, NULL, 'm'},
		{"socket-owner", required_argument, NULL, 'O'},
		{"checkpoint-interval", required_argument, NULL, 'i'},
		{"syslog", no_argument, NULL, 'S'},
		{"verify-threads", required_argument, NULL, 'T'},
		{"issuer-key", required_argument, NULL, 'I'},
		{"policy", required_argument, NULL, 'P'},
		{"tls-listen", required_argument, NULL, 1000},
		{"tls-ca", required_argument, NULL, 1001},
		{"tls-cert", required_argument, NULL, 1002},
		{"tls-key", required_argument, NULL, 1003},
		{"help", no_argument, NULL, 'h'},
		{},
	};
	const char **n;
	char *end;
	unsigned long v;
	uid_t uid;
	int c;

	o->interval = 10;
	o->threads = (unsigned)sysconf(_SC_NPROCESSORS_ONLN);
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'd':
			o->dir = optarg;
			break;
		case 'k':
			o->keyfile = optarg;
			break;
		case 's':
			o->socket = optarg;
			break;
		case 'o':
			o->origin = optarg;
			break;
		case 'a':
			n = realloc(o->allow_keys,
				    (o->nallow_keys + 1) * sizeof(*n));
			if (!n)
				return -1;
			o->allow_keys = n;
			o->allow_keys[o->nallow_keys++] = optarg;
			break;
		case 'u':
			if (parse_uid(optarg, &uid) < 0 ||
			    add_uid(d, uid) < 0) {
				fprintf(stderr, "cfn-ledgerd: bad uid %s\n",
					optarg);
				return -1;
			}
			break;
		case 'D':
			o->daemon = true;
			break;
		case 'p':
			o->pidfile = optarg;
			break;
		case 'm':
			v = strtoul(optarg, &end, 8);
			if (*end || v > 07777) {
				fprintf(stderr, "cfn-ledgerd: bad mode %s\n",
					optarg);
				return -1;
			}
			o->mode = (mode_t)v;
			o->mode_set = true;
			break;
		case 'O':
			o->owner = optarg;
			break;
		case 'i':
			v = strtoul(optarg, &end, 10);
			if (*end || !*optarg || v > 86400) {
				fprintf(stderr,
					"cfn-ledgerd: bad interval %s\n",
					optarg);
				return -1;
			}
			o->interval = (unsigned)v;
			break;
		case 'S':
			o->syslog = true;
			break;
		case 'T':
			v = strtoul(optarg, &end, 10);
			if (*end || !*optarg || v > 64) {
				fprintf(stderr,
					"cfn-ledgerd: bad thread count %s\n",
					optarg);
				return -1;
			}
			o->threads = (unsigned)v;
			break;
		case 'I': /* token issuers: doc/tokens.md */
			if (ld_tokens_issuer_opt(optarg) < 0)
				return -1;
			break;
		case 'P':
			o->policy = optarg;
			break;
		case 1000:
			o->tls.listen = optarg;
			break;
		case 1001:
			o->tls.ca = optarg;
			break;
		case 1002:
			o->tls.cert = optarg;
			break;
		case 1003:
			o->tls.key = optarg;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind != argc || !o->dir || !o->keyfile || !o->socket ||
	    (o->daemon && !o->pidfile)) {
		usage(stderr);
		return -1;
	}
	return 0;
}

static int set_owner(const char *path, const char *spec)
{
	char user[256], *colon;
	struct passwd *pw;
	struct group *gr;
	uid_t uid = (uid_t)-1;
	gid_t gid = (gid_t)-1;

	snprintf(user, sizeof(user), "%s", spec);
	colon = strchr(user, ':');
	if (colon) {
		*colon++ = '\0';
		gr = getgrnam(colon);
		if (!gr) {
			ld_log(LOG_ERR, "unknown group %s", colon);
			return -1;
		}
		gid = gr->gr_gid;
	}
	if (*user) {
		pw = getpwnam(user);
		if (!pw) {
			ld_log(LOG_ERR, "unknown user %s", user);
			return -1;
		}
		uid = pw->pw_uid;
	}
	if (chown(path, uid, gid) < 0) {
		ld_log(LOG_ERR, "chown %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int listen_on(const struct opts *o, const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct stat st;
	int fd, probe;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		ld_log(LOG_ERR, "socket path too long: %s", path);
		return -1;
	}
	strcpy(sa.sun_path, path);
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			ld_log(LOG_ERR, "%s exists and is not a socket", path);
			return -1;
		}
		/* A socket nobody answers on is a leftover of a crash. */
		probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (probe >= 0 &&
		    connect(probe, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
			close(probe);
			ld_log(LOG_ERR, "another daemon is serving %s", path);
			return -1;
		}
		if (probe >= 0)
			close(probe);
		unlink(path);
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(fd, 128) < 0) {
		ld_log(LOG_ERR, "socket %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if ((o->mode_set && chmod(path, o->mode) < 0) ||
	    (o->owner && set_owner(path, o->owner) < 0)) {
		if (o->mode_set)
			ld_log(LOG_ERR, "socket %s: mode/owner: %s", path,
			       strerror(errno));
		close(fd);
		unlink(path);
		return -1;
	}
	return fd;
}

static int load_keys(const struct opts *o, struct ledgerd *d)
{
	char err[256];
	size_t i;

	if (note_key_load(o->keyfile, &d->key, err, sizeof(err)) < 0) {
		ld_log(LOG_ERR, "key %s: %s", o->keyfile, err);
		return -1;
	}
	if (!d->key->has_private) {
		ld_log(LOG_ERR,
		       "key %s: a private key is needed to sign "
		       "checkpoints",
		       o->keyfile);
		return -1;
	}
	d->allow = calloc(o->nallow_keys + 1, sizeof(*d->allow));
	if (!d->allow)
		return -1;
	for (i = 0; i < o->nallow_keys; i++) {
		if (note_key_load(o->allow_keys[i], &d->allow[i], err,
				  sizeof(err)) < 0) {
			ld_log(LOG_ERR, "allowed key %s: %s", o->allow_keys[i],
			       err);
			return -1;
		}
		d->nallow++;
	}
	if (!d->nallow)
		ld_log(LOG_WARNING,
		       "no --allow-key given: every record will be rejected");
	return 0;
}

char *ld_checkpoint(struct ledgerd *d)
{
	char err[256], *note = NULL;

	if (checkpoint_publish(d->store, d->origin, d->key, &note, err,
			       sizeof(err)) < 0) {
		/* A checkpoint is written like the log: failing to make it
		 * durable leaves the disk state unknown. */
		ld_fatal("checkpoint: %s", err);
	}
	d->checkpoint_size = store_durable_size(d->store);
	ld_witness_post(note);
	return note;
}

static void peer_check(struct ledgerd *d, int fd)
{
	struct ucred cr;
	socklen_t len = sizeof(cr);
	struct ld_conn *c, **n;
	size_t i;

	c = ld_conn_new(d, fd);
	if (!c) {
		close(fd);
		return;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) < 0) {
		ld_conn_error(c, EXPORT_ERR_PEER, 0, "SO_PEERCRED: %s",
			      strerror(errno));
		ld_conn_write(c);
		ld_conn_free(c);
		return;
	}
	c->pid = cr.pid;
	c->uid = cr.uid;
	for (i = 0; i < d->nuids; i++)
		if (d->uids[i] == cr.uid)
			break;
	if (i == d->nuids) {
		ld_conn_error(c, EXPORT_ERR_PEER, 0,
			      "peer uid %u is not allowed", (unsigned)cr.uid);
		ld_conn_write(c);
		ld_conn_free(c);
		return;
	}
	n = realloc(d->conns, (d->nconns + 1) * sizeof(*n));
	if (!n) {
		ld_conn_free(c);
		return;
	}
	d->conns = n;
	d->conns[d->nconns++] = c;
}

/* Out of descriptors: stop accepting for a while instead of spinning. */
#define ACCEPT_PAUSE_MS 200

static uint64_t now_ms(void);

static void accept_all(struct ledgerd *d, int lfd, uint64_t *paused_until)
{
	int fd;

	for (;;) {
		fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return;
			ld_log(LOG_ERR, "accept: %s (%zu clients)",
			       strerror(errno), d->nconns);
			if (errno == EMFILE || errno == ENFILE ||
			    errno == ENOBUFS || errno == ENOMEM)
				*paused_until = now_ms() + ACCEPT_PAUSE_MS;
			return;
		}
		peer_check(d, fd);
	}
}

static void drop_conn(struct ledgerd *d, size_t i)
{
	ld_conn_free(d->conns[i]);
	d->conns[i] = d->conns[--d->nconns];
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* The commit point: one fsync for everything appended, then answers. */
static void commit(struct ledgerd *d)
{
	char err[256], *note = NULL;
	struct export_checkpoint cp;
	size_t i;

	ld_append_ready(d);
	if (d->appended) {
		d->syncs++;
		if (store_sync(d->store, err, sizeof(err)) < 0) {
			ld_fatal("fsync failed: %s", err);
		}
		d->appended = 0;
	}
	for (i = 0; i < d->nconns; i++)
		if (ld_conn_flush_acks(d, d->conns[i]) < 0)
			d->conns[i]->closing = true;
	if (!d->checkpoint_now)
		return;
	d->checkpoint_now = false;
	note = ld_checkpoint(d);
	cp.size = d->checkpoint_size;
	cp.note = (const uint8_t *)note;
	cp.note_len = note ? (uint32_t)strlen(note) : 0;
	for (i = 0; i < d->nconns; i++) {
		if (!d->conns[i]->want_checkpoint)
			continue;
		d->conns[i]->want_checkpoint = false;
		export_enc_checkpoint(&d->conns[i]->out, &cp);
	}
	free(note);
}

static int daemonize(const char *pidfile)
{
	int pfd[2], nul;
	char c = 0, buf[32], err[256];
	pid_t pid;

	if (pipe(pfd) < 0)
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid > 0) {
		/* Exit once the child is ready, so "started" means it. */
		close(pfd[1]);
		exit(read(pfd[0], &c, 1) == 1 ? 0 : 1);
	}
	close(pfd[0]);
	setsid();
	snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
	if (write_file_atomic(pidfile, buf, strlen(buf), 0644, err,
			      sizeof(err)) < 0) {
		ld_log(LOG_ERR, "pidfile: %s", err);
		return -1;
	}
	nul = open("/dev/null", O_RDWR);
	if (nul >= 0) {
		dup2(nul, 0);
		dup2(nul, 1);
		close(nul);
	}
	if (write(pfd[1], &c, 1) != 1)
		return -1;
	close(pfd[1]);
	return 0;
}

static int signals(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -1;
	signal(SIGPIPE, SIG_IGN);
	return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

/* 1: terminate, 0: go on. */
static int on_signal(struct ledgerd *d, int sfd)
{
	struct signalfd_siginfo si;
	int stop = 0;

	while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGTERM:
		case SIGINT:
			ld_log(LOG_NOTICE, "signal %u: shutting down",
			       si.ssi_signo);
			stop = 1;
			break;
		case SIGUSR1:
			d->checkpoint_now = true;
			break;
		default:
			break;
		}
	}
	return stop;
}

/* Input buffered per client before we stop reading from it. */
#define IN_MAX (2u << 20)

static bool conn_done(const struct ld_conn *c)
{
	return c->closing && (c->gone || !c->out.len);
}

static int serve(struct ledgerd *d, int lfd, int sfd, unsigned interval)
{
	struct pollfd *pfd = NULL, *np;
	uint64_t next_cp = now_ms() + (uint64_t)interval * 1000, now;
	size_t i, n, first = 0;
	bool backlog = false;
	uint64_t accept_paused = 0;
	int timeout;

	for (;;) {
		np = realloc(pfd, (d->nconns + 3) * sizeof(*pfd));
		if (!np) {
			ld_log(LOG_CRIT, "FATAL: out of memory");
			return 1;
		}
		pfd = np;
		pfd[0].fd = now_ms() < accept_paused ? -1 : lfd;
		pfd[0].events = POLLIN;
		pfd[1].fd = sfd;
		pfd[1].events = POLLIN;
		pfd[2].fd = ld_pipe_fd();
		pfd[2].events = POLLIN;
		n = d->nconns;
		for (i = 0; i < n; i++) {
			struct ld_conn *c = d->conns[i];

			/* Closed, but records of it still in the pipeline:
			 * keep the state, stop polling the socket. */
			pfd[3 + i].fd = conn_done(c) ? -1 : c->fd;
			pfd[3 + i].events =
				(!c->closing && c->in.len < IN_MAX ? POLLIN
								   : 0) |
				(c->out.len && !c->gone ? POLLOUT : 0);
		}
		now = now_ms();
		timeout = interval ? (int)(next_cp > now ? next_cp - now : 0)
				   : -1;
		/* Records being checked: collect stragglers below the
		 * workers' wake-up batch soon. */
		if (ld_pipe_len() && (timeout < 0 || timeout > 2))
			timeout = 2;
		if (backlog && ld_pipe_room())
			timeout = 0;
		if (pfd[0].fd < 0 && (timeout < 0 || timeout > ACCEPT_PAUSE_MS))
			timeout = ACCEPT_PAUSE_MS;
		if (poll(pfd, n + 3, timeout) < 0 && errno != EINTR) {
			ld_log(LOG_CRIT, "FATAL: poll: %s", strerror(errno));
			return 1;
		}
		if (pfd[1].revents && on_signal(d, sfd))
			break;
		for (i = 0; i < n; i++) {
			struct ld_conn *c = d->conns[i];

			if ((pfd[3 + i].revents &
			     (POLLIN | POLLHUP | POLLERR)) &&
			    !c->closing && ld_conn_recv(c) < 0)
				c->closing = c->gone = true;
		}
		/* Round robin, so no client always goes first when the
		 * pipeline is nearly full. */
		backlog = false;
		for (i = 0; i < n; i++) {
			struct ld_conn *c = d->conns[(first + i) % n];

			if (ld_conn_parse(d, c))
				backlog = true;
		}
		first = n ? (first + 1) % n : 0;
		now = now_ms();
		if (interval && now >= next_cp) {
			if (store_durable_size(d->store) !=
				    d->checkpoint_size ||
			    d->appended)
				d->checkpoint_now = true;
			next_cp = now + (uint64_t)interval * 1000;
		}
		/* Append what the verifiers finished, ONE fsync, answers. */
		commit(d);
		for (i = d->nconns; i-- > 0;) {
			struct ld_conn *c = d->conns[i];

			if (c->gone)
				c->out.len = 0;
			else if (ld_conn_feed(d, c) < 0 || ld_conn_write(c) < 0)
				c->closing = c->gone = true;
			if (conn_done(c) && !c->queued)
				drop_conn(d, i);
		}
		if (pfd[0].revents & POLLIN)
			accept_all(d, lfd, &accept_paused);
	}
	free(pfd);
	/* Let the records already being checked reach the log; they were
	 * never acknowledged, so giving up on them loses nothing promised. */
	for (now = now_ms(); ld_pipe_len();) {
		struct pollfd p = {.fd = ld_pipe_fd(), .events = POLLIN};

		if (now_ms() - now > 10000) {
			ld_log(LOG_ERR,
			       "shutdown: %zu records still being checked; "
			       "not appending them",
			       ld_pipe_len());
			return 1;
		}
		poll(&p, 1, 100);
		ld_append_ready(d);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct ledgerd d = {0};
	struct store_recovery rec;
	struct opts o = {0};
	char err[256], *dir, *sock, *pidfile = NULL, *note;
	int lfd, sfd, rc;

	if (parse_opts(argc, argv, &o, &d) < 0)
		return 2;
	if (o.syslog)
		ld_log_syslog();
	if (!d.nuids && add_uid(&d, getuid()) < 0)
		return 1;
	dir = absolute(o.dir);
	sock = absolute(o.socket);
	if (o.pidfile)
		pidfile = absolute(o.pidfile);
	d.blobs = calloc(EXPORT_BATCH_MAX, sizeof(*d.blobs));
	if (!dir || !sock || (o.pidfile && !pidfile) || !d.blobs)
		return 1;
	if (load_keys(&o, &d) < 0)
		return 1;
	d.origin = o.origin ? o.origin : d.key->name;
	if (!note_name_valid(d.origin)) {
		ld_log(LOG_ERR, "invalid log origin %s", d.origin);
		return 1;
	}
	if (store_open(dir, &d.store, &rec, err, sizeof(err)) < 0) {
		ld_log(LOG_ERR, "store %s: %s", dir, err);
		return 1;
	}
	if (rec.dropped_bytes)
		ld_log(LOG_WARNING,
		       "recovered %s: %llu entries, truncated %llu bytes of "
		       "torn tail",
		       dir, (unsigned long long)rec.entries,
		       (unsigned long long)rec.dropped_bytes);
	if (ld_tokens_open(&d) < 0)
		return 1;
	sfd = signals();
	if (sfd < 0) {
		ld_log(LOG_ERR, "signals: %s", strerror(errno));
		return 1;
	}
	/* The recovered log is durable: make its checkpoint current before
	 * anyone can connect. */
	note = ld_checkpoint(&d);
	free(note);
	lfd = listen_on(&o, sock);
	if (lfd < 0)
		return 1;
	if (o.daemon && daemonize(pidfile) < 0) {
		ld_log(LOG_ERR, "daemonize: %s", strerror(errno));
		return 1;
	}
	/* Threads after the fork: fork() keeps only the calling thread. */
	if (ld_pipe_init(&d, o.threads) < 0) {
		ld_log(LOG_ERR, "verify threads: out of memory");
		return 1;
	}
	o.tls.unix_path = sock;
	if (o.tls.listen && (!o.tls.ca || !o.tls.cert || !o.tls.key ||
			     ld_tls_start(&o.tls, err, sizeof(err)) < 0)) {
		ld_log(LOG_ERR, "--tls-listen: %s",
		       o.tls.ca && o.tls.cert && o.tls.key
			       ? err
			       : "needs --tls-ca, --tls-cert and --tls-key");
		return 1;
	}
	if (o.policy &&
	    ld_witness_start(o.policy, dir, d.key, err, sizeof(err)) < 0) {
		ld_log(LOG_ERR, "--policy: %s", err);
		return 1;
	}
	ld_log(LOG_NOTICE, "serving %s on %s: %llu entries, origin %s", dir,
	       sock, (unsigned long long)store_size(d.store), d.origin);
	rc = serve(&d, lfd, sfd, o.interval);
	if (rc == 0) {
		commit(&d);
		note = ld_checkpoint(&d);
		free(note);
		ld_log(LOG_NOTICE,
		       "stopped: %llu entries, checkpoint written; %llu "
		       "records received, %llu rejected, %llu commits",
		       (unsigned long long)store_size(d.store),
		       (unsigned long long)d.records_in,
		       (unsigned long long)d.records_rejected,
		       (unsigned long long)d.syncs);
	}
	ld_witness_stop();
	ld_tls_stop();
	close(lfd);
	unlink(sock);
	if (pidfile)
		unlink(pidfile);
	while (d.nconns)
		drop_conn(&d, d.nconns - 1);
	store_close(d.store);
	ld_tokens_close();
	for (size_t i = 0; i < d.nallow; i++)
		note_key_free(d.allow[i]);
	free(d.allow);
	note_key_free(d.key);
	free(d.conns);
	free(d.uids);
	free(d.blobs);
	free(o.allow_keys);
	free(dir);
	free(sock);
	free(pidfile);
	return rc;
}
