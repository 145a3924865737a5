/*-------------------------------------------------------------------------
 *
 * tally.h
 *	  arrima_stats.tally: every measure of the dashboards as a fixed vector
 *	  of int8 counters (tally.c), and counting an invitation into one.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ARRIMA_TALLY_H
#define ARRIMA_TALLY_H

#include "fmgr.h"

#include "outcome.h"

/* Its layout is the SQL type's (INTERNALLENGTH 104) */
typedef struct Tally
{
	int64		invitations;
	int64		outcomes[NUM_OUTCOMES];
	int64		notices[NUM_GROUNDS];
} Tally;

#define TALLY_NCOUNTERS ((int) (sizeof(Tally) / sizeof(int64)))

#define DatumGetTallyP(X)		((Tally *) DatumGetPointer(X))
#define PG_GETARG_TALLY_P(n)	DatumGetTallyP(PG_GETARG_DATUM(n))
#define PG_RETURN_TALLY_P(x)	PG_RETURN_POINTER(x)

extern Tally *tally_state_arg(FunctionCallInfo fcinfo);
extern void tally_accumulate(Tally *sum, const Tally *addend);

/* Count one invitation, as of a date, into a tally */
static inline void
tally_count(Tally *tally, const InvitationFacts *f, DateADT as_of)
{
	int			outcome = classify_facts(f, as_of);

	if (outcome == ARRIMA_NONE)
		return;
	tally->invitations++;
	tally->outcomes[outcome]++;
	if (f->has_notice && f->notice_on <= as_of && f->ground != ARRIMA_NONE)
		tally->notices[f->ground]++;
}

#endif							/* ARRIMA_TALLY_H */
