/* SPDX-License-Identifier: MIT */
#ifndef HP_COMMON_SIZE_H
#define HP_COMMON_SIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * parse_size - parse "128M", "16G", "0x1080000000", "4096", "1.5G" is
 * rejected (sizes are exact).  Suffixes K/M/G/T (optionally followed by
 * "iB" or "B", any case) are binary multiples.  Returns 0 or -EINVAL
 * (malformed) / -ERANGE (overflows 64 bits).
 */
int parse_size(const char *text, uint64_t *out);

/* Render bytes as the largest exact binary unit: "128M", "2G", "4K", "12345".
 */
void format_size(uint64_t bytes, char *buf, size_t len);

/* Render bytes for humans: "1.50 GiB". */
void format_size_human(uint64_t bytes, char *buf, size_t len);

static inline bool is_pow2_u64(uint64_t v)
{
	return v && !(v & (v - 1));
}

static inline uint64_t div_round_up_u64(uint64_t a, uint64_t b)
{
	return (a + b - 1) / b;
}

/* any alignment, not only powers of two */
static inline uint64_t align_up_u64(uint64_t v, uint64_t a)
{
	return (v + a - 1) / a * a;
}

static inline uint64_t align_down_u64(uint64_t v, uint64_t a)
{
	return v / a * a;
}

static inline unsigned int ilog2_u64(uint64_t v)
{
	return 63u - (unsigned int)__builtin_clzll(v);
}

#endif
