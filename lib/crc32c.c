// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * CRC-32C: the SSE4.2 crc32 instruction when the CPU has it (the log scan
 * on restart is CRC-bound otherwise), else table-driven slicing by 8.
 */
#include <stdbool.h>
#include <string.h>

#include "crc32c.h"

static uint32_t table[8][256];
static bool ready;

static void init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ 0x82f63b78 : c >> 1;
		table[0][i] = c;
	}
	for (uint32_t i = 0; i < 256; i++)
		for (int t = 1; t < 8; t++)
			table[t][i] = (table[t - 1][i] >> 8) ^
				      table[0][table[t - 1][i] & 0xff];
	ready = true;
}

static uint32_t crc_sw(uint32_t crc, const uint8_t *p, size_t len)
{
	if (!ready)
		init();
	while (len >= 8) {
		uint32_t lo =
			crc ^ ((uint32_t)p[0] | (uint32_t)p[1] << 8 |
			       (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);

		crc = table[7][lo & 0xff] ^ table[6][(lo >> 8) & 0xff] ^
		      table[5][(lo >> 16) & 0xff] ^ table[4][lo >> 24] ^
		      table[3][p[4]] ^ table[2][p[5]] ^ table[1][p[6]] ^
		      table[0][p[7]];
		p += 8;
		len -= 8;
	}
	while (len--)
		crc = (crc >> 8) ^ table[0][(crc ^ *p++) & 0xff];
	return crc;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
__attribute__((target("sse4.2"))) static uint32_t
crc_hw(uint32_t crc, const uint8_t *p, size_t len)
{
	uint64_t c = crc;

	while (len >= 8) {
		uint64_t v;

		memcpy(&v, p, 8);
		c = __builtin_ia32_crc32di(c, v);
		p += 8;
		len -= 8;
	}
	crc = (uint32_t)c;
	while (len--)
		crc = __builtin_ia32_crc32qi(crc, *p++);
	return crc;
}

static int have_hw = -1;

uint32_t crc32c_sw(uint32_t crc, const void *data, size_t len)
{
	return ~crc_sw(~crc, data, len);
}

uint32_t crc32c(uint32_t crc, const void *data, size_t len)
{
	if (have_hw < 0)
		have_hw = __builtin_cpu_supports("sse4.2") ? 1 : 0;
	if (have_hw)
		return ~crc_hw(~crc, data, len);
	return ~crc_sw(~crc, data, len);
}
#else
uint32_t crc32c_sw(uint32_t crc, const void *data, size_t len)
{
	return ~crc_sw(~crc, data, len);
}

uint32_t crc32c(uint32_t crc, const void *data, size_t len)
{
	return ~crc_sw(~crc, data, len);
}
#endif
