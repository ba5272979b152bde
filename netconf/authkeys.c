// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "authkeys.h"

/* The key of one line: the first "TYPE BASE64" pair libssh knows. */
static bool line_matches(char *line, const ssh_key key)
{
	char *save = NULL, *prev = NULL;

	for (char *t = strtok_r(line, " \t\r\n", &save); t;
	     prev = t, t = strtok_r(NULL, " \t\r\n", &save)) {
		enum ssh_keytypes_e type;
		ssh_key k = NULL;
		bool same;

		if (!prev || prev[0] == '#')
			continue;
		type = ssh_key_type_from_name(prev);
		if (type == SSH_KEYTYPE_UNKNOWN)
			continue;
		if (ssh_pki_import_pubkey_base64(t, type, &k) != SSH_OK)
			return false;
		same = ssh_key_cmp(k, key, SSH_KEY_CMP_PUBLIC) == 0;
		ssh_key_free(k);
		return same;
	}
	return false;
}

bool authkeys_match(const char *path, const ssh_key key)
{
	FILE *f = fopen(path, "r");
	char line[16384];
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		if (line[0] != '#')
			found = line_matches(line, key);
	fclose(f);
	return found;
}
