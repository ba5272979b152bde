// SPDX-License-Identifier: GPL-2.0-or-later
/* CRC-32C (Castagnoli), as used by iSCSI/ext4: framing checksums. */
#ifndef CFN_LEDGER_CRC32C_H
#define CFN_LEDGER_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/* crc32c(0, "123456789", 9) == 0xe3069283 */
uint32_t crc32c(uint32_t crc, const void *data, size_t len);
/* The portable implementation, whatever the CPU (for tests). */
uint32_t crc32c_sw(uint32_t crc, const void *data, size_t len);

#endif
