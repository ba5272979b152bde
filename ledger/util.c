// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

int write_all(int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len) {
		ssize_t w = write(fd, p, len);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

int pwrite_all(int fd, const void *buf, size_t len, off_t off)
{
	const uint8_t *p = buf;

	while (len) {
		ssize_t w = pwrite(fd, p, len, off);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		off += w;
		len -= (size_t)w;
	}
	return 0;
}

int pread_all(int fd, void *buf, size_t len, off_t off)
{
	uint8_t *p = buf;

	while (len) {
		ssize_t r = pread(fd, p, len, off);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (r == 0)
			return 1;
		p += r;
		off += r;
		len -= (size_t)r;
	}
	return 0;
}

int fsync_dir(const char *dir, char *err, size_t errlen)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return lerr(err, errlen, "open directory %s: %s", dir,
			    strerror(errno));
	if (fsync(fd) < 0) {
		int e = errno;

		close(fd);
		return lerr(err, errlen, "fsync directory %s: %s", dir,
			    strerror(e));
	}
	close(fd);
	return 0;
}

int read_file(const char *path, size_t limit, char **out, size_t *len,
	      char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	char *buf;

	if (fd < 0)
		return lerr(err, errlen, "open %s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0 || (size_t)st.st_size > limit) {
		close(fd);
		return lerr(err, errlen,
			    "%s: unreadable or larger than %zu bytes", path,
			    limit);
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		return lerr(err, errlen, "out of memory");
	}
	if (pread_all(fd, buf, (size_t)st.st_size, 0) != 0) {
		close(fd);
		free(buf);
		return lerr(err, errlen, "read %s failed", path);
	}
	close(fd);
	buf[st.st_size] = '\0';
	*out = buf;
	if (len)
		*len = (size_t)st.st_size;
	return 0;
}

int write_file_atomic(const char *path, const void *data, size_t len, int mode,
		      char *err, size_t errlen)
{
	char tmp[4096], dir[4096];
	int fd;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return lerr(err, errlen, "path too long: %s", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0)
		return lerr(err, errlen, "create %s: %s", tmp, strerror(errno));
	/* open() honours the umask; the mode is a promise (keys: 0600). */
	if (fchmod(fd, mode) < 0 || write_all(fd, data, len) < 0 ||
	    fsync(fd) < 0) {
		int e = errno;

		close(fd);
		unlink(tmp);
		return lerr(err, errlen, "write %s: %s", tmp, strerror(e));
	}
	if (close(fd) < 0) {
		unlink(tmp);
		return lerr(err, errlen, "close %s: %s", tmp, strerror(errno));
	}
	if (rename(tmp, path) < 0) {
		int e = errno;

		unlink(tmp);
		return lerr(err, errlen, "rename %s: %s", path, strerror(e));
	}
	snprintf(dir, sizeof(dir), "%s", path);
	return fsync_dir(dirname(dir), err, errlen);
}
