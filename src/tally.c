/*-------------------------------------------------------------------------
 *
 * tally.c
 *	  The arrima_stats.tally type: input/output, binary I/O, addition and
 *	  reading its counters back as columns.
 *
 * A tally is every measure of the dashboards for a set of invitations:
 * the number of invitations, one counter per outcome and one per notice
 * ground.  Its text form lists the 13 counters in that order,
 * e.g. '{3,0,1,1,0,0,0,1,0,0,0,1,0}'.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "common/int.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "parser/scansup.h"
#include "utils/builtins.h"

#include "export.h"
#include "tally.h"

StaticAssertDecl(sizeof(Tally) == 104,
				 "arrima_stats.tally is declared with INTERNALLENGTH 104");

const char *const tally_counter_names[TALLY_NCOUNTERS] = {
	"invitations", "awaiting_response", "declined", "expired",
	"in_processing", "cancellation_pending", "rejected", "refused",
	"cancelled", "withdrawn", "selected", "notices_cannot_support",
	"notices_did_not_support",
};

/*
 * Parse the text form of TALLY_NCOUNTERS counters, '{c1,c2,...}', into
 * counter[].  With is_signed a counter may be negative (tally_change);
 * else a minus sign is refused.  Returns NULL on success, else what is wrong
 * with the text, for errdetail.  tally_change.c reads its text form with it.
 */
const char *
tally_parse_counters(const char *str, int64 *counter, bool is_signed)
{
	const char *p = str;

	while (scanner_isspace(*p))
		p++;
	if (*p++ != '{')
		return "A tally starts with \"{\".";
	for (int i = 0; i < TALLY_NCOUNTERS; i++)
	{
		int64		value = 0;	/* accumulated negatively: -2^63 fits */
		bool		negative = false;

		while (scanner_isspace(*p))
			p++;
		if (*p == '-')
		{
			if (!is_signed)
				return "Counts cannot be negative.";
			negative = true;
			p++;
		}
		if (*p < '0' || *p > '9')
			return psprintf("A tally has %d counts separated by commas.",
							TALLY_NCOUNTERS);
		for (; *p >= '0' && *p <= '9'; p++)
			if (pg_mul_s64_overflow(value, 10, &value) ||
				pg_sub_s64_overflow(value, *p - '0', &value))
				return "A count is out of range for type bigint.";
		if (!negative && pg_sub_s64_overflow(0, value, &value))
			return "A count is out of range for type bigint.";
		counter[i] = value;
		while (scanner_isspace(*p))
			p++;
		if (*p++ != (i < TALLY_NCOUNTERS - 1 ? ',' : '}'))
			return psprintf("A tally has %d counts separated by commas, between \"{\" and \"}\".",
							TALLY_NCOUNTERS);
	}
	while (scanner_isspace(*p))
		p++;
	if (*p != '\0')
		return "Nothing may follow the closing \"}\".";
	return NULL;
}

/*
 * The text form of TALLY_NCOUNTERS counters, '{c1,c2,...}', palloc'd: the
 * output of tally and of tally_change.
 */
char *
tally_format_counters(const int64 *counter)
{
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	for (int i = 0; i < TALLY_NCOUNTERS; i++)
		appendStringInfo(&buf, i == 0 ? INT64_FORMAT : "," INT64_FORMAT,
						 counter[i]);
	appendStringInfoChar(&buf, '}');
	return buf.data;
}

PG_FUNCTION_INFO_V1(arrima_tally_in);
Datum
arrima_tally_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	Tally	   *tally = palloc(sizeof(Tally));
	const char *problem = tally_parse_counters(str, (int64 *) tally, false);

	if (problem != NULL)
		input_error(fcinfo,
					errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					errmsg("invalid input syntax for type %s: \"%s\"",
						   "tally", str),
					errdetail_internal("%s", problem));
	PG_RETURN_TALLY_P(tally);
}

PG_FUNCTION_INFO_V1(arrima_tally_out);
Datum
arrima_tally_out(PG_FUNCTION_ARGS)
{
	const int64 *counter = (const int64 *) PG_GETARG_TALLY_P(0);

	PG_RETURN_CSTRING(tally_format_counters(counter));
}

PG_FUNCTION_INFO_V1(arrima_tally_recv);
Datum
arrima_tally_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	Tally	   *tally = palloc(sizeof(Tally));
	int64	   *counter = (int64 *) tally;

	for (int i = 0; i < TALLY_NCOUNTERS; i++)
	{
		counter[i] = pq_getmsgint64(buf);
		if (counter[i] < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid external tally"),
					 errdetail("Count %d is negative: " INT64_FORMAT ".",
							   i + 1, counter[i])));
	}
	PG_RETURN_TALLY_P(tally);
}

PG_FUNCTION_INFO_V1(arrima_tally_send);
Datum
arrima_tally_send(PG_FUNCTION_ARGS)
{
	const int64 *counter = (const int64 *) PG_GETARG_TALLY_P(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	for (int i = 0; i < TALLY_NCOUNTERS; i++)
		pq_sendint64(&buf, counter[i]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/*
 * The tally argument 0 of an aggregate support function, to be updated in
 * place: inside an aggregate the state belongs to the executor, which lets
 * us change it; called as a plain function, work on a copy.
 */
Tally *
tally_state_arg(FunctionCallInfo fcinfo)
{
	Tally	   *state;

	if (PG_ARGISNULL(0))
		return palloc0(sizeof(Tally));
	state = PG_GETARG_TALLY_P(0);
	if (!AggCheckCallContext(fcinfo, NULL))
	{
		Tally	   *copy = palloc(sizeof(Tally));

		memcpy(copy, state, sizeof(Tally));
		state = copy;
	}
	return state;
}

/*
 * tally_add(tally, tally) returns tally
 *
 * The operator +, and the transition and combine function of the
 * aggregates over tallies: adds the second tally into the first.
 */
PG_FUNCTION_INFO_V1(arrima_tally_add);
Datum
arrima_tally_add(PG_FUNCTION_ARGS)
{
	Tally	   *sum = tally_state_arg(fcinfo);

	tally_accumulate(sum, PG_GETARG_TALLY_P(1));
	PG_RETURN_TALLY_P(sum);
}

/*
 * Add one tally into another, counter by counter; past bigint, the error
 * names the counter
 */
void
tally_accumulate(Tally *sum, const Tally *addend)
{
	int64	   *counter = (int64 *) sum;
	const int64 *more = (const int64 *) addend;

	for (int i = 0; i < TALLY_NCOUNTERS; i++)
	{
		int64		result;

		if (pg_add_s64_overflow(counter[i], more[i], &result))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("tally count out of range"),
					 errdetail("%s: " INT64_FORMAT " + " INT64_FORMAT
							   " is out of range for type bigint.",
							   tally_counter_names[i], counter[i], more[i])));
		counter[i] = result;
	}
}

/*
 * tally_counts(tally, OUT invitations bigint, OUT awaiting_response bigint,
 *				...) returns record
 *
 * The counters of a tally as named columns.
 */
PG_FUNCTION_INFO_V1(arrima_tally_counts);
Datum
arrima_tally_counts(PG_FUNCTION_ARGS)
{
	const int64 *counter = (const int64 *) PG_GETARG_TALLY_P(0);
	Datum		values[TALLY_NCOUNTERS];
	bool		nulls[TALLY_NCOUNTERS] = {0};
	TupleDesc	tupdesc;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE ||
		tupdesc->natts != TALLY_NCOUNTERS)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("tally_counts must return a row of %d columns",
						TALLY_NCOUNTERS)));
	tupdesc = BlessTupleDesc(tupdesc);
	for (int i = 0; i < TALLY_NCOUNTERS; i++)
		values[i] = Int64GetDatum(counter[i]);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
