/*-------------------------------------------------------------------------
 *
 * tally_agg.c
 *	  Transition functions of the aggregates that count invitations into a
 *	  tally, in one pass: arrima_stats.tally(invitation, as_of) over whole
 *	  rows, and arrima_stats.tally(invited_on, ..., decision, as_of) over
 *	  the columns themselves, which spares the executor forming a row per
 *	  invitation.  Their combine function is tally_add (tally.c).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "utils/date.h"

#include "arrima_stats.h"

/*
 * tally_accum_row(tally, invitation, as_of date) returns tally
 *
 * Strict: a NULL row or as_of counts nothing.
 */
PG_FUNCTION_INFO_V1(tally_accum_row);
Datum
tally_accum_row(PG_FUNCTION_ARGS)
{
	InvitationReader *reader = invitation_reader(fcinfo);
	Tally	   *state = tally_state_arg(fcinfo);
	InvitationFacts facts;

	if (invitation_read(reader, PG_GETARG_HEAPTUPLEHEADER(1), &facts))
		tally_count(state, &facts, PG_GETARG_DATEADT(2));
	PG_RETURN_TALLY_P(state);
}

/* The enum labels of this call site, looked up on its first call */
static const ArrimaEnums *
call_site_enums(FunctionCallInfo fcinfo)
{
	FmgrInfo   *flinfo = fcinfo->flinfo;

	if (flinfo->fn_extra == NULL)
	{
		ArrimaEnums *enums = MemoryContextAlloc(flinfo->fn_mcxt,
												sizeof(ArrimaEnums));

		arrima_enums_load(enums, flinfo->fn_oid);
		flinfo->fn_extra = enums;
	}
	return (const ArrimaEnums *) flinfo->fn_extra;
}

/* Argument n as a date: false if NULL */
static inline bool
date_arg(FunctionCallInfo fcinfo, int n, DateADT *date)
{
	if (PG_ARGISNULL(n))
		return false;
	*date = PG_GETARG_DATEADT(n);
	return true;
}

/* Argument n as the C index of an enum label, or ARRIMA_NONE */
static inline int
enum_arg(FunctionCallInfo fcinfo, int n, const Oid *oids, int noids)
{
	if (PG_ARGISNULL(n))
		return ARRIMA_NONE;
	return arrima_enum_index(oids, noids, PG_GETARG_OID(n));
}

/*
 * tally_accum(tally, invited_on date, response_due_on date, declined_on date,
 *			   application_on date, notice_on date, notice_ground,
 *			   decided_on date, decision, as_of date) returns tally
 *
 * Not strict, since NULL dates are facts; an invitation without invited_on
 * or response_due_on, or a NULL as_of, counts nothing.
 */
PG_FUNCTION_INFO_V1(tally_accum);
Datum
tally_accum(PG_FUNCTION_ARGS)
{
	const ArrimaEnums *enums = call_site_enums(fcinfo);
	Tally	   *state = tally_state_arg(fcinfo);
	InvitationFacts facts;
	DateADT		as_of;

	if (!date_arg(fcinfo, 1, &facts.invited_on) ||
		!date_arg(fcinfo, 2, &facts.response_due_on) ||
		!date_arg(fcinfo, 9, &as_of))
		PG_RETURN_TALLY_P(state);
	facts.has_declined = date_arg(fcinfo, 3, &facts.declined_on);
	facts.has_application = date_arg(fcinfo, 4, &facts.application_on);
	facts.has_notice = date_arg(fcinfo, 5, &facts.notice_on);
	facts.ground = enum_arg(fcinfo, 6, enums->ground, NUM_GROUNDS);
	facts.has_decision = date_arg(fcinfo, 7, &facts.decided_on);
	facts.decision = enum_arg(fcinfo, 8, enums->decision, NUM_DECISIONS);
	tally_count(state, &facts, as_of);
	PG_RETURN_TALLY_P(state);
}
