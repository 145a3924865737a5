/*-------------------------------------------------------------------------
 *
 * tally_agg.c
 *	  Transition functions of the aggregates that count invitations, in one
 *	  pass:
 *
 *	  - arrima_stats.tally(invitation, as_of) over whole rows, and
 *		arrima_stats.tally(invited_on, ..., decision, as_of) over the columns
 *		themselves, which spares the executor forming a row per invitation.
 *		Their state is a tally; their combine function is tally_add (tally.c).
 *
 *	  - arrima_stats.tally_by(key, invited_on, ..., decision, as_of): one tally
 *		per value of an integer key, in a hash table, returned as an array of
 *		arrima_stats.keyed_tally.  It gives what GROUP BY key would, without
 *		the executor's grouping machinery per row: the dashboards aggregate
 *		millions of invitations into a few dozen rounds, and the rows of a
 *		round mostly come together, so the previous row's entry is checked
 *		first.  Its state is internal, with combine, serial and deserial
 *		functions for parallel plans.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/array.h"
#include "utils/date.h"
#include "utils/lsyscache.h"
#include "utils/typcache.h"

#include "export.h"
#include "invitation_reader.h"
#include "pg_compat.h"
#include "tally.h"

/*
 * tally_accum_row(tally, invitation, as_of date) returns tally
 *
 * Strict: a NULL row or as_of counts nothing.
 */
PG_FUNCTION_INFO_V1(arrima_tally_accum_row);
Datum
arrima_tally_accum_row(PG_FUNCTION_ARGS)
{
	InvitationReader *reader = invitation_reader(fcinfo);
	Tally	   *state = tally_state_arg(fcinfo);
	InvitationFacts facts;

	if (invitation_read(reader, PG_GETARG_HEAPTUPLEHEADER(1), &facts))
		tally_count(state, &facts, PG_GETARG_DATEADT(2));
	PG_RETURN_TALLY_P(state);
}

/*
 * tally_accum(tally, invited_on date, response_due_on date, declined_on date,
 *			   application_on date, notice_on date, notice_ground,
 *			   decided_on date, decision, as_of date) returns tally
 *
 * Not strict, since NULL dates are facts; an invitation without invited_on
 * or response_due_on, or a NULL as_of, counts nothing.
 */
PG_FUNCTION_INFO_V1(arrima_tally_accum);
Datum
arrima_tally_accum(PG_FUNCTION_ARGS)
{
	Tally	   *state = tally_state_arg(fcinfo);
	InvitationFacts facts;
	DateADT		as_of;

	if (date_arg(fcinfo, 9, &as_of) &&
		invitation_facts_args(fcinfo, 1, &facts))
		tally_count(state, &facts, as_of);
	PG_RETURN_TALLY_P(state);
}

/*
 * The state of tally_by: a hash table of tallies by key, in the aggregate's
 * memory context.
 */
typedef struct KeyedTally
{
	int32		key;
	char		status;			/* simplehash's */
	Tally		tally;
} KeyedTally;

#define SH_PREFIX		keyed
#define SH_ELEMENT_TYPE KeyedTally
#define SH_KEY_TYPE		int32
#define SH_KEY			key
#define SH_HASH_KEY(tb, key) murmurhash32((uint32) (key))
#define SH_EQUAL(tb, a, b) ((a) == (b))
#define SH_SCOPE		static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

typedef struct TallyMap
{
	keyed_hash *entries;
	KeyedTally *last;			/* the entry found last, or NULL */
	bool		has_null;		/* whether some row had a NULL key ... */
	Tally		null_tally;		/* ... and their tally */
} TallyMap;

/* A new, empty map in memory context mcxt */
static TallyMap *
tally_map_create(MemoryContext mcxt)
{
	TallyMap   *map = MemoryContextAllocZero(mcxt, sizeof(TallyMap));

	map->entries = keyed_create(mcxt, 64, NULL);
	return map;
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
 * The tally of a key, zero when new.  Inserting may move the entries of a
 * simplehash table, so the cached entry is always the one just returned.
 */
static inline Tally *
tally_map_entry(TallyMap *map, int32 key)
{
	bool		found;

	if (map->last == NULL || map->last->key != key)
	{
		map->last = keyed_insert(map->entries, key, &found);
		if (!found)
			memset(&map->last->tally, 0, sizeof(Tally));
	}
	return &map->last->tally;
}

/* The tally of argument n as a key, or of the NULL key */
static inline Tally *
tally_map_entry_arg(TallyMap *map, FunctionCallInfo fcinfo, int n)
{
	if (PG_ARGISNULL(n))
	{
		map->has_null = true;
		return &map->null_tally;
	}
	return tally_map_entry(map, PG_GETARG_INT32(n));
}

/*
 * tally_by_accum(internal, key integer, invited_on date, ..., decision,
 *				  as_of date) returns internal
 *
 * Every row makes its key's entry, as GROUP BY would, even if it counts
 * nothing as of that date.
 */
PG_FUNCTION_INFO_V1(arrima_tally_by_accum);
Datum
arrima_tally_by_accum(PG_FUNCTION_ARGS)
{
	TallyMap   *map;
	Tally	   *tally;
	InvitationFacts facts;
	DateADT		as_of;

	if (PG_ARGISNULL(0))
		map = tally_map_create(aggregate_context(fcinfo, "tally_by_accum"));
	else
		map = (TallyMap *) PG_GETARG_POINTER(0);
	tally = tally_map_entry_arg(map, fcinfo, 1);
	if (date_arg(fcinfo, 10, &as_of) &&
		invitation_facts_args(fcinfo, 2, &facts))
		tally_count(tally, &facts, as_of);
	PG_RETURN_POINTER(map);
}

/*
 * tally_by_combine(internal, internal) returns internal
 *
 * Adds the second map into the first (made if NULL).
 */
PG_FUNCTION_INFO_V1(arrima_tally_by_combine);
Datum
arrima_tally_by_combine(PG_FUNCTION_ARGS)
{
	TallyMap   *map = PG_ARGISNULL(0) ? NULL : (TallyMap *) PG_GETARG_POINTER(0);
	TallyMap   *more = PG_ARGISNULL(1) ? NULL : (TallyMap *) PG_GETARG_POINTER(1);
	keyed_iterator it;
	KeyedTally *entry;

	if (more == NULL)
	{
		if (map == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(map);
	}
	if (map == NULL)
		map = tally_map_create(aggregate_context(fcinfo, "tally_by_combine"));
	keyed_start_iterate(more->entries, &it);
	while ((entry = keyed_iterate(more->entries, &it)) != NULL)
		tally_accumulate(tally_map_entry(map, entry->key), &entry->tally);
	if (more->has_null)
	{
		map->has_null = true;
		tally_accumulate(&map->null_tally, &more->null_tally);
	}
	PG_RETURN_POINTER(map);
}

/* Send one tally's counters */
static void
send_counters(StringInfo buf, const Tally *tally)
{
	const int64 *counter = (const int64 *) tally;

	for (int i = 0; i < TALLY_NCOUNTERS; i++)
		pq_sendint64(buf, counter[i]);
}

/* Receive one tally's counters, added into *tally */
static void
receive_counters(StringInfo buf, Tally *tally)
{
	Tally		more;
	int64	   *counter = (int64 *) &more;

	for (int i = 0; i < TALLY_NCOUNTERS; i++)
		counter[i] = pq_getmsgint64(buf);
	tally_accumulate(tally, &more);
}

/*
 * tally_by_serialize(internal) returns bytea
 *
 * The number of keys, whether there is a NULL key, then each key with its
 * counters (the NULL key's last).
 */
PG_FUNCTION_INFO_V1(arrima_tally_by_serialize);
Datum
arrima_tally_by_serialize(PG_FUNCTION_ARGS)
{
	TallyMap   *map = (TallyMap *) PG_GETARG_POINTER(0);
	StringInfoData buf;
	keyed_iterator it;
	KeyedTally *entry;

	pq_begintypsend(&buf);
	pq_sendint32(&buf, map->entries->members);
	pq_sendbyte(&buf, map->has_null);
	keyed_start_iterate(map->entries, &it);
	while ((entry = keyed_iterate(map->entries, &it)) != NULL)
	{
		pq_sendint32(&buf, entry->key);
		send_counters(&buf, &entry->tally);
	}
	if (map->has_null)
		send_counters(&buf, &map->null_tally);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/*
 * tally_by_deserialize(bytea, internal) returns internal
 *
 * The map lives in the current, per-tuple, memory context: the combine
 * function copies what it needs.
 */
PG_FUNCTION_INFO_V1(arrima_tally_by_deserialize);
Datum
arrima_tally_by_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *serial = PG_GETARG_BYTEA_PP(0);
	TallyMap   *map = tally_map_create(CurrentMemoryContext);
	StringInfoData buf;
	int32		nkeys;

	initStringInfo(&buf);
	appendBinaryStringInfo(&buf, VARDATA_ANY(serial),
						   VARSIZE_ANY_EXHDR(serial));
	nkeys = pq_getmsgint(&buf, 4);
	map->has_null = pq_getmsgbyte(&buf);
	for (int32 i = 0; i < nkeys; i++)
	{
		int32		key = pq_getmsgint(&buf, 4);

		receive_counters(&buf, tally_map_entry(map, key));
	}
	if (map->has_null)
		receive_counters(&buf, &map->null_tally);
	pq_getmsgend(&buf);
	pfree(buf.data);
	PG_RETURN_POINTER(map);
}

/* Order of keys for qsort */
static int
keyed_tally_cmp(const void *a, const void *b)
{
	int32		ka = (*(KeyedTally *const *) a)->key;
	int32		kb = (*(KeyedTally *const *) b)->key;

	return (ka > kb) - (ka < kb);
}

/* One arrima_stats.keyed_tally value */
static Datum
keyed_tally_datum(TupleDesc tupdesc, bool null_key, int32 key,
				  const Tally *tally)
{
	Datum		values[2] = {Int32GetDatum(key), PointerGetDatum(tally)};
	bool		nulls[2] = {null_key, false};

	return HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls));
}

/*
 * tally_by_final(internal) returns arrima_stats.keyed_tally[]
 *
 * One element per key, in key order, the NULL key last; empty without rows.
 */
PG_FUNCTION_INFO_V1(arrima_tally_by_final);
Datum
arrima_tally_by_final(PG_FUNCTION_ARGS)
{
	TallyMap   *map = PG_ARGISNULL(0) ? NULL : (TallyMap *) PG_GETARG_POINTER(0);
	Oid			elemtype = get_element_type(get_fn_expr_rettype(fcinfo->flinfo));
	TupleDesc	tupdesc;
	KeyedTally **sorted;
	Datum	   *elems;
	int			n = 0;
	keyed_iterator it;
	KeyedTally *entry;
	int16		elemlen;
	bool		elembyval;
	char		elemalign;
	ArrayType  *result;

	if (!OidIsValid(elemtype) || !type_is_rowtype(elemtype))
		elog(ERROR, "tally_by_final must return an array of keyed_tally");
	if (map == NULL)
		PG_RETURN_ARRAYTYPE_P(construct_empty_array(elemtype));

	tupdesc = lookup_rowtype_tupdesc_copy(elemtype, -1);
	if (tupdesc->natts != 2 ||
		TupleDescAttr(tupdesc, 0)->atttypid != INT4OID)
		elog(ERROR, "tally_by_final must return an array of keyed_tally");
	tupdesc = BlessTupleDesc(tupdesc);

	sorted = palloc(sizeof(KeyedTally *) * map->entries->members);
	keyed_start_iterate(map->entries, &it);
	while ((entry = keyed_iterate(map->entries, &it)) != NULL)
		sorted[n++] = entry;
	qsort(sorted, n, sizeof(KeyedTally *), keyed_tally_cmp);

	elems = palloc(sizeof(Datum) * (n + 1));
	for (int i = 0; i < n; i++)
		elems[i] = keyed_tally_datum(tupdesc, false, sorted[i]->key,
									 &sorted[i]->tally);
	if (map->has_null)
		elems[n++] = keyed_tally_datum(tupdesc, true, 0, &map->null_tally);

	get_typlenbyvalalign(elemtype, &elemlen, &elembyval, &elemalign);
	result = construct_array(elems, n, elemtype, elemlen, elembyval, elemalign);
	PG_RETURN_ARRAYTYPE_P(result);
}
