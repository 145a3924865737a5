/*-------------------------------------------------------------------------
 *
 * sql_result.c
 *	  The results of the SQL functions of disclosure control: a
 *	  materialized set, and the columns that say where a cell is.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/tuplestore.h"

#include "sql.h"

/* Set up a materialized set-returning call; returns its store */
Tuplestorestate *
dc_materialize(FunctionCallInfo fcinfo, TupleDesc *tupdesc)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	MemoryContext old;
	Tuplestorestate *store;

	if (rsinfo == NULL || !IsA(rsinfo, ReturnSetInfo) ||
		!(rsinfo->allowedModes & SFRM_Materialize))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("set-valued function called in context that cannot accept a set")));
	if (get_call_result_type(fcinfo, NULL, tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	old = MemoryContextSwitchTo(rsinfo->econtext->ecxt_per_query_memory);
	*tupdesc = CreateTupleDescCopy(*tupdesc);
	store = tuplestore_begin_heap(rsinfo->allowedModes & SFRM_Materialize_Random,
								  false, work_mem);
	rsinfo->returnMode = SFRM_Materialize;
	rsinfo->setResult = store;
	rsinfo->setDesc = *tupdesc;
	MemoryContextSwitchTo(old);
	return store;
}

/*
 * The first DC_CELL_COLUMNS columns of the functions' rows: where a cell is
 * (publication, row_key, round_id, year, category, measure), and its value
 */
void
dc_cell_columns(const DcModel *model, const DcCell *cell, Datum *values, bool *nulls)
{
	const DcRow *row = &model->rows[cell->row];

	values[0] = CStringGetTextDatum(dc_table_names[row->table]);
	values[1] = CStringGetTextDatum(dc_row_key(model, row));
	nulls[2] = !row->has_round;
	values[2] = Int32GetDatum(row->round_id);
	nulls[3] = !row->has_year;
	values[3] = Int32GetDatum(row->year);
	nulls[4] = row->category < 0;
	if (row->category >= 0)
		values[4] = CStringGetTextDatum(model->categories[row->category]);
	values[5] = CStringGetTextDatum(dc_measure_names[cell->measure]);
	values[6] = Int64GetDatum(model->quantities[cell->quantity].value);
}
