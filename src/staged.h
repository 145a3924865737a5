/*-------------------------------------------------------------------------
 *
 * staged.h
 *	  A staged invitation as the validator reads it: its text values and how
 *	  they parse (staged_value.c), what a row parses into (validate.c), and
 *	  the rules of the invitation table told of it (staged_rules.c).
 *
 *-------------------------------------------------------------------------
 */
#ifndef ARRIMA_STAGED_H
#define ARRIMA_STAGED_H

#include "lib/stringinfo.h"
#include "utils/date.h"

#include "outcome.h"

/*
 * The text of one column of a staged row, whitespace trimmed, and how it
 * parses.
 */
typedef struct StagedValue
{
	const char *str;
	int			len;			/* 0 for NULL or empty */
} StagedValue;

typedef enum ParseResult
{
	PARSE_OK,
	PARSE_MALFORMED,
	PARSE_OUT_OF_RANGE
} ParseResult;

/* How much of a bad value a fault quotes */
#define FAULT_VALUE_CHARS	40

/* staged_value.c */
extern StagedValue staged_value(Datum datum);
extern ParseResult parse_int64(StagedValue v, int64 *result);
extern ParseResult parse_date(StagedValue v, DateADT *result);
extern int	parse_label(StagedValue v, const char *const *labels, int n);
extern void append_value(StringInfo buf, StagedValue v);
extern void append_date(StringInfo buf, DateADT date);

/* The columns of a staged row, in the order of the invitation table's */
typedef enum StagedColumn
{
	S_INVITATION_ID,
	S_ROUND_ID,
	S_INVITED_ON,
	S_RESPONSE_DUE_ON,
	S_DECLINED_ON,
	S_APPLICATION_ON,
	S_NOTICE_ON,
	S_NOTICE_GROUND,
	S_DECIDED_ON,
	S_DECISION,
	S_FAULT						/* not staged: the last column of
								 * parse_staged() */
} StagedColumn;

#define NUM_STAGED	S_FAULT

extern const char *const staged_names[NUM_STAGED];

/* What a staged row parsed into */
typedef struct StagedInvitation
{
	bool		present[NUM_STAGED];	/* given, and parsed */
	int64		invitation_id;
	int32		round_id;
	InvitationFacts facts;		/* the dates and labels */
	bool		due_filled;		/* response_due_on came from the round */
	int32		response_days;	/* the round's, when due_filled */
} StagedInvitation;

/* staged_rules.c */
extern void append_column_date(StringInfo buf, StagedColumn column, DateADT date);
extern bool check_rules(const StagedInvitation *inv, StringInfo buf);

#endif							/* ARRIMA_STAGED_H */
