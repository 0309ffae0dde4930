// SPDX-License-Identifier: MIT
#include "size.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int suffix_shift(const char *s, unsigned int *shift)
{
	static const struct {
		char c;
		unsigned int shift;
	} units[] = {{'K', 10}, {'M', 20}, {'G', 30}, {'T', 40}};

	if (*s == '\0') {
		*shift = 0;
		return 0;
	}
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (toupper((unsigned char)*s) != units[i].c)
			continue;
		s++;
		if (*s == '\0' || !strcasecmp(s, "B") || !strcasecmp(s, "iB")) {
			*shift = units[i].shift;
			return 0;
		}
		return -EINVAL;
	}
	if (!strcasecmp(s, "B")) {
		*shift = 0;
		return 0;
	}
	return -EINVAL;
}

int parse_size(const char *text, uint64_t *out)
{
	unsigned long long v;
	unsigned int shift;
	char *end;

	if (!text)
		return -EINVAL;
	while (isspace((unsigned char)*text))
		text++;
	/* strtoull accepts a sign; sizes never have one */
	if (!isdigit((unsigned char)*text))
		return -EINVAL;
	errno = 0;
	v = strtoull(text, &end, 0);
	if (errno == ERANGE)
		return -ERANGE;
	if (end == text)
		return -EINVAL;
	/* trailing blanks are fine, anything else must be a unit */
	size_t n = strlen(end);
	while (n && isspace((unsigned char)end[n - 1]))
		n--;
	char unit[8];
	if (n >= sizeof(unit))
		return -EINVAL;
	memcpy(unit, end, n);
	unit[n] = '\0';
	/* "0x10G" is ambiguous with hex digits; units only after decimals */
	if (n && (text[0] == '0' && (text[1] == 'x' || text[1] == 'X')))
		return -EINVAL;
	if (suffix_shift(unit, &shift))
		return -EINVAL;
	if (shift && v > (UINT64_MAX >> shift))
		return -ERANGE;
	*out = (uint64_t)v << shift;
	return 0;
}

void format_size(uint64_t bytes, char *buf, size_t len)
{
	static const char units[] = "KMGT";
	int u = -1;

	while (u < 3 && bytes && !(bytes & 1023)) {
		bytes >>= 10;
		u++;
	}
	if (u < 0)
		snprintf(buf, len, "%" PRIu64, bytes);
	else
		snprintf(buf, len, "%" PRIu64 "%c", bytes, units[u]);
}

void format_size_human(uint64_t bytes, char *buf, size_t len)
{
	static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
	double v = (double)bytes;
	int u = 0;

	while (v >= 1024.0 && u < 4) {
		v /= 1024.0;
		u++;
	}
	if (u == 0)
		snprintf(buf, len, "%" PRIu64 " B", bytes);
	else
		snprintf(buf, len, "%.2f %s", v, units[u]);
}
