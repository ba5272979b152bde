// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * OpenSSH authorized_keys files (sshd(8), "AUTHORIZED_KEYS FILE FORMAT"):
 * whether a client's public key is listed.  Keys are parsed by libssh.
 */
#ifndef CFN_AUTHKEYS_H
#define CFN_AUTHKEYS_H

#include <stdbool.h>

#include <libssh/libssh.h>

/* True if KEY is one of the keys in PATH; options before a key are
 * accepted and ignored. */
bool authkeys_match(const char *path, const ssh_key key);

#endif /* CFN_AUTHKEYS_H */
