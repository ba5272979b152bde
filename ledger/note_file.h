// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Writing a private key file: the ledger CLI's part of the key handling
 * (lib/note.h parses, loads and signs; routers never write keys).
 */
#ifndef CFN_LEDGER_NOTE_FILE_H
#define CFN_LEDGER_NOTE_FILE_H

#include <stddef.h>

#include "note.h"

/* Writes the private key file with mode 0600 (fsync'd); 0 or -1 with err. */
int note_key_save_private(const struct note_key *key, const char *path,
			  char *err, size_t errlen);

#endif
