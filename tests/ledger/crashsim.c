// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * LD_PRELOAD shim for crash tests: keeps, for every file of one directory,
 * a copy of what an fsync()/fdatasync() made durable, so a test can kill
 * the process and then put back only the durable state, as a power cut
 * that loses the page cache would.
 *
 *   CRASHSIM_DIR     the directory watched (absolute, no trailing '/')
 *   CRASHSIM_SHADOW  where the durable copies go (SHADOW/NAME)
 *
 * fsync(fd) or fdatasync(fd) of a file in CRASHSIM_DIR copies the whole
 * file to SHADOW/NAME.  rename() within the directory renames the copy.
 * fsync() of the directory itself writes the names it holds to
 * SHADOW/.dirlist: a name created (or renamed into place) after the last
 * directory fsync is lost at the crash, as on a real file system.  The
 * test writes the first .dirlist itself.  After the kill the test keeps
 * the names of .dirlist, each with its durable copy (empty if it has
 * none): whatever was never synced is lost.
 *
 * Built by the test itself (cc -shared -fPIC), never installed.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The name inside CRASHSIM_DIR of path, or NULL if it is elsewhere. */
static const char *watched(const char *path)
{
	const char *dir = getenv("CRASHSIM_DIR");
	size_t n;

	if (!dir || !path)
		return NULL;
	n = strlen(dir);
	if (strncmp(path, dir, n) != 0 || path[n] != '/' ||
	    strchr(path + n + 1, '/'))
		return NULL;
	return path + n + 1;
}

/* The directory's names, as its fsync made them durable. */
static void snapshot_names(const char *dir, const char *shadow)
{
	char dst[PATH_MAX], tmp[PATH_MAX + 8];
	struct dirent *de;
	FILE *f;
	DIR *d;

	snprintf(dst, sizeof(dst), "%s/.dirlist", shadow);
	snprintf(tmp, sizeof(tmp), "%s.cs-tmp", dst);
	d = opendir(dir);
	f = fopen(tmp, "w");
	while (d && f && (de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			fprintf(f, "%s\n", de->d_name);
	if (d)
		closedir(d);
	if (f) {
		fclose(f);
		rename(tmp, dst);
	}
}

static void copy_durable(int fd)
{
	const char *shadow = getenv("CRASHSIM_SHADOW"), *name;
	char link[64], path[PATH_MAX], dst[PATH_MAX], tmp[PATH_MAX + 8];
	char buf[65536];
	ssize_t n;
	off_t off = 0;
	int saved = errno, out, in = -1;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof(path) - 1);
	if (!shadow || n <= 0)
		goto out;
	path[n] = '\0';
	if (getenv("CRASHSIM_DIR") && !strcmp(path, getenv("CRASHSIM_DIR"))) {
		snapshot_names(path, shadow);
		goto out;
	}
	name = watched(path);
	if (!name)
		goto out;
	snprintf(dst, sizeof(dst), "%s/%s", shadow, name);
	snprintf(tmp, sizeof(tmp), "%s.cs-tmp", dst);
	/* fd may be write-only: read the same file through /proc */
	in = open(link, O_RDONLY | O_CLOEXEC);
	out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (in < 0 || out < 0) {
		if (out >= 0)
			close(out);
		goto out;
	}
	while ((n = pread(in, buf, sizeof(buf), off)) > 0) {
		if (write(out, buf, (size_t)n) != n)
			break;
		off += n;
	}
	close(out);
	rename(tmp, dst);
out:
	if (in >= 0)
		close(in);
	errno = saved;
}

int fsync(int fd)
{
	static int (*real)(int);

	if (!real)
		real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
	if (real(fd) < 0)
		return -1;
	copy_durable(fd);
	return 0;
}

int fdatasync(int fd)
{
	static int (*real)(int);

	if (!real)
		real = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
	if (real(fd) < 0)
		return -1;
	copy_durable(fd);
	return 0;
}

int rename(const char *from, const char *to)
{
	static int (*real)(const char *, const char *);
	const char *shadow = getenv("CRASHSIM_SHADOW"), *a, *b;
	char sa[PATH_MAX], sb[PATH_MAX];
	int saved;

	if (!real)
		real = (int (*)(const char *, const char *))dlsym(RTLD_NEXT,
								  "rename");
	if (real(from, to) < 0)
		return -1;
	saved = errno;
	a = watched(from);
	b = watched(to);
	if (shadow && a && b) {
		snprintf(sa, sizeof(sa), "%s/%s", shadow, a);
		snprintf(sb, sizeof(sb), "%s/%s", shadow, b);
		if (real(sa, sb) < 0)
			unlink(sb);
	}
	errno = saved;
	return 0;
}
