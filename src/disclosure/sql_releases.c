/*-------------------------------------------------------------------------
 *
 * sql_releases.c
 *	  The SQL functions of disclosure control over a series of releases:
 *
 *	  disclosure_release(releases, groups, cells, release_id) returns every
 *	  figure of a new release, with whether to withhold it given what the
 *	  kept releases already show;
 *	  disclosure_release_audit(releases, groups, cells, release_id, exact)
 *	  returns how far a reader of every kept release can narrow each
 *	  withheld figure and each flow.
 *
 *	  disclosure_release_gate(releases, groups, cells, proofs) audits every
 *	  release as published, the last gate of a refresh.
 *
 * The arguments are arrays of rows of the tables that keep the releases,
 * read by sql_release_args.c.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/tuplestore.h"

#include "export.h"
#include "sql.h"

/*
 * disclosure_release(releases release[], groups release_group[],
 *					  cells release_cell[], release_id integer,
 *					  proofs release_proof[])
 * returns table (publication text, row_key text, round_id int, year int,
 *				  category text, measure text, value bigint, withheld bool)
 *
 * Every figure of release release_id (its groups given, its cells not),
 * and whether to withhold it given every other release; proofs are points
 * an earlier audit stored (release_proof), to start from.
 */
PG_FUNCTION_INFO_V1(arrima_disclosure_release);
Datum
arrima_disclosure_release(PG_FUNCTION_ARGS)
{
	int32		release_id = PG_GETARG_INT32(3);
	DcSeries   *series = dc_series_from_args(fcinfo, release_id);
	int			target = dc_series_find(series, release_id);
	const DcRelease *rel = &series->releases[target];
	TupleDesc	tupdesc;
	Tuplestorestate *store;

	dc_offer_proofs(fcinfo, 4, series);
	store = dc_materialize(fcinfo, &tupdesc);
	/* before 0.6.0, the function returned no intervals: none are made */
	if (tupdesc->natts < DC_CELL_COLUMNS + 3)
		series->releases[target].has_interval = NULL;
	dc_series_suppress(series, target);
	/* what proved its counts and flows safe, for the last gate */
	dc_keep_points(series, series->pool);
	for (int c = 0; c < rel->model->ncells; c++)
	{
		int			q = rel->model->cells[c].quantity;
		Datum		values[DC_CELL_COLUMNS + 3];
		bool		nulls[DC_CELL_COLUMNS + 3] = {0};

		dc_cell_columns(rel->model, &rel->model->cells[c], values, nulls);
		values[DC_CELL_COLUMNS] = BoolGetDatum(rel->withheld[q]);
		nulls[DC_CELL_COLUMNS + 1] = rel->has_interval == NULL || !rel->has_interval[q];
		values[DC_CELL_COLUMNS + 1] = Int64GetDatum(nulls[DC_CELL_COLUMNS + 1] ? 0 : rel->lower[q]);
		nulls[DC_CELL_COLUMNS + 2] = nulls[DC_CELL_COLUMNS + 1] || rel->upper[q] < 0;
		values[DC_CELL_COLUMNS + 2] = Int64GetDatum(nulls[DC_CELL_COLUMNS + 2] ? 0 : rel->upper[q]);
		tuplestore_putvalues(store, tupdesc, values, nulls);
	}
	return (Datum) 0;
}

/* One row of disclosure_release_audit */
static void
put_item(Tuplestorestate *store, TupleDesc tupdesc, const DcSeries *series,
		 const DcItem *item, const DcCell *cell, const DcBounds *b)
{
	const DcRelease *rel = &series->releases[item->release];
	Datum		values[DC_CELL_COLUMNS + 5];
	bool		nulls[DC_CELL_COLUMNS + 5] = {0};

	values[0] = Int32GetDatum(rel->release_id);
	nulls[1] = item->flow < 0;
	if (item->flow >= 0)
		values[1] = Int32GetDatum(series->releases[series->flows[item->flow].since].release_id);
	dc_cell_columns(rel->model, cell, values + 2, nulls + 2);
	if (item->flow >= 0)
		values[2 + 6] = Int64GetDatum(series->flows[item->flow].value);
	nulls[DC_CELL_COLUMNS + 2] = isinf(b->lower);
	if (!isinf(b->lower))
		values[DC_CELL_COLUMNS + 2] = Int64GetDatum((int64) b->lower);
	nulls[DC_CELL_COLUMNS + 3] = isinf(b->upper);
	if (!isinf(b->upper))
		values[DC_CELL_COLUMNS + 3] = Int64GetDatum((int64) b->upper);
	values[DC_CELL_COLUMNS + 4] = BoolGetDatum(b->safe);
	tuplestore_putvalues(store, tupdesc, values, nulls);
}

/*
 * disclosure_release_audit(releases release[], groups release_group[],
 *							cells release_cell[], release_id integer,
 *							exact boolean)
 * returns table (release_id int, since_release_id int, publication text,
 *				  row_key text, round_id int, year int, category text,
 *				  measure text, value bigint, lower bigint, upper bigint,
 *				  safe bool)
 *
 * The withheld figures of release release_id (of every release if NULL),
 * one row per cell, and the flows into or out of it (since_release_id: the
 * earlier release, value: the change): the bounds a reader of every
 * release can derive (NULL: unbounded) and whether that is safe.  Without
 * exact, each search stops once the figure is shown safe.
 */
PG_FUNCTION_INFO_V1(arrima_disclosure_release_audit);
Datum
arrima_disclosure_release_audit(PG_FUNCTION_ARGS)
{
	DcSeries   *series = dc_series_from_args(fcinfo, -1);
	int			only = PG_ARGISNULL(3) ? -1 : dc_series_find(series, PG_GETARG_INT32(3));
	bool		exact = PG_ARGISNULL(4) || PG_GETARG_BOOL(4);
	DcItem	   *items;
	int			nitems;
	bool	   *which;
	DcBounds   *bounds;
	TupleDesc	tupdesc;
	Tuplestorestate *store;

	if (!PG_ARGISNULL(3) && only < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("there is no release %d", PG_GETARG_INT32(3))));
	nitems = dc_items_collect(series, &items);
	which = palloc(Max(nitems, 1) * sizeof(bool));
	bounds = palloc0(Max(nitems, 1) * sizeof(DcBounds));
	for (int i = 0; i < nitems; i++)
		which[i] = only < 0 || items[i].release == only ||
			(items[i].flow >= 0 && series->flows[items[i].flow].since == only);
	dc_items_audit(series, NULL, nitems, items, which, exact ? DC_EXACT : DC_PROVE,
				   false, bounds);

	store = dc_materialize(fcinfo, &tupdesc);
	for (int i = 0; i < nitems; i++)
	{
		const DcModel *model = series->releases[items[i].release].model;

		if (!which[i])
			continue;
		if (items[i].flow >= 0)
		{
			put_item(store, tupdesc, series, &items[i],
					 &model->cells[series->flows[items[i].flow].cell], &bounds[i]);
			continue;
		}
		for (int c = 0; c < model->ncells; c++)
			if (model->cells[c].quantity == items[i].quantity)
				put_item(store, tupdesc, series, &items[i], &model->cells[c], &bounds[i]);
	}
	return (Datum) 0;
}

/*
 * disclosure_release_gate(releases release[], groups release_group[],
 *						   cells release_cell[], proofs release_proof[])
 * returns table (point int, round_id int[], year int[], unknown smallint[],
 *				  since int[], change float8[])
 *
 * The last gate of a release: every withheld count and every flow of every
 * release, audited as published (starting from the points stored by the
 * last gate, each checked against the rows).  An error names the first one
 * that is not safe; else the points that proved them safe, to store for the
 * next.
 */
PG_FUNCTION_INFO_V1(arrima_disclosure_release_gate);
Datum
arrima_disclosure_release_gate(PG_FUNCTION_ARGS)
{
	DcSeries   *series = dc_series_from_args(fcinfo, -1);
	DcItem	   *items;
	int			nitems;
	DcBounds   *bounds;
	int			unsafe;
	TupleDesc	tupdesc;
	Tuplestorestate *store;

	(void) dc_audit_stats(true);
	dc_offer_proofs(fcinfo, 3, series);

	/* the primary rule, as each release's policy says */
	for (int r = 0; r < series->nreleases; r++)
	{
		const DcRelease *rel = &series->releases[r];

		for (int q = 0; q < rel->model->nquantities; q++)
		{
			int64		value = rel->model->quantities[q].value;
			DcItem		item = {r, q, -1};
			StringInfoData name;

			if (rel->withheld[q] || value < 1 || value >= rel->min_count)
				continue;
			initStringInfo(&name);
			dc_item_name(series, &item, &name);
			ereport(ERROR,
					(errcode(ERRCODE_INTERNAL_ERROR),
					 errmsg("the releases are not safe: %s is shown though it is below min_count (%d)",
							name.data, rel->min_count),
					 errhint("The withholding chosen did not pass the final audit: nothing is published.  Please report this.")));
		}
	}

	nitems = dc_items_collect(series, &items);
	bounds = palloc0(Max(nitems, 1) * sizeof(DcBounds));
	unsafe = dc_items_audit(series, series->pool, nitems, items, NULL, DC_PROVE,
							true, bounds);
	dc_audit_stats_log(psprintf("gate (%d items)", nitems), true);
	if (unsafe >= 0)
	{
		StringInfoData name;

		initStringInfo(&name);
		dc_item_name(series, &items[unsafe], &name);
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("the releases are not safe: %s can be narrowed to [%.0f, %.0f]",
						name.data, bounds[unsafe].lower, bounds[unsafe].upper),
				 errhint("The withholding chosen did not pass the final audit: nothing is published.  Please report this.")));
	}

	store = dc_materialize(fcinfo, &tupdesc);
	dc_put_points(store, tupdesc, series, series->pool);
	return (Datum) 0;
}
