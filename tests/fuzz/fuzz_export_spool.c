// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Exporter spool recovery: an arbitrary file (what a crash, a full disk or
 * corruption may leave) is opened; the valid prefix is kept, the rest cut
 * off, and every kept record reads back with a good checksum.  Appending
 * after recovery must keep the file readable to its end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "export_proto.h"
#include "export_spool.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	static uint8_t buf[EXPORT_RECORD_MAX];
	struct export_spool *s;
	uint64_t recs, kept, dropped, off = 0, seq, next, n = 0, end;
	size_t len;
	FILE *f;

	if (!path[0])
		snprintf(path, sizeof(path), "/dev/shm/fuzz-spool.%d",
			 (int)getpid());
	f = fopen(path, "wb");
	if (!f)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	if (export_spool_open(path, &s, &recs, &kept, &dropped, NULL, 0) < 0)
		abort();
	if (kept + dropped != size || export_spool_size(s) != kept)
		abort();
	while (off < kept) {
		if (export_spool_read(s, off, &seq, buf, sizeof(buf), &len,
				      &next, NULL, 0) < 0)
			abort();
		off = next;
		n++;
	}
	if (off != kept || n != recs)
		abort();
	if (export_spool_append(s, 7, (const uint8_t *)"rec", 3, &end, NULL,
				0) < 0 ||
	    export_spool_read(s, kept, &seq, buf, sizeof(buf), &len, &next,
			      NULL, 0) < 0 ||
	    seq != 7 || len != 3 || next != end)
		abort();
	export_spool_close(s);
	unlink(path);
	return 0;
}
