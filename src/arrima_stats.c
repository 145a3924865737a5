/*-------------------------------------------------------------------------
 *
 * arrima_stats.c
 *	  The library: its module magic, and _PG_init, which defines the
 *	  extension's settings (one: arrima_stats.lp_solver, the solver of the
 *	  disclosure audit's linear programs, src/disclosure/lp.c).
 *
 * The library is in layers, each file including and calling only its own
 * layer and those below (test/cases/layers.sh checks it): the concerns of
 * src/ (outcomes, tallies, the calendar, ingestion, reading rows), then
 * disclosure control in src/disclosure/ (its README draws its layers),
 * then this file.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "disclosure/lp.h"
#include "export.h"

PG_MODULE_MAGIC;

extern PGDLLEXPORT void _PG_init(void);

void
_PG_init(void)
{
	lp_define_settings();
}

