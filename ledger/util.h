// SPDX-License-Identifier: GPL-2.0-or-later
/* Small helpers shared by the ledger core: error text and careful I/O. */
#ifndef CFN_LEDGER_UTIL_H
#define CFN_LEDGER_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "bytes.h"
#include "errfmt.h"

int write_all(int fd, const void *buf, size_t len);
int pwrite_all(int fd, const void *buf, size_t len, off_t off);
/* 0 ok, 1 short read (EOF), -1 error (errno). */
int pread_all(int fd, void *buf, size_t len, off_t off);
/* fsync the directory holding new/renamed entries. */
int fsync_dir(const char *dir, char *err, size_t errlen);
/* Whole file, NUL-terminated, malloc'd; limit bounds the size. */
int read_file(const char *path, size_t limit, char **out, size_t *len,
	      char *err, size_t errlen);
/*
 * Atomically replace path with data: temp, fsync, rename, fsync dir.  The
 * temp file PATH.tmp is created with O_EXCL|O_NOFOLLOW (a planted
 * symlink or file there is removed, never followed), in a directory that
 * must pass dir_check(dir, false).
 */
int write_file_atomic(const char *path, const void *data, size_t len, int mode,
		      char *err, size_t errlen);
/*
 * Is dir a safe place for our files?  It must be a real directory owned
 * by us (or root), not writable by others unless sticky; `private`
 * (private keys) also refuses any group/other write and another owner
 * than us.  -1 with the reason.
 */
int dir_check(const char *dir, bool private, char *err, size_t errlen);
/* 1 if the file is readable by group or others (a private key leaks). */
int file_is_exposed(const char *path);

#endif
