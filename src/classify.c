/*-------------------------------------------------------------------------
 *
 * classify.c
 *	  arrima_stats.classify(invitation, date).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "export.h"
#include "invitation_reader.h"

/*
 * classify(invitation, as_of date) returns outcome
 *
 * The invitation's outcome as of a date; NULL before it was invited.
 */
PG_FUNCTION_INFO_V1(arrima_classify);
Datum
arrima_classify(PG_FUNCTION_ARGS)
{
	InvitationReader *reader = invitation_reader(fcinfo);
	InvitationFacts facts;
	int			outcome;

	if (!invitation_read(reader, PG_GETARG_HEAPTUPLEHEADER(0), &facts))
		PG_RETURN_NULL();
	outcome = classify_facts(&facts, PG_GETARG_DATEADT(1));
	if (outcome == ARRIMA_NONE)
		PG_RETURN_NULL();
	PG_RETURN_OID(reader->enums.outcome[outcome]);
}
