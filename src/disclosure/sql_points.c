/*-------------------------------------------------------------------------
 *
 * sql_points.c
 *	  Points of a series as rows of release_proof (round_id[], year[],
 *	  unknown[], since[], change[]: each unknown by its key, series.h), and
 *	  the points the last withholding found, handed to the last gate.
 *
 * disclosure_release() finds, while it withholds, the points that prove
 * the new release's counts and flows safe; the last gate, which audits
 * everything again as stored, would have to find them again.  So they are
 * kept, in this backend, until disclosure_release_points() returns them
 * (refresh_publications() offers them to the gate with the stored proofs).
 * They are hints like any stored point: the gate checks each against its
 * own rows before it counts.
 *
 * A stored point keeps its number (release_proof.point) while it proves
 * something: the gate returns it with that number, and a point found since
 * with a number after every stored one's, so that a refresh deletes from
 * release_proof the points no longer used and adds the new ones, and writes
 * what changed.  (Every point the gate returns has its number: the
 * refresh_publications() of 0.5.0, which runs with this library until
 * ALTER EXTENSION UPDATE, stores them all as they come.)
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"

#include "export.h"
#include "sql.h"

/* A point by the keys of its unknowns */
typedef struct KeyedPoint
{
	int32		id;				/* the number it is stored under, or 0 */
	int			n;
	int32	   *round_id;
	bool	   *has_year;
	int32	   *year;
	int16	   *unknown;
	int32	   *since;
	double	   *change;
} KeyedPoint;

/* The points the last disclosure_release() of this backend found */
static MemoryContext kept_cxt = NULL;
static int	nkept = 0;
static KeyedPoint *kept = NULL;

/* Point k of a pool by its keys, if it proved something (else n = 0) */
static KeyedPoint
keyed_point(const DcSeries *series, const DcPoints *pool, int k)
{
	KeyedPoint	p;
	const int  *vars;
	const double *changes;

	p.n = dc_points_used(pool, k, &vars, &changes);
	p.id = p.n > 0 ? dc_points_id(pool, k) : 0;
	if (p.n == 0)
		return p;
	p.round_id = palloc(p.n * sizeof(int32));
	p.has_year = palloc(p.n * sizeof(bool));
	p.year = palloc(p.n * sizeof(int32));
	p.unknown = palloc(p.n * sizeof(int16));
	p.since = palloc(p.n * sizeof(int32));
	p.change = palloc(p.n * sizeof(double));
	for (int i = 0; i < p.n; i++)
	{
		dc_unknown_key(series, vars[i], &p.round_id[i], &p.has_year[i], &p.year[i],
					   &p.unknown[i], &p.since[i]);
		p.change[i] = changes[i];
	}
	return p;
}

/* A row of release_proof, its number NULL if it is not stored yet */
static void
put_point(Tuplestorestate *store, TupleDesc tupdesc, const KeyedPoint *p)
{
	Datum	   *round_id = palloc(p->n * sizeof(Datum));
	Datum	   *year = palloc(p->n * sizeof(Datum));
	bool	   *year_null = palloc(p->n * sizeof(bool));
	Datum	   *unknown = palloc(p->n * sizeof(Datum));
	Datum	   *since = palloc(p->n * sizeof(Datum));
	Datum	   *change = palloc(p->n * sizeof(Datum));
	int			dims[1] = {p->n};
	int			lbs[1] = {1};
	Datum		values[6];
	bool		nulls[6] = {0};

	for (int i = 0; i < p->n; i++)
	{
		round_id[i] = Int32GetDatum(p->round_id[i]);
		year[i] = Int32GetDatum(p->year[i]);
		year_null[i] = !p->has_year[i];
		unknown[i] = Int16GetDatum(p->unknown[i]);
		since[i] = Int32GetDatum(p->since[i]);
		change[i] = Float8GetDatum(p->change[i]);
	}
	nulls[0] = p->id == 0;
	values[0] = Int32GetDatum(p->id);
	values[1] = PointerGetDatum(construct_array(round_id, p->n, INT4OID, 4, true, TYPALIGN_INT));
	values[2] = PointerGetDatum(construct_md_array(year, year_null, 1, dims, lbs,
												   INT4OID, 4, true, TYPALIGN_INT));
	values[3] = PointerGetDatum(construct_array(unknown, p->n, INT2OID, 2, true, TYPALIGN_SHORT));
	values[4] = PointerGetDatum(construct_array(since, p->n, INT4OID, 4, true, TYPALIGN_INT));
	values[5] = PointerGetDatum(construct_array(change, p->n, FLOAT8OID, 8,
												FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	tuplestore_putvalues(store, tupdesc, values, nulls);
	pfree(round_id);
	pfree(year);
	pfree(year_null);
	pfree(unknown);
	pfree(since);
	pfree(change);
}

/*
 * The points of a pool that proved something and change at most
 * DC_PROOF_CHANGES unknowns (series.h), as rows of release_proof: those
 * stored before with their numbers, the others numbered after them
 */
void
dc_put_points(Tuplestorestate *store, TupleDesc tupdesc, const DcSeries *series,
			  const DcPoints *pool)
{
	int32		last = 0;

	for (int k = 0; k < dc_points_count(pool); k++)
		last = Max(last, dc_points_id(pool, k));
	for (int k = 0; k < dc_points_count(pool); k++)
	{
		KeyedPoint	p = keyed_point(series, pool, k);

		if (p.n == 0 || p.n > DC_PROOF_CHANGES)
			continue;
		if (p.id == 0)
		{
			if (last == PG_INT32_MAX)
				ereport(ERROR,
						(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						 errmsg("release_proof has run out of point numbers"),
						 errhint("Renumber the points of arrima_stats.release_proof from 1.")));
			p.id = ++last;
		}
		put_point(store, tupdesc, &p);
	}
}

/*
 * Keep the points of a pool found since it was given the stored ones that
 * proved something, for disclosure_release_points() (those kept before are
 * forgotten; the stored ones the gate is given anyway)
 */
void
dc_keep_points(const DcSeries *series, const DcPoints *pool)
{
	MemoryContext old;

	if (kept_cxt != NULL)
		MemoryContextDelete(kept_cxt);
	kept_cxt = AllocSetContextCreate(TopMemoryContext,
									 "disclosure: points for the last gate",
									 ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(kept_cxt);
	kept = palloc(Max(dc_points_count(pool), 1) * sizeof(KeyedPoint));
	nkept = 0;
	for (int k = 0; k < dc_points_count(pool); k++)
	{
		KeyedPoint	p = keyed_point(series, pool, k);

		if (p.n > 0 && p.id == 0)
			kept[nkept++] = p;
	}
	MemoryContextSwitchTo(old);
}

/*
 * disclosure_release_points() returns setof release_proof
 *
 * The points the last disclosure_release() of this session found (none if
 * there was none, or they were returned already): hints for the last gate.
 */
PG_FUNCTION_INFO_V1(arrima_disclosure_release_points);
Datum
arrima_disclosure_release_points(PG_FUNCTION_ARGS)
{
	TupleDesc	tupdesc;
	Tuplestorestate *store = dc_materialize(fcinfo, &tupdesc);

	for (int k = 0; k < nkept; k++)
		put_point(store, tupdesc, &kept[k]);
	if (kept_cxt != NULL)
		MemoryContextDelete(kept_cxt);
	kept_cxt = NULL;
	kept = NULL;
	nkept = 0;
	return (Datum) 0;
}
