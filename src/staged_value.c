/*-------------------------------------------------------------------------
 *
 * staged_value.c
 *	  Reading the text values of staged rows, strictly and without ever
 *	  throwing, and quoting them in faults.  See validate.c for what a value
 *	  may be and why.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "common/int.h"
#include "mb/pg_wchar.h"
#include "utils/datetime.h"

#include "pg_compat.h"
#include "staged.h"

static inline bool
is_ascii_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
		c == '\v' || c == '\f';
}

static inline bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* A text datum's characters, whitespace trimmed */
StagedValue
staged_value(Datum datum)
{
	text	   *t = (text *) PG_DETOAST_DATUM_PACKED(datum);
	StagedValue v = {VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t)};

	while (v.len > 0 && is_ascii_space(v.str[0]))
		v.str++, v.len--;
	while (v.len > 0 && is_ascii_space(v.str[v.len - 1]))
		v.len--;
	return v;
}

/*
 * An optional sign and decimal digits.  Accumulates negatively so that the
 * most negative int64 parses too.
 */
ParseResult
parse_int64(StagedValue v, int64 *result)
{
	int			i = 0;
	bool		negative = false;
	bool		overflow = false;
	int64		acc = 0;

	if (v.str[0] == '+' || v.str[0] == '-')
	{
		negative = (v.str[0] == '-');
		i++;
	}
	if (i == v.len)
		return PARSE_MALFORMED;
	for (; i < v.len; i++)
	{
		if (!is_digit(v.str[i]))
			return PARSE_MALFORMED;
		if (!overflow &&
			(pg_mul_s64_overflow(acc, 10, &acc) ||
			 pg_sub_s64_overflow(acc, v.str[i] - '0', &acc)))
			overflow = true;
	}
	if (overflow || (!negative && acc == PG_INT64_MIN))
		return PARSE_OUT_OF_RANGE;
	*result = negative ? acc : -acc;
	return PARSE_OK;
}

/* YYYY-MM-DD, a day of the calendar */
ParseResult
parse_date(StagedValue v, DateADT *result)
{
	static const int digits[] = {0, 1, 2, 3, 5, 6, 8, 9};
	int			year,
				month,
				day;

	if (v.len != 10 || v.str[4] != '-' || v.str[7] != '-')
		return PARSE_MALFORMED;
	for (int i = 0; i < (int) lengthof(digits); i++)
		if (!is_digit(v.str[digits[i]]))
			return PARSE_MALFORMED;

#define DIGIT(i) (v.str[i] - '0')
	year = DIGIT(0) * 1000 + DIGIT(1) * 100 + DIGIT(2) * 10 + DIGIT(3);
	month = DIGIT(5) * 10 + DIGIT(6);
	day = DIGIT(8) * 10 + DIGIT(9);
#undef DIGIT

	if (year < 1 || month < 1 || month > MONTHS_PER_YEAR ||
		day < 1 || day > day_tab[isleap(year)][month - 1])
		return PARSE_OUT_OF_RANGE;
	*result = date2j(year, month, day) - POSTGRES_EPOCH_JDATE;
	return PARSE_OK;
}

/* One of labels[]: its index, or ARRIMA_NONE */
int
parse_label(StagedValue v, const char *const *labels, int n)
{
	for (int i = 0; i < n; i++)
		if (strlen(labels[i]) == (size_t) v.len && memcmp(labels[i], v.str, v.len) == 0)
			return i;
	return ARRIMA_NONE;
}

/*
 * A staged value as a fault quotes it: in double quotes, on one line (control
 * characters, quotes and backslashes escaped as in C), its first
 * FAULT_VALUE_CHARS characters only.
 */
void
append_value(StringInfo buf, StagedValue v)
{
	int			nchars = pg_mbstrlen_with_len(v.str, v.len);
	int			shown = v.len;

	if (nchars > FAULT_VALUE_CHARS)
		shown = pg_mbcharcliplen(v.str, v.len, FAULT_VALUE_CHARS);

	appendStringInfoChar(buf, '"');
	for (int i = 0; i < shown;)
	{
		int			mblen = pg_mblen(v.str + i);
		unsigned char c = (unsigned char) v.str[i];

		if (mblen > 1)
			appendBinaryStringInfo(buf, v.str + i, mblen);
		else if (c == '"' || c == '\\')
			appendStringInfo(buf, "\\%c", c);
		else if (c == '\n')
			appendStringInfoString(buf, "\\n");
		else if (c == '\r')
			appendStringInfoString(buf, "\\r");
		else if (c == '\t')
			appendStringInfoString(buf, "\\t");
		else if (c < 0x20 || c == 0x7f)
			appendStringInfo(buf, "\\x%02X", c);
		else
			appendStringInfoChar(buf, c);
		i += mblen;
	}
	if (shown < v.len)
		appendStringInfo(buf, "...\" (%d characters)", nchars);
	else
		appendStringInfoChar(buf, '"');
}

/* A date as ISO 8601, whatever the session's DateStyle */
void
append_date(StringInfo buf, DateADT date)
{
	int			year,
				month,
				day;

	j2date(date + POSTGRES_EPOCH_JDATE, &year, &month, &day);
	if (year > 0)
		appendStringInfo(buf, "%04d-%02d-%02d", year, month, day);
	else
		appendStringInfo(buf, "%04d-%02d-%02d BC", 1 - year, month, day);
}
