/*-------------------------------------------------------------------------
 *
 * tally.h
 *	  arrima_stats.tally: every measure of the dashboards as a fixed vector
 *	  of int8 counters (tally.c), and counting an invitation into one; its
 *	  signed counterpart arrima_stats.tally_change, the change of a tally
 *	  between two dates (tally_change.c).
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

/*
 * The same counters, signed: how a tally changes (INTERNALLENGTH 104 too).
 * A tally is a tally_change whose counters are all non-negative.
 */
typedef struct TallyChange
{
	int64		invitations;
	int64		outcomes[NUM_OUTCOMES];
	int64		notices[NUM_GROUNDS];
} TallyChange;

#define DatumGetTallyChangeP(X)		((TallyChange *) DatumGetPointer(X))
#define PG_GETARG_TALLY_CHANGE_P(n) DatumGetTallyChangeP(PG_GETARG_DATUM(n))
#define PG_RETURN_TALLY_CHANGE_P(x) PG_RETURN_POINTER(x)

/*
 * Soft errors for input functions (pg_input_is_valid) from PostgreSQL 16 on;
 * a plain ERROR before.
 */
#if PG_VERSION_NUM >= 160000
#define input_error(fcinfo, ...) ereturn((fcinfo)->context, (Datum) 0, __VA_ARGS__)
#else
#define input_error(fcinfo, ...) \
	do { ereport(ERROR, __VA_ARGS__); pg_unreachable(); } while (0)
#endif

/* The counters by name, in their order: tally_counts()'s columns */
extern const char *const tally_counter_names[];

extern const char *tally_parse_counters(const char *str, int64 *counter,
										bool is_signed);
extern char *tally_format_counters(const int64 *counter);
extern Tally *tally_state_arg(FunctionCallInfo fcinfo);
extern void tally_accumulate(Tally *sum, const Tally *addend);
extern void tally_change_accumulate(TallyChange *sum,
									const TallyChange *addend);

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
