// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Baselines for bench-ledger, measured in the same run as the daemon:
 *
 *   ledger_bounds raw FILE BYTES COMMITS RECORDS
 *     a trivial writer: BYTES written to FILE in COMMITS equal chunks,
 *     each followed by fdatasync (the daemon's fsync cadence); prints
 *     "raw records/s R"
 *   ledger_bounds verify KEYFILE N
 *     Ed25519 record verification on one core; prints "verify records/s R"
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "note.h"
#include "record.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int raw(const char *path, unsigned long long bytes,
	       unsigned long long commits, unsigned long long records)
{
	size_t chunk = (size_t)(bytes / (commits ? commits : 1)) + 1;
	unsigned long long left = bytes, i;
	char *buf = malloc(chunk);
	double t0, t1;
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || !buf) {
		perror(path);
		return 1;
	}
	memset(buf, 0x5a, chunk);
	t0 = now_s();
	for (i = 0; i < commits && left; i++) {
		size_t w = left < chunk ? (size_t)left : chunk;

		n = write(fd, buf, w);
		if (n != (ssize_t)w || fdatasync(fd) < 0) {
			perror("write/fdatasync");
			return 1;
		}
		left -= w;
	}
	t1 = now_s();
	close(fd);
	free(buf);
	printf("raw records/s %.0f\n", (double)records / (t1 - t0));
	return 0;
}

static int verify(const char *keyfile, unsigned long n)
{
	struct note_key *key;
	struct record r = {0};
	char err[256];
	double t0, t1;
	unsigned long i;

	if (note_key_load(keyfile, &key, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	snprintf(r.origin, sizeof(r.origin), "%.63s", key->name);
	r.seq = 1;
	r.family = 4;
	r.plen = 32;
	r.nsites = 1;
	strcpy(r.sites[0], "edge1");
	r.npath = 2;
	strcpy(r.path[0], "a");
	strcpy(r.path[1], "edge1");
	if (record_sign(&r, key, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	t0 = now_s();
	for (i = 0; i < n; i++)
		if (record_verify(&r, &key, 1, err, sizeof(err)) < 0) {
			fprintf(stderr, "%s\n", err);
			return 1;
		}
	t1 = now_s();
	printf("verify records/s %.0f\n", (double)n / (t1 - t0));
	note_key_free(key);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 6 && !strcmp(argv[1], "raw"))
		return raw(argv[2], strtoull(argv[3], NULL, 10),
			   strtoull(argv[4], NULL, 10),
			   strtoull(argv[5], NULL, 10));
	if (argc == 4 && !strcmp(argv[1], "verify"))
		return verify(argv[2], strtoul(argv[3], NULL, 10));
	fprintf(stderr,
		"usage: ledger_bounds raw FILE BYTES COMMITS RECORDS"
		" | verify KEYFILE N\n");
	return 2;
}
