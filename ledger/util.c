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
		return cfn_err(err, errlen, "open directory %s: %s", dir,
			       strerror(errno));
	if (fsync(fd) < 0) {
		int e = errno;

		close(fd);
		return cfn_err(err, errlen, "fsync directory %s: %s", dir,
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
		return cfn_err(err, errlen, "open %s: %s", path,
			       strerror(errno));
	if (fstat(fd, &st) < 0 || (size_t)st.st_size > limit) {
		close(fd);
		return cfn_err(err, errlen,
			       "%s: unreadable or larger than %zu bytes", path,
			       limit);
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		return cfn_err(err, errlen, "out of memory");
	}
	if (pread_all(fd, buf, (size_t)st.st_size, 0) != 0) {
		close(fd);
		free(buf);
		return cfn_err(err, errlen, "read %s failed", path);
	}
	close(fd);
	buf[st.st_size] = '\0';
	*out = buf;
	if (len)
		*len = (size_t)st.st_size;
	return 0;
}

int dir_check(const char *dir, bool private, char *err, size_t errlen)
{
	uid_t me = geteuid();
	struct stat st;

	if (lstat(dir, &st) < 0)
		return cfn_err(err, errlen, "%s: %s", dir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return cfn_err(err, errlen,
			       "%s is not a directory (a symlink?)", dir);
	if (st.st_uid != me && (private || st.st_uid != 0))
		return cfn_err(
			err, errlen,
			"refusing to write into %s: owned by uid %u, not by us (uid %u)",
			dir, (unsigned)st.st_uid, (unsigned)me);
	if ((st.st_mode & 022) && (private || !(st.st_mode & S_ISVTX)))
		return cfn_err(
			err, errlen,
			"refusing to write into %s: writable by group or others (mode %04o)",
			dir, (unsigned)(st.st_mode & 07777));
	return 0;
}

int file_is_exposed(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && (st.st_mode & 077) ? 1 : 0;
}

int write_file_atomic(const char *path, const void *data, size_t len, int mode,
		      char *err, size_t errlen)
{
	char tmp[4096], dir[4096], *dn;
	int fd;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return cfn_err(err, errlen, "path too long: %s", path);
	snprintf(dir, sizeof(dir), "%s", path);
	dn = dirname(dir);
	if (dir_check(dn, false, err, errlen) < 0)
		return -1;
	/* never through a planted link; a leftover is removed, not reused */
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  mode);
	if (fd < 0 && errno == EEXIST && unlink(tmp) == 0)
		fd = open(tmp,
			  O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			  mode);
	if (fd < 0)
		return cfn_err(err, errlen, "create %s: %s", tmp,
			       strerror(errno));
	/* open() honours the umask; the mode is a promise (keys: 0600). */
	if (fchmod(fd, mode) < 0 || write_all(fd, data, len) < 0 ||
	    fsync(fd) < 0) {
		int e = errno;

		close(fd);
		unlink(tmp);
		return cfn_err(err, errlen, "write %s: %s", tmp, strerror(e));
	}
	if (close(fd) < 0) {
		unlink(tmp);
		return cfn_err(err, errlen, "close %s: %s", tmp,
			       strerror(errno));
	}
	if (rename(tmp, path) < 0) {
		int e = errno;

		unlink(tmp);
		return cfn_err(err, errlen, "rename %s: %s", path, strerror(e));
	}
	return fsync_dir(dn, err, errlen);
}
