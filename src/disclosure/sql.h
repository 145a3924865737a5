/*-------------------------------------------------------------------------
 *
 * sql.h
 *	  The top layer of disclosure control: its SQL entry points, and what
 *	  they share.
 *
 * sql_tables.c: disclosure_cells() and disclosure_bounds(), one release
 * given as group arrays (read by sql_args.c); sql_releases.c:
 * disclosure_release(), disclosure_release_audit() and
 * disclosure_release_gate(), a series given as rows of the release tables
 * (read by sql_release_args.c); sql_result.c: their result rows;
 * sql_points.c: points as rows of release_proof, and those the withholding
 * found, for the last gate (disclosure_release_points()).  Nothing
 * below this layer reads a function's arguments or builds its result.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ARRIMA_SQL_H
#define ARRIMA_SQL_H

#include "fmgr.h"
#include "access/tupdesc.h"

#include "suppress.h"

/* sql_args.c: the group arrays and the withheld cells, checked */
#define DC_NGROUP_ARGS	6		/* the group arrays, first */

extern DcModel *dc_model_from_args(FunctionCallInfo fcinfo);
extern int	dc_min_count_arg(FunctionCallInfo fcinfo, int n);
extern void dc_withheld_args(FunctionCallInfo fcinfo, int first,
							 const DcModel *model, bool *listed);

/* sql_release_args.c: releases, their groups, cells and stored points */
extern DcSeries *dc_series_from_args(FunctionCallInfo fcinfo, int32 target);
extern void dc_offer_proofs(FunctionCallInfo fcinfo, int n, DcSeries *series);

/* sql_result.c: what the functions return */
#define DC_CELL_COLUMNS	7		/* dc_cell_columns(): where a cell is, its value */

extern struct Tuplestorestate *dc_materialize(FunctionCallInfo fcinfo,
											  TupleDesc *tupdesc);
extern void dc_cell_columns(const DcModel *model, const DcCell *cell,
							Datum *values, bool *nulls);

/* sql_points.c: points as rows of release_proof, and for the last gate */
extern void dc_put_points(struct Tuplestorestate *store, TupleDesc tupdesc,
						  const DcSeries *series, const DcPoints *pool);
extern void dc_keep_points(const DcSeries *series, const DcPoints *pool);

#endif							/* ARRIMA_SQL_H */
