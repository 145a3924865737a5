/*-------------------------------------------------------------------------
 *
 * tally_change.c
 *	  The arrima_stats.tally_change type: the signed counterpart of a tally,
 *	  how its 13 counters change between two dates.  Input/output, binary
 *	  I/O, addition, equality, and the casts to and from tally (to a tally
 *	  only when no counter is negative).
 *
 * The outcome calendar (calendar_agg.c) stores one per round, year of
 * invitation and day: the change of the tally of those invitations on that
 * day.  Summed up to a date, they give the tally as of that date.  Its text
 * form is a tally's, with signs: '{3,-1,0,1,0,0,0,0,0,0,0,0,0}'.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "common/int.h"
#include "libpq/pqformat.h"

#include "export.h"
#include "tally.h"

StaticAssertDecl(sizeof(TallyChange) == 104,
				 "arrima_stats.tally_change is declared with INTERNALLENGTH 104");
StaticAssertDecl(sizeof(TallyChange) == sizeof(Tally),
				 "a tally and a tally_change have the same counters");

PG_FUNCTION_INFO_V1(arrima_tally_change_in);
Datum
arrima_tally_change_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	TallyChange *change = palloc(sizeof(TallyChange));
	const char *problem = tally_parse_counters(str, (int64 *) change, true);

	if (problem != NULL)
		input_error(fcinfo,
					errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					errmsg("invalid input syntax for type %s: \"%s\"",
						   "tally_change", str),
					errdetail_internal("%s", problem));
	PG_RETURN_TALLY_CHANGE_P(change);
}

PG_FUNCTION_INFO_V1(arrima_tally_change_out);
Datum
arrima_tally_change_out(PG_FUNCTION_ARGS)
{
	const int64 *counter = (const int64 *) PG_GETARG_TALLY_CHANGE_P(0);

	PG_RETURN_CSTRING(tally_format_counters(counter));
}

/* Any 13 int8 counters make a tally_change */
PG_FUNCTION_INFO_V1(arrima_tally_change_recv);
Datum
arrima_tally_change_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	TallyChange *change = palloc(sizeof(TallyChange));
	int64	   *counter = (int64 *) change;

	for (int i = 0; i < TALLY_NCOUNTERS; i++)
		counter[i] = pq_getmsgint64(buf);
	PG_RETURN_TALLY_CHANGE_P(change);
}

PG_FUNCTION_INFO_V1(arrima_tally_change_send);
Datum
arrima_tally_change_send(PG_FUNCTION_ARGS)
{
	const int64 *counter = (const int64 *) PG_GETARG_TALLY_CHANGE_P(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	for (int i = 0; i < TALLY_NCOUNTERS; i++)
		pq_sendint64(&buf, counter[i]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* Add one change into another, counter by counter */
void
tally_change_accumulate(TallyChange *sum, const TallyChange *addend)
{
	int64	   *counter = (int64 *) sum;
	const int64 *more = (const int64 *) addend;

	for (int i = 0; i < TALLY_NCOUNTERS; i++)
	{
		int64		result;

		if (pg_add_s64_overflow(counter[i], more[i], &result))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("tally_change count out of range"),
					 errdetail("%s: " INT64_FORMAT " + " INT64_FORMAT
							   " is out of range for type bigint.",
							   tally_counter_names[i], counter[i], more[i])));
		counter[i] = result;
	}
}

/*
 * tally_change_add(tally_change, tally_change) returns tally_change
 *
 * The operator +, and the transition and combine function of
 * sum(tally_change): adds the second change into the first, in place
 * inside an aggregate (tally_state_arg: a tally_change has a tally's size).
 */
PG_FUNCTION_INFO_V1(arrima_tally_change_add);
Datum
arrima_tally_change_add(PG_FUNCTION_ARGS)
{
	TallyChange *sum = (TallyChange *) tally_state_arg(fcinfo);

	tally_change_accumulate(sum, PG_GETARG_TALLY_CHANGE_P(1));
	PG_RETURN_TALLY_CHANGE_P(sum);
}

PG_FUNCTION_INFO_V1(arrima_tally_change_eq);
Datum
arrima_tally_change_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(memcmp(PG_GETARG_TALLY_CHANGE_P(0),
						  PG_GETARG_TALLY_CHANGE_P(1),
						  sizeof(TallyChange)) == 0);
}

PG_FUNCTION_INFO_V1(arrima_tally_change_ne);
Datum
arrima_tally_change_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(memcmp(PG_GETARG_TALLY_CHANGE_P(0),
						  PG_GETARG_TALLY_CHANGE_P(1),
						  sizeof(TallyChange)) != 0);
}

/*
 * tally(tally_change) returns tally
 *
 * The cast to a tally: the same counters, which must not be negative.  A
 * sum of the calendar's changes up to a date is the tally as of that date;
 * a negative counter there means the calendar is damaged
 * (calendar_check()).
 */
PG_FUNCTION_INFO_V1(arrima_tally_change_to_tally);
Datum
arrima_tally_change_to_tally(PG_FUNCTION_ARGS)
{
	const int64 *counter = (const int64 *) PG_GETARG_TALLY_CHANGE_P(0);
	Tally	   *tally;

	for (int i = 0; i < TALLY_NCOUNTERS; i++)
		if (counter[i] < 0)
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("cannot cast a tally_change with a negative count to tally"),
					 errdetail("%s is " INT64_FORMAT "; a tally counts invitations.",
							   tally_counter_names[i], counter[i])));
	tally = palloc(sizeof(Tally));
	memcpy(tally, counter, sizeof(Tally));
	PG_RETURN_TALLY_P(tally);
}

/*
 * tally_change(tally) returns tally_change
 *
 * The cast from a tally: the change from nothing to it.
 */
PG_FUNCTION_INFO_V1(arrima_tally_change_from_tally);
Datum
arrima_tally_change_from_tally(PG_FUNCTION_ARGS)
{
	TallyChange *change = palloc(sizeof(TallyChange));

	memcpy(change, PG_GETARG_TALLY_P(0), sizeof(TallyChange));
	PG_RETURN_TALLY_CHANGE_P(change);
}
