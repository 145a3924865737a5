/*-------------------------------------------------------------------------
 *
 * calendar_agg.c
 *	  arrima_stats.calendar_changes(sign, round_id, invited_on, ...,
 *	  decision): the aggregate that makes the outcome calendar's rows.
 *
 * Each invitation is stepped through its own dates (calendar.h); its
 * change on each step day, times sign (1 for an invitation that comes, -1
 * for one that goes), is added to the entry of its round, the year of its
 * invited_on and the day, in a hash table.  The result is an array of
 * arrima_stats.outcome_calendar rows (round_id, year, day, change), in key
 * order, without the changes that came to nothing.  Summed over the days up
 * to a date, the changes of a round and year are the tally of its
 * invitations as of that date.
 *
 * The calendar's triggers feed it the transition tables of a statement on
 * arrima_stats.invitation (the old rows with sign -1, the new ones with 1);
 * calendar_rebuild() and calendar_check() feed it the whole table.  Its
 * state is internal, with combine, serial and deserial functions for
 * parallel plans.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "common/int.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/datetime.h"
#include "utils/fmgrprotos.h"
#include "utils/lsyscache.h"
#include "utils/typcache.h"

#include "calendar.h"
#include "export.h"
#include "invitation_reader.h"
#include "pg_compat.h"

/* An entry of the calendar: round, year of invitation, day, and the change */
typedef struct CalendarKey
{
	int32		round_id;
	int32		year;
	DateADT		day;
} CalendarKey;

typedef struct CalendarEntry
{
	CalendarKey key;
	char		status;			/* simplehash's */
	TallyChange change;
} CalendarEntry;

static inline uint32
calendar_key_hash(CalendarKey key)
{
	uint32		h = murmurhash32((uint32) key.round_id);

	h = hash_combine(h, murmurhash32((uint32) key.year));
	return hash_combine(h, murmurhash32((uint32) key.day));
}

#define SH_PREFIX		calendar
#define SH_ELEMENT_TYPE CalendarEntry
#define SH_KEY_TYPE		CalendarKey
#define SH_KEY			key
#define SH_HASH_KEY(tb, k) calendar_key_hash(k)
#define SH_EQUAL(tb, a, b) \
	((a).round_id == (b).round_id && (a).year == (b).year && (a).day == (b).day)
#define SH_SCOPE		static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

/* A new, empty table in memory context mcxt */
static calendar_hash *
calendar_map_create(MemoryContext mcxt)
{
	return calendar_create(mcxt, 256, NULL);
}

/* The memory context of the aggregate calling a support function */
static MemoryContext
aggregate_context(FunctionCallInfo fcinfo, const char *caller)
{
	MemoryContext aggcontext;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		elog(ERROR, "%s called in non-aggregate context", caller);
	return aggcontext;
}

/*
 * Add sign times a change into the entry of key (made, zero, if new); past
 * bigint, the error names the counter and the entry
 */
static void
calendar_map_add(calendar_hash *map, CalendarKey key, const TallyChange *change,
				 int sign)
{
	bool		found;
	CalendarEntry *entry = calendar_insert(map, key, &found);
	int64	   *sum = (int64 *) &entry->change;
	const int64 *more = (const int64 *) change;

	if (!found)
		memset(&entry->change, 0, sizeof(TallyChange));
	for (int i = 0; i < TALLY_NCOUNTERS; i++)
	{
		int64		result;

		if (sign > 0 ? pg_add_s64_overflow(sum[i], more[i], &result) :
			pg_sub_s64_overflow(sum[i], more[i], &result))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("tally_change count out of range"),
					 errdetail("%s of round %d, year %d on %s: " INT64_FORMAT " %s " INT64_FORMAT
							   " is out of range for type bigint.",
							   tally_counter_names[i], key.round_id, key.year,
							   DatumGetCString(DirectFunctionCall1(date_out,
																   DateADTGetDatum(key.day))),
							   sum[i], sign > 0 ? "+" : "-", more[i])));
		sum[i] = result;
	}
}

/*
 * The year of a date, as extract(year FROM date) gives it: there is no
 * year 0, the year before 1 is -1 (1 BC).
 */
static int32
calendar_year(DateADT day)
{
	int			year;
	int			month;
	int			mday;

	j2date(day + POSTGRES_EPOCH_JDATE, &year, &month, &mday);
	return year > 0 ? year : year - 1;
}

/* Refuse an invitation with a date that is not finite */
static void
check_finite(const InvitationFacts *f)
{
	if (DATE_NOT_FINITE(f->invited_on) || DATE_NOT_FINITE(f->response_due_on) ||
		(f->has_declined && DATE_NOT_FINITE(f->declined_on)) ||
		(f->has_application && DATE_NOT_FINITE(f->application_on)) ||
		(f->has_notice && DATE_NOT_FINITE(f->notice_on)) ||
		(f->has_decision && DATE_NOT_FINITE(f->decided_on)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the outcome calendar needs finite dates"),
				 errdetail("An invitation has a date that is infinity or -infinity "
						   "(the invitation table's rule dates_are_finite).")));
}

/*
 * calendar_changes_accum(internal, sign integer, round_id integer,
 *						  invited_on date, response_due_on date,
 *						  declined_on date, application_on date,
 *						  notice_on date, notice_ground, decided_on date,
 *						  decision) returns internal
 *
 * Not strict: NULL dates are facts.  An invitation without round_id,
 * invited_on or response_due_on changes nothing (the table has none).
 * sign must be 1 or -1.
 */
PG_FUNCTION_INFO_V1(arrima_calendar_changes_accum);
Datum
arrima_calendar_changes_accum(PG_FUNCTION_ARGS)
{
	calendar_hash *map;
	int32		sign;
	InvitationFacts facts = {0};	/* its unset dates are never read */
	CalendarKey key;
	DateADT		days[CALENDAR_MAX_STEPS];
	int			ndays;

	if (PG_ARGISNULL(1) ||
		((sign = PG_GETARG_INT32(1)) != 1 && sign != -1))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sign must be 1 or -1"),
				 errdetail("1 adds an invitation to the calendar, -1 takes it away.")));
	if (PG_ARGISNULL(0))
		map = calendar_map_create(aggregate_context(fcinfo,
													"calendar_changes_accum"));
	else
		map = (calendar_hash *) PG_GETARG_POINTER(0);

	if (PG_ARGISNULL(2) || !invitation_facts_args(fcinfo, 3, &facts))
		PG_RETURN_POINTER(map);
	check_finite(&facts);

	key.round_id = PG_GETARG_INT32(2);
	key.year = calendar_year(facts.invited_on);
	ndays = calendar_step_days(&facts, days);
	for (int i = 0; i < ndays; i++)
	{
		TallyChange change;

		if (calendar_step(&facts, days[i], &change))
		{
			key.day = days[i];
			calendar_map_add(map, key, &change, sign);
		}
	}
	PG_RETURN_POINTER(map);
}

/*
 * calendar_changes_combine(internal, internal) returns internal
 *
 * Adds the second table into the first (made if NULL).
 */
PG_FUNCTION_INFO_V1(arrima_calendar_changes_combine);
Datum
arrima_calendar_changes_combine(PG_FUNCTION_ARGS)
{
	calendar_hash *map = PG_ARGISNULL(0) ? NULL : (calendar_hash *) PG_GETARG_POINTER(0);
	calendar_hash *more = PG_ARGISNULL(1) ? NULL : (calendar_hash *) PG_GETARG_POINTER(1);
	calendar_iterator it;
	CalendarEntry *entry;

	if (more == NULL)
	{
		if (map == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(map);
	}
	if (map == NULL)
		map = calendar_map_create(aggregate_context(fcinfo,
													"calendar_changes_combine"));
	calendar_start_iterate(more, &it);
	while ((entry = calendar_iterate(more, &it)) != NULL)
	{
		CHECK_FOR_INTERRUPTS();
		calendar_map_add(map, entry->key, &entry->change, 1);
	}
	PG_RETURN_POINTER(map);
}

/*
 * calendar_changes_serialize(internal) returns bytea
 *
 * The number of entries, then each: round_id, year, day, the 13 counters.
 */
PG_FUNCTION_INFO_V1(arrima_calendar_changes_serialize);
Datum
arrima_calendar_changes_serialize(PG_FUNCTION_ARGS)
{
	calendar_hash *map = (calendar_hash *) PG_GETARG_POINTER(0);
	StringInfoData buf;
	calendar_iterator it;
	CalendarEntry *entry;

	pq_begintypsend(&buf);
	pq_sendint32(&buf, map->members);
	calendar_start_iterate(map, &it);
	while ((entry = calendar_iterate(map, &it)) != NULL)
	{
		const int64 *counter = (const int64 *) &entry->change;

		CHECK_FOR_INTERRUPTS();
		pq_sendint32(&buf, entry->key.round_id);
		pq_sendint32(&buf, entry->key.year);
		pq_sendint32(&buf, entry->key.day);
		for (int i = 0; i < TALLY_NCOUNTERS; i++)
			pq_sendint64(&buf, counter[i]);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/*
 * calendar_changes_deserialize(bytea, internal) returns internal
 *
 * The table lives in the current, per-tuple, memory context: the combine
 * function copies what it needs.
 */
PG_FUNCTION_INFO_V1(arrima_calendar_changes_deserialize);
Datum
arrima_calendar_changes_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *serial = PG_GETARG_BYTEA_PP(0);
	calendar_hash *map = calendar_map_create(CurrentMemoryContext);
	StringInfoData buf;
	int32		nentries;

	initStringInfo(&buf);
	appendBinaryStringInfo(&buf, VARDATA_ANY(serial),
						   VARSIZE_ANY_EXHDR(serial));
	nentries = pq_getmsgint(&buf, 4);
	for (int32 i = 0; i < nentries; i++)
	{
		CalendarKey key;
		TallyChange change;
		int64	   *counter = (int64 *) &change;

		CHECK_FOR_INTERRUPTS();
		key.round_id = pq_getmsgint(&buf, 4);
		key.year = pq_getmsgint(&buf, 4);
		key.day = pq_getmsgint(&buf, 4);
		for (int k = 0; k < TALLY_NCOUNTERS; k++)
			counter[k] = pq_getmsgint64(&buf);
		calendar_map_add(map, key, &change, 1);
	}
	pq_getmsgend(&buf);
	pfree(buf.data);
	PG_RETURN_POINTER(map);
}

/* Order of keys for qsort: round, year, day */
static int
calendar_entry_cmp(const void *a, const void *b)
{
	const CalendarKey *ka = &(*(CalendarEntry *const *) a)->key;
	const CalendarKey *kb = &(*(CalendarEntry *const *) b)->key;

	if (ka->round_id != kb->round_id)
		return ka->round_id < kb->round_id ? -1 : 1;
	if (ka->year != kb->year)
		return ka->year < kb->year ? -1 : 1;
	if (ka->day != kb->day)
		return ka->day < kb->day ? -1 : 1;
	return 0;
}

/* Whether a change changes anything */
static bool
change_is_zero(const TallyChange *change)
{
	const int64 *counter = (const int64 *) change;

	for (int i = 0; i < TALLY_NCOUNTERS; i++)
		if (counter[i] != 0)
			return false;
	return true;
}

/*
 * The row type of the calendar, (round_id integer, year integer, day date,
 * change tally_change), as the element type of the array this function
 * returns.
 */
static TupleDesc
calendar_row_desc(FunctionCallInfo fcinfo, Oid *elemtype)
{
	TupleDesc	tupdesc;

	*elemtype = get_element_type(get_fn_expr_rettype(fcinfo->flinfo));
	if (!OidIsValid(*elemtype) || !type_is_rowtype(*elemtype))
		elog(ERROR, "calendar_changes_final must return an array of outcome_calendar rows");
	tupdesc = lookup_rowtype_tupdesc_copy(*elemtype, -1);
	if (tupdesc->natts != 4 ||
		TupleDescAttr(tupdesc, 0)->atttypid != INT4OID ||
		TupleDescAttr(tupdesc, 1)->atttypid != INT4OID ||
		TupleDescAttr(tupdesc, 2)->atttypid != DATEOID ||
		TupleDescAttr(tupdesc, 3)->attlen != sizeof(TallyChange))
		elog(ERROR, "calendar_changes_final must return an array of "
			 "(round_id integer, year integer, day date, change tally_change)");
	return BlessTupleDesc(tupdesc);
}

/*
 * calendar_changes_final(internal) returns arrima_stats.outcome_calendar[]
 *
 * One element per round, year and day whose change is not zero, in that
 * order; empty without rows.
 */
PG_FUNCTION_INFO_V1(arrima_calendar_changes_final);
Datum
arrima_calendar_changes_final(PG_FUNCTION_ARGS)
{
	calendar_hash *map = PG_ARGISNULL(0) ? NULL : (calendar_hash *) PG_GETARG_POINTER(0);
	Oid			elemtype;
	TupleDesc	tupdesc = calendar_row_desc(fcinfo, &elemtype);
	CalendarEntry **sorted;
	Datum	   *elems;
	int			n = 0;
	calendar_iterator it;
	CalendarEntry *entry;
	int16		elemlen;
	bool		elembyval;
	char		elemalign;

	if (map == NULL || map->members == 0)
		PG_RETURN_ARRAYTYPE_P(construct_empty_array(elemtype));

	sorted = palloc(sizeof(CalendarEntry *) * map->members);
	calendar_start_iterate(map, &it);
	while ((entry = calendar_iterate(map, &it)) != NULL)
	{
		CHECK_FOR_INTERRUPTS();
		if (!change_is_zero(&entry->change))
			sorted[n++] = entry;
	}
	if (n == 0)
		PG_RETURN_ARRAYTYPE_P(construct_empty_array(elemtype));
	qsort(sorted, n, sizeof(CalendarEntry *), calendar_entry_cmp);

	elems = palloc(sizeof(Datum) * n);
	for (int i = 0; i < n; i++)
	{
		Datum		values[4] = {
			Int32GetDatum(sorted[i]->key.round_id),
			Int32GetDatum(sorted[i]->key.year),
			DateADTGetDatum(sorted[i]->key.day),
			PointerGetDatum(&sorted[i]->change),
		};
		bool		nulls[4] = {false, false, false, false};

		CHECK_FOR_INTERRUPTS();
		elems[i] = HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls));
	}
	get_typlenbyvalalign(elemtype, &elemlen, &elembyval, &elemalign);
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, n, elemtype, elemlen,
										  elembyval, elemalign));
}
