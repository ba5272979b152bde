// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cfn-ledger tail [--json] [--from N] [--once] (--socket PATH | --dir DIR)
 *
 * Follows new log entries.  With --socket it subscribes to cfn-ledgerd
 * (durable entries only); with --dir it polls a read-only view of the
 * store (entries written, possibly not yet fsync'd).
 * --once (with --dir): print what is there and exit.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <json-c/json.h>

#include "cli.h"
#include "export_proto.h"
#include "record.h"
#include "store.h"
#include "cli_token.h"
#include "util.h"

static int print_entry(uint64_t index, const uint8_t *data, size_t len,
		       bool json)
{
	struct json_object *o;
	struct record r;
	char err[256], addr[64];
	int i;

	if (token_record_is(data, len)) /* doc/tokens.md */
		return cli_token_print_entry("tail", index, data, len, true,
					     json);
	if (record_decode(data, len, &r, err, sizeof(err)) < 0) {
		cli_err("tail", "entry %llu: %s", (unsigned long long)index,
			err);
		return -1;
	}
	if (json) {
		o = record_to_json_obj(&r);
		if (!o)
			return -1;
		json_object_object_add(o, "index",
				       json_object_new_uint64(index));
		printf("%s\n", json_object_to_json_string_ext(
				       o, JSON_C_TO_STRING_PLAIN));
		json_object_put(o);
	} else {
		o = record_to_json_obj(&r);
		snprintf(addr, sizeof(addr), "%s",
			 o ? json_object_get_string(
				     json_object_object_get(o, "service"))
			   : "?");
		printf("%llu %s seq=%llu %s ->", (unsigned long long)index,
		       r.origin, (unsigned long long)r.seq, addr);
		for (i = 0; i < r.nsites; i++)
			printf(" %s", r.sites[i]);
		printf(" cost=%u\n", r.cost);
		json_object_put(o);
	}
	fflush(stdout);
	return 0;
}

/*
 * Re-open the read-only view each round: it sees what the daemon has
 * written since, and never a torn tail.
 */
static int tail_dir(const char *dir, uint64_t from, bool once, bool json)
{
	struct ledger_store *s;
	struct store_recovery rec;
	char err[256];
	uint8_t *data;
	size_t len;
	uint64_t next = from, size;

	for (;;) {
		if (store_open_ro(dir, &s, &rec, err, sizeof(err)) < 0) {
			cli_err("tail", "%s: %s", dir, err);
			return 1;
		}
		size = store_size(s);
		for (; next < size; next++) {
			if (store_get(s, next, &data, &len, err, sizeof(err)) <
			    0) {
				cli_err("tail", "entry %llu: %s",
					(unsigned long long)next, err);
				store_close(s);
				return 1;
			}
			if (print_entry(next, data, len, json) < 0) {
				free(data);
				store_close(s);
				return 1;
			}
			free(data);
		}
		store_close(s);
		if (once)
			return 0;
		usleep(500000);
	}
}

static int tail_socket(const char *path, uint64_t from, bool json)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct export_buf in = {0}, out = {0};
	struct export_frame f;
	struct export_entry e;
	struct export_error er;
	char err[256];
	size_t used, off;
	ssize_t n;
	int fd, code, rc;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		cli_err("tail", "socket path too long");
		return 1;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		cli_err("tail", "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return 1;
	}
	if (export_enc_subscribe(&out, from) < 0 ||
	    write_all(fd, out.data, out.len) < 0) {
		cli_err("tail", "subscribe: %s", strerror(errno));
		close(fd);
		return 1;
	}
	export_buf_free(&out);
	for (;;) {
		if (export_buf_reserve(&in, 65536) < 0)
			break;
		n = read(fd, in.data + in.len, in.cap - in.len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			cli_err("tail", "ledger closed the connection");
			break;
		}
		in.len += (size_t)n;
		off = 0;
		while ((rc = export_frame_parse(in.data + off, in.len - off, &f,
						&used, &code, err,
						sizeof(err))) == 1) {
			off += used;
			if (f.type == EXPORT_MSG_ERROR &&
			    export_dec_error(&f, &er, NULL, 0) == 0) {
				cli_err("tail", "ledger: %s", er.reason);
				goto out;
			}
			if (export_dec_entry(&f, &e, err, sizeof(err)) < 0 ||
			    print_entry(e.index, e.data, e.len, json) < 0)
				goto out;
		}
		if (rc < 0) {
			cli_err("tail", "%s", err);
			break;
		}
		export_buf_consume(&in, off);
	}
out:
	close(fd);
	export_buf_free(&in);
	return 1;
}

int cli_tail(int argc, char **argv, const struct cli_opts *o)
{
	const char *dir = o->dir, *sock = o->socket;
	uint64_t from = 0;
	bool json = false, once = false;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = true;
		else if (!strcmp(argv[i], "--once"))
			once = true;
		else if (!strcmp(argv[i], "--from") && i + 1 < argc)
			from = strtoull(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--dir") && i + 1 < argc)
			dir = argv[++i];
		else if (!strcmp(argv[i], "--socket") && i + 1 < argc)
			sock = argv[++i];
		else {
			cli_err("tail",
				"usage: tail [--json] [--from N] "
				"[--once] (--socket PATH | --dir DIR)");
			return 2;
		}
	}
	if (!!dir == !!sock) {
		cli_err("tail", "needs exactly one of --socket and --dir");
		return 2;
	}
	if (once && !dir) {
		cli_err("tail", "--once needs --dir");
		return 2;
	}
	return dir ? tail_dir(dir, from, once, json)
		   : tail_socket(sock, from, json);
}
