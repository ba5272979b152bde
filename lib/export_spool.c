// SPDX-License-Identifier: GPL-2.0-or-later
/* Exporter spool file; see export_spool.h. */
#include "export_spool.h"
#include "errfmt.h"
#include "bytes.h"
#include "crc32c.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "export_proto.h"

struct export_spool {
	int fd;
	uint64_t size;
	char *path;
};


static int pread_full(int fd, void *buf, size_t len, uint64_t off)
{
	uint8_t *p = buf;
	ssize_t n;

	while (len) {
		n = pread(fd, p, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			return 1;
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

static uint32_t entry_crc(const uint8_t *hdr, const uint8_t *data, size_t len)
{
	return crc32c(crc32c(0, hdr + 8, 8), data, len);
}

int export_spool_read(struct export_spool *s, uint64_t off, uint64_t *seq,
		      uint8_t *buf, size_t size, size_t *len, uint64_t *next,
		      char *err, size_t errlen)
{
	uint8_t hdr[EXPORT_SPOOL_HDR];
	uint32_t n;
	int rc;

	rc = pread_full(s->fd, hdr, sizeof(hdr), off);
	if (rc)
		return cfn_err(err, errlen, "spool %s: %s at %llu", s->path,
			       rc < 0 ? strerror(errno) : "short entry",
			       (unsigned long long)off);
	n = get_be32(hdr);
	if (n < 1 || n > EXPORT_RECORD_MAX || n > size)
		return cfn_err(err, errlen,
			       "spool %s: bad entry length %u at %llu", s->path,
			       n, (unsigned long long)off);
	rc = pread_full(s->fd, buf, n, off + sizeof(hdr));
	if (rc)
		return cfn_err(err, errlen, "spool %s: %s at %llu", s->path,
			       rc < 0 ? strerror(errno) : "short entry",
			       (unsigned long long)off);
	if (entry_crc(hdr, buf, n) != get_be32(hdr + 4))
		return cfn_err(err, errlen,
			       "spool %s: checksum mismatch at %llu", s->path,
			       (unsigned long long)off);
	*seq = (uint64_t)get_be32(hdr + 8) << 32 | get_be32(hdr + 12);
	*len = n;
	*next = off + sizeof(hdr) + n;
	return 0;
}

int export_spool_open(const char *path, struct export_spool **out,
		      uint64_t *records, uint64_t *size, uint64_t *dropped,
		      char *err, size_t errlen)
{
	struct export_spool *s;
	struct stat st;
	uint8_t *buf;
	uint64_t off = 0, next, seq, n = 0;
	size_t len;

	s = calloc(1, sizeof(*s));
	buf = malloc(EXPORT_RECORD_MAX);
	if (!s || !buf || !(s->path = strdup(path))) {
		free(buf);
		if (s)
			free(s->path);
		free(s);
		return cfn_err(err, errlen, "spool: out of memory");
	}
	s->fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (s->fd < 0 || fstat(s->fd, &st) < 0) {
		cfn_err(err, errlen, "spool %s: %s", path, strerror(errno));
		goto fail;
	}
	/* Keep the longest valid prefix: whatever follows was being written
	 * when the process died, and was never acknowledged. */
	while (off < (uint64_t)st.st_size &&
	       export_spool_read(s, off, &seq, buf, EXPORT_RECORD_MAX, &len,
				 &next, NULL, 0) == 0) {
		off = next;
		n++;
	}
	if (off < (uint64_t)st.st_size) {
		if (ftruncate(s->fd, (off_t)off) < 0 || fsync(s->fd) < 0) {
			cfn_err(err, errlen, "spool %s: truncate: %s", path,
				strerror(errno));
			goto fail;
		}
	}
	s->size = off;
	*records = n;
	*size = off;
	*dropped = (uint64_t)st.st_size - off;
	free(buf);
	*out = s;
	return 0;
fail:
	if (s->fd >= 0)
		close(s->fd);
	free(s->path);
	free(s);
	free(buf);
	return -1;
}

void export_spool_close(struct export_spool *s)
{
	if (!s)
		return;
	close(s->fd);
	free(s->path);
	free(s);
}

uint64_t export_spool_size(const struct export_spool *s)
{
	return s->size;
}

int export_spool_append(struct export_spool *s, uint64_t seq,
			const uint8_t *data, size_t len, uint64_t *end,
			char *err, size_t errlen)
{
	uint8_t hdr[EXPORT_SPOOL_HDR];
	ssize_t n;
	size_t done = 0;
	uint8_t *tmp;

	if (len < 1 || len > EXPORT_RECORD_MAX)
		return cfn_err(err, errlen, "spool: bad record length %zu",
			       len);
	put_be32(hdr, (uint32_t)len);
	put_be32(hdr + 8, (uint32_t)(seq >> 32));
	put_be32(hdr + 12, (uint32_t)seq);
	put_be32(hdr + 4, entry_crc(hdr, data, len));
	tmp = malloc(sizeof(hdr) + len);
	if (!tmp)
		return cfn_err(err, errlen, "spool: out of memory");
	memcpy(tmp, hdr, sizeof(hdr));
	memcpy(tmp + sizeof(hdr), data, len);
	while (done < sizeof(hdr) + len) {
		n = pwrite(s->fd, tmp + done, sizeof(hdr) + len - done,
			   (off_t)(s->size + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(tmp);
			/* Cut off the partial entry so the file stays a
			 * sequence of whole entries. */
			if (ftruncate(s->fd, (off_t)s->size) < 0) {
				/* open() will drop it as a torn tail */
			}
			return cfn_err(err, errlen, "spool %s: write: %s",
				       s->path, strerror(errno));
		}
		done += (size_t)n;
	}
	free(tmp);
	s->size += sizeof(hdr) + len;
	*end = s->size;
	return 0;
}

int export_spool_sync(struct export_spool *s, char *err, size_t errlen)
{
	if (fdatasync(s->fd) < 0)
		return cfn_err(err, errlen, "spool %s: fsync: %s", s->path,
			       strerror(errno));
	return 0;
}

int export_spool_reset(struct export_spool *s, char *err, size_t errlen)
{
	if (ftruncate(s->fd, 0) < 0 || fsync(s->fd) < 0)
		return cfn_err(err, errlen, "spool %s: truncate: %s", s->path,
			       strerror(errno));
	s->size = 0;
	return 0;
}
