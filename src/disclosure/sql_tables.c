/*-------------------------------------------------------------------------
 *
 * sql_tables.c
 *	  The SQL functions of disclosure control:
 *
 *	  disclosure_cells(groups..., min_count) returns every figure of the
 *	  three published tables, with whether it is withheld;
 *	  disclosure_bounds(groups..., min_count, withheld cells...) returns how
 *	  far a reader of all the tables can narrow each withheld figure.
 *
 * The groups are given as parallel arrays, one element per (round, year of
 * invitation), read and checked by sql_args.c.  One release alone is a
 * series of one (series.h): withheld by suppress.c, audited by items.c.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "utils/tuplestore.h"

#include "export.h"
#include "sql.h"

/*
 * disclosure_cells(round_id int[], year int[], category text[],
 *					in_dashboard bool[], invitations_published int[],
 *					tally tally[], min_count int)
 * returns table (publication text, row_key text, round_id int, year int,
 *				  category text, measure text, value bigint, withheld bool)
 */
PG_FUNCTION_INFO_V1(arrima_disclosure_cells);
Datum
arrima_disclosure_cells(PG_FUNCTION_ARGS)
{
	DcModel    *model = dc_model_from_args(fcinfo);
	int			min_count = dc_min_count_arg(fcinfo, DC_NGROUP_ARGS);
	bool	   *withheld = palloc0(Max(model->nquantities, 1) * sizeof(bool));
	TupleDesc	tupdesc;
	Tuplestorestate *store;

	dc_suppress(model, min_count, withheld);
	store = dc_materialize(fcinfo, &tupdesc);
	for (int c = 0; c < model->ncells; c++)
	{
		Datum		values[DC_CELL_COLUMNS + 1];
		bool		nulls[DC_CELL_COLUMNS + 1] = {0};

		dc_cell_columns(model, &model->cells[c], values, nulls);
		values[DC_CELL_COLUMNS] = BoolGetDatum(withheld[model->cells[c].quantity]);
		tuplestore_putvalues(store, tupdesc, values, nulls);
	}
	return (Datum) 0;
}

/*
 * disclosure_bounds(round_id int[], ..., tally tally[], min_count int,
 *					 publication text[], row_key text[], measure text[])
 * returns table (publication text, row_key text, round_id int, year int,
 *				  category text, measure text, value bigint,
 *				  lower bigint, upper bigint, safe bool)
 *
 * The last three arrays list the withheld cells; a count withheld in one
 * table but shown in another is not withheld at all.  One row per listed
 * cell; upper is NULL when nothing bounds it.
 */
PG_FUNCTION_INFO_V1(arrima_disclosure_bounds);
Datum
arrima_disclosure_bounds(PG_FUNCTION_ARGS)
{
	DcModel    *model = dc_model_from_args(fcinfo);
	int			min_count = dc_min_count_arg(fcinfo, DC_NGROUP_ARGS);
	bool	   *withheld = palloc0(Max(model->nquantities, 1) * sizeof(bool));
	bool	   *listed = palloc0(Max(model->ncells, 1) * sizeof(bool));
	DcBounds   *bounds = palloc0(Max(model->nquantities, 1) * sizeof(DcBounds));
	DcRelease  *release = palloc0(sizeof(DcRelease));
	DcSeries   *series;
	DcItem	   *items;
	int			nitems;
	DcBounds   *item_bounds;
	TupleDesc	tupdesc;
	Tuplestorestate *store;

	dc_withheld_args(fcinfo, DC_NGROUP_ARGS + 1, model, listed);
	dc_withheld_from_listed(model, listed, withheld);

	/* one release alone */
	release->model = model;
	release->min_count = min_count;
	release->withheld = withheld;
	series = dc_series_build(1, release);
	nitems = dc_items_collect(series, &items);
	item_bounds = palloc(Max(nitems, 1) * sizeof(DcBounds));
	dc_items_audit(series, NULL, nitems, items, NULL, DC_EXACT, false, item_bounds);
	for (int i = 0; i < nitems; i++)
		bounds[items[i].quantity] = item_bounds[i];

	store = dc_materialize(fcinfo, &tupdesc);
	for (int c = 0; c < model->ncells; c++)
	{
		int			q = model->cells[c].quantity;
		Datum		values[DC_CELL_COLUMNS + 3];
		bool		nulls[DC_CELL_COLUMNS + 3] = {0};

		if (!listed[c])
			continue;
		dc_cell_columns(model, &model->cells[c], values, nulls);
		if (!withheld[q])
		{
			/* shown elsewhere: known exactly */
			bounds[q].lower = bounds[q].upper = model->quantities[q].value;
			bounds[q].safe = dc_safe_width(min_count) <= 0;
		}
		values[DC_CELL_COLUMNS] = Int64GetDatum((int64) bounds[q].lower);
		nulls[DC_CELL_COLUMNS + 1] = isinf(bounds[q].upper);
		if (!isinf(bounds[q].upper))
			values[DC_CELL_COLUMNS + 1] = Int64GetDatum((int64) bounds[q].upper);
		values[DC_CELL_COLUMNS + 2] = BoolGetDatum(bounds[q].safe);
		tuplestore_putvalues(store, tupdesc, values, nulls);
	}
	return (Datum) 0;
}
