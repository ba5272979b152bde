// SPDX-License-Identifier: GPL-2.0-or-later
/* Private key files; see note_file.h. */
#include "note_file.h"

#include <openssl/crypto.h>

#include "util.h"

int note_key_save_private(const struct note_key *key, const char *path,
			  char *err, size_t errlen)
{
	char line[NOTE_NAME_MAX + 128];
	int n, rc;

	n = note_key_format_private(key, line, sizeof(line), err, errlen);
	if (n < 0)
		return -1;
	rc = write_file_atomic(path, line, (size_t)n, 0600, err, errlen);
	OPENSSL_cleanse(line, sizeof(line));
	return rc;
}
