/*-------------------------------------------------------------------------
 *
 * invitation_reader.h
 *	  Reading arrima_stats.invitation rows, or an invitation's columns
 *	  passed as the arguments of a function, into the facts classification
 *	  needs (invitation_reader.c).
 *
 *-------------------------------------------------------------------------
 */
#ifndef ARRIMA_INVITATION_READER_H
#define ARRIMA_INVITATION_READER_H

#include "fmgr.h"
#include "utils/date.h"

#include "outcome.h"
#include "row_reader.h"

/* The columns of an invitation row that classification reads */
#define INVITATION_NFIELDS 8

/*
 * One lives in the fn_extra of each call site, with the enum labels it
 * compares against.
 */
typedef struct InvitationReader
{
	ArrimaEnums enums;
	Oid			types[INVITATION_NFIELDS];
	RowReader	row;
} InvitationReader;

extern InvitationReader *invitation_reader(FunctionCallInfo fcinfo);
extern bool invitation_read(InvitationReader *reader, HeapTupleHeader row,
							InvitationFacts *facts);

/* The enum labels of a call site (fn_extra), looked up on its first call */
extern const ArrimaEnums *call_site_enums(FunctionCallInfo fcinfo);

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
 * The eight arguments (invited_on date, response_due_on date, declined_on
 * date, application_on date, notice_on date, notice_ground, decided_on date,
 * decision) from argument number first on, as facts.  False, and nothing to
 * count, if invited_on or response_due_on is NULL.  The call site's fn_extra
 * holds its enum labels (call_site_enums).
 */
static inline bool
invitation_facts_args(FunctionCallInfo fcinfo, int first,
					  InvitationFacts *facts)
{
	const ArrimaEnums *enums = call_site_enums(fcinfo);

	if (!date_arg(fcinfo, first, &facts->invited_on) ||
		!date_arg(fcinfo, first + 1, &facts->response_due_on))
		return false;
	facts->has_declined = date_arg(fcinfo, first + 2, &facts->declined_on);
	facts->has_application = date_arg(fcinfo, first + 3, &facts->application_on);
	facts->has_notice = date_arg(fcinfo, first + 4, &facts->notice_on);
	facts->ground = enum_arg(fcinfo, first + 5, enums->ground, NUM_GROUNDS);
	facts->has_decision = date_arg(fcinfo, first + 6, &facts->decided_on);
	facts->decision = enum_arg(fcinfo, first + 7, enums->decision, NUM_DECISIONS);
	return true;
}

#endif							/* ARRIMA_INVITATION_READER_H */
