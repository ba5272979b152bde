// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The exporter's append-only spool file: records waiting for the ledger,
 * in submission order, surviving a restart of the routing daemon.
 *
 * Entry:  u32 length (BE) | u32 CRC32C(seq || data) (BE) | u64 seq | data
 *
 * A torn or corrupt tail (crash while spooling) is truncated on open; the
 * file is emptied only once every record in it has been acknowledged.
 */
#ifndef CFN_EXPORT_SPOOL_H
#define CFN_EXPORT_SPOOL_H

#include <stddef.h>
#include <stdint.h>

#define EXPORT_SPOOL_HDR 16

struct export_spool;

/*
 * Open or create path.  *records / *size: valid records and bytes kept;
 * *dropped: bytes of torn tail truncated away.
 */
int export_spool_open(const char *path, struct export_spool **out,
		      uint64_t *records, uint64_t *size, uint64_t *dropped,
		      char *err, size_t errlen);
void export_spool_close(struct export_spool *s);
uint64_t export_spool_size(const struct export_spool *s);
/* Append one record (not yet durable); *end: file offset after it. */
int export_spool_append(struct export_spool *s, uint64_t seq,
			const uint8_t *data, size_t len, uint64_t *end,
			char *err, size_t errlen);
int export_spool_sync(struct export_spool *s, char *err, size_t errlen);
/*
 * Read the record at off into buf (size >= its length): 0 with *seq, *len,
 * *next set, -1 on I/O error or corruption.
 */
int export_spool_read(struct export_spool *s, uint64_t off, uint64_t *seq,
		      uint8_t *buf, size_t size, size_t *len, uint64_t *next,
		      char *err, size_t errlen);
/* Empty the file (all acknowledged). */
int export_spool_reset(struct export_spool *s, char *err, size_t errlen);

#endif
