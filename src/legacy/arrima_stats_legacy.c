/*-------------------------------------------------------------------------
 *
 * arrima_stats_legacy.c
 *	  The C functions of arrima_stats 0.1.0 and 0.2.0 under the link symbols
 *	  those versions' install and upgrade scripts name (classify, tally_in,
 *	  ...), each forwarding the call, unchanged, to arrima_<name> in the
 *	  main library.
 *
 * From 0.3.0 on, every symbol the main library exports starts with arrima_,
 * so that it cannot clash with another library loaded in the same backend.
 * The scripts of released versions are never edited, and CREATE FUNCTION
 * ... LANGUAGE C checks that its symbol exists: so the secondary control
 * files arrima_stats--0.1.0.control and arrima_stats--0.2.0.control point
 * MODULE_PATHNAME at this library, and those versions install and update
 * as they always did.  The upgrade to 0.3.0 points every C function back at
 * the main library, under its new name; nothing is left bound here.
 *
 * A database still at 0.1.0 or 0.2.0 whose functions were created before
 * this library existed names the main library with the old symbols: it
 * needs ALTER EXTENSION arrima_stats UPDATE once the new library is
 * installed (README, "Upgrading").
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"

#include "../export.h"

PG_MODULE_MAGIC;

#define ARRIMA_LIBRARY	"$libdir/arrima_stats"

/*
 * The old symbol name: calls arrima_<name> of the main library with the same
 * fcinfo.  That function is looked up on the first call, and kept.
 */
#define LEGACY_FORWARD(name) \
PG_FUNCTION_INFO_V1(name); \
Datum \
name(PG_FUNCTION_ARGS) \
{ \
	static PGFunction target = NULL; \
\
	if (target == NULL) \
		target = (PGFunction) load_external_function(ARRIMA_LIBRARY, \
													 "arrima_" #name, \
													 true, NULL); \
	return target(fcinfo); \
}

/* classify.c */
LEGACY_FORWARD(classify)

/* tally.c */
LEGACY_FORWARD(tally_in)
LEGACY_FORWARD(tally_out)
LEGACY_FORWARD(tally_recv)
LEGACY_FORWARD(tally_send)
LEGACY_FORWARD(tally_add)
LEGACY_FORWARD(tally_counts)

/* tally_agg.c */
LEGACY_FORWARD(tally_accum_row)
LEGACY_FORWARD(tally_accum)
LEGACY_FORWARD(tally_by_accum)
LEGACY_FORWARD(tally_by_combine)
LEGACY_FORWARD(tally_by_serialize)
LEGACY_FORWARD(tally_by_deserialize)
LEGACY_FORWARD(tally_by_final)

/* validate.c */
LEGACY_FORWARD(invitation_fault)
LEGACY_FORWARD(parse_staged)
LEGACY_FORWARD(staged_round_id)

/* disclosure.c */
LEGACY_FORWARD(disclosure_cells)
LEGACY_FORWARD(disclosure_bounds)
