// SPDX-License-Identifier: GPL-2.0-or-later
/* Persistent, never-repeating router sequence numbers; see export_seq.h. */
#include "export_seq.h"
#include "errfmt.h"
#include "crc32c.h"
#include "export_spool.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SEQ_FILE_MAX 64

struct export_seq {
	char *path;
	uint64_t next;	  /* next seq to hand out */
	uint64_t ceiling; /* durable: every seq handed out is below it */
};

static int save(struct export_seq *s, uint64_t ceiling, char *err,
		size_t errlen)
{
	char buf[SEQ_FILE_MAX], tmp[4096];
	int n, fd;

	n = snprintf(buf, sizeof(buf), "CFNSEQ1\n%" PRIu64 "\n", ceiling);
	n += snprintf(buf + n, sizeof(buf) - (size_t)n, "%08x\n",
		      crc32c(0, buf, (size_t)n));
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", s->path) >= (int)sizeof(tmp))
		return cfn_err(err, errlen, "seq file %s: path too long",
			       s->path);
	unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  0600);
	if (fd < 0 || write(fd, buf, (size_t)n) != n || fsync(fd) < 0 ||
	    close(fd) < 0 || rename(tmp, s->path) < 0 ||
	    export_fsync_parent(s->path) < 0) {
		int e = errno;

		if (fd >= 0)
			close(fd);
		unlink(tmp);
		return cfn_err(err, errlen, "seq file %s: %s", s->path,
			       strerror(e));
	}
	s->ceiling = ceiling;
	return 0;
}

int export_seq_open(const char *path, struct export_seq **out, char *err,
		    size_t errlen)
{
	struct export_seq *s = calloc(1, sizeof(*s));
	char buf[SEQ_FILE_MAX + 1];
	unsigned crc;
	uint64_t c;
	ssize_t n;
	int fd, used = 0;

	if (!s || !(s->path = strdup(path))) {
		free(s);
		return cfn_err(err, errlen, "seq file: out of memory");
	}
	s->next = 1;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno != ENOENT) {
		cfn_err(err, errlen, "seq file %s: %s", path, strerror(errno));
		goto fail;
	}
	if (fd >= 0) {
		n = read(fd, buf, SEQ_FILE_MAX);
		close(fd);
		buf[n > 0 ? n : 0] = '\0';
		/* damaged: refuse rather than risk handing out a used seq */
		if (n <= 0 ||
		    sscanf(buf, "CFNSEQ1\n%" SCNu64 "\n%n", &c, &used) != 1 ||
		    !used || sscanf(buf + used, "%8x\n", &crc) != 1 ||
		    strlen(buf + used) != 9 ||
		    crc != crc32c(0, buf, (size_t)used)) {
			cfn_err(err, errlen,
				"seq file %s is damaged: remove it only once every earlier seq of this router is known to be below the clock-derived floor",
				path);
			goto fail;
		}
		s->next = s->ceiling = c;
	}
	*out = s;
	return 0;
fail:
	free(s->path);
	free(s);
	return -1;
}

void export_seq_close(struct export_seq *s)
{
	if (!s)
		return;
	free(s->path);
	free(s);
}

int export_seq_next(struct export_seq *s, uint64_t floor, uint64_t *seq,
		    char *err, size_t errlen)
{
	uint64_t v = s->next > floor ? s->next : floor;

	if (v == UINT64_MAX)
		return cfn_err(err, errlen, "seq space exhausted");
	if (v >= s->ceiling &&
	    save(s,
		 v + EXPORT_SEQ_BLOCK < v ? UINT64_MAX : v + EXPORT_SEQ_BLOCK,
		 err, errlen) < 0)
		return -1;
	s->next = v + 1;
	*seq = v;
	return 0;
}
