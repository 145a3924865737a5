/*-------------------------------------------------------------------------
 *
 * invitation_reader.h
 *	  Reading arrima_stats.invitation rows into the facts classification
 *	  needs (invitation_reader.c).
 *
 *-------------------------------------------------------------------------
 */
#ifndef ARRIMA_INVITATION_READER_H
#define ARRIMA_INVITATION_READER_H

#include "fmgr.h"

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

#endif							/* ARRIMA_INVITATION_READER_H */
