// SPDX-License-Identifier: GPL-2.0-or-later
/* Small helpers shared by the ledger core: error text and careful I/O. */
#ifndef CFN_LEDGER_UTIL_H
#define CFN_LEDGER_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "bytes.h"
#include "errfmt.h"

/* The ledger's name for cfn_err() (lib/errfmt.h): one error convention. */
#define lerr cfn_err

int write_all(int fd, const void *buf, size_t len);
int pwrite_all(int fd, const void *buf, size_t len, off_t off);
/* 0 ok, 1 short read (EOF), -1 error (errno). */
int pread_all(int fd, void *buf, size_t len, off_t off);
/* fsync the directory holding new/renamed entries. */
int fsync_dir(const char *dir, char *err, size_t errlen);
/* Whole file, NUL-terminated, malloc'd; limit bounds the size. */
int read_file(const char *path, size_t limit, char **out, size_t *len,
	      char *err, size_t errlen);
/* Atomically replace path with data: temp, fsync, rename, fsync dir. */
int write_file_atomic(const char *path, const void *data, size_t len, int mode,
		      char *err, size_t errlen);

#endif
