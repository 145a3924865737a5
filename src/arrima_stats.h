/*-------------------------------------------------------------------------
 *
 * arrima_stats.h
 *	  Shared definitions of the arrima_stats extension: the outcome model,
 *	  the facts classification reads from an invitation, and the tally.
 *
 * The C enums below mirror the SQL enums of the install script, in the same
 * order; arrima_stats.c maps them to the OIDs of the SQL labels.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ARRIMA_STATS_H
#define ARRIMA_STATS_H

#include "access/htup.h"
#include "access/tupdesc.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/date.h"

/* arrima_stats.outcome, in its SQL order */
typedef enum Outcome
{
	OUTCOME_AWAITING_RESPONSE,
	OUTCOME_DECLINED,
	OUTCOME_EXPIRED,
	OUTCOME_IN_PROCESSING,
	OUTCOME_CANCELLATION_PENDING,
	OUTCOME_REJECTED,
	OUTCOME_REFUSED,
	OUTCOME_CANCELLED,
	OUTCOME_WITHDRAWN,
	OUTCOME_SELECTED
} Outcome;

#define NUM_OUTCOMES	(OUTCOME_SELECTED + 1)

/* arrima_stats.decision, in its SQL order */
typedef enum Decision
{
	DECISION_REJECTED,
	DECISION_REFUSED,
	DECISION_CANCELLED,
	DECISION_WITHDRAWN,
	DECISION_SELECTED
} Decision;

#define NUM_DECISIONS	(DECISION_SELECTED + 1)

/* arrima_stats.notice_ground, in its SQL order */
typedef enum NoticeGround
{
	GROUND_CANNOT_SUPPORT,
	GROUND_DID_NOT_SUPPORT
} NoticeGround;

#define NUM_GROUNDS		(GROUND_DID_NOT_SUPPORT + 1)

/* Not a C enum value: "no such label" / "NULL" */
#define ARRIMA_NONE		(-1)

/*
 * What classification needs to know of one invitation.  A date that is NULL
 * has its has_* flag false; decision and ground are indexes into the C enums
 * above, or ARRIMA_NONE.
 */
typedef struct InvitationFacts
{
	DateADT		invited_on;
	DateADT		response_due_on;
	DateADT		declined_on;
	DateADT		application_on;
	DateADT		notice_on;
	DateADT		decided_on;
	bool		has_declined;
	bool		has_application;
	bool		has_notice;
	bool		has_decision;
	int			ground;
	int			decision;
} InvitationFacts;

/*
 * The outcome of an invitation as of a date, as the contract defines it: an
 * event dated after as_of has not happened.  ARRIMA_NONE before invited_on.
 */
static inline int
classify_facts(const InvitationFacts *f, DateADT as_of)
{
	static const int decision_outcome[NUM_DECISIONS] = {
		[DECISION_REJECTED] = OUTCOME_REJECTED,
		[DECISION_REFUSED] = OUTCOME_REFUSED,
		[DECISION_CANCELLED] = OUTCOME_CANCELLED,
		[DECISION_WITHDRAWN] = OUTCOME_WITHDRAWN,
		[DECISION_SELECTED] = OUTCOME_SELECTED,
	};

	if (as_of < f->invited_on)
		return ARRIMA_NONE;
	if (f->has_declined && f->declined_on <= as_of)
		return OUTCOME_DECLINED;
	if (!f->has_application || f->application_on > as_of)
		return f->response_due_on < as_of ? OUTCOME_EXPIRED : OUTCOME_AWAITING_RESPONSE;
	if (f->has_decision && f->decided_on <= as_of && f->decision != ARRIMA_NONE)
		return decision_outcome[f->decision];
	if (f->has_notice && f->notice_on <= as_of)
		return OUTCOME_CANCELLATION_PENDING;
	return OUTCOME_IN_PROCESSING;
}

/*
 * The OIDs of the extension's enum labels, looked up once per call site
 * (fn_extra) from the schema the calling function lives in, so that the
 * search_path never matters.
 */
typedef struct ArrimaEnums
{
	Oid			outcome_type;
	Oid			decision_type;
	Oid			ground_type;
	Oid			outcome[NUM_OUTCOMES];
	Oid			decision[NUM_DECISIONS];
	Oid			ground[NUM_GROUNDS];
} ArrimaEnums;

extern void arrima_enums_load(ArrimaEnums *enums, Oid fn_oid);

/* The index of an enum OID in a lookup table, or ARRIMA_NONE */
static inline int
arrima_enum_index(const Oid *oids, int n, Oid value)
{
	for (int i = 0; i < n; i++)
		if (oids[i] == value)
			return i;
	return ARRIMA_NONE;
}

/*
 * arrima_stats.tally: every measure of the dashboards as a fixed vector of
 * int8 counters.  Its layout is the SQL type's (INTERNALLENGTH 104).
 */
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

/*
 * Reads composite datums (rows) by column name.  The row type's descriptor
 * is copied and the wanted columns are found by name on the first row, and
 * again only when a row of another type comes; so later versions may add or
 * reorder columns.  Each wanted column must have its expected type.
 */
typedef struct RowReader
{
	MemoryContext mcxt;			/* where the cached descriptor lives */
	int			ncolumns;		/* the wanted columns: */
	const char *const *names;
	const Oid  *types;
	AttrNumber *attnum;			/* ... and where they are in the row type */
	Oid			tuptype;
	int32		tuptypmod;
	TupleDesc	tupdesc;
	Datum	   *values;			/* the last row read, deformed */
	bool	   *nulls;
} RowReader;

extern void row_reader_init(RowReader *reader, MemoryContext mcxt,
							int ncolumns, const char *const *names,
							const Oid *types);
extern void row_reader_read(RowReader *reader, HeapTupleHeader row);

/* Wanted column i of the last row read: false if NULL */
static inline bool
row_reader_get(const RowReader *reader, int i, Datum *value)
{
	int			k = reader->attnum[i] - 1;

	if (reader->nulls[k])
		return false;
	*value = reader->values[k];
	return true;
}

/* The enum labels, in the order of the C enums above */
extern const char *const decision_labels[NUM_DECISIONS];
extern const char *const ground_labels[NUM_GROUNDS];

/* The columns of an invitation row that classification reads */
#define INVITATION_NFIELDS 8

/*
 * Reads invitation rows into facts.  One lives in the fn_extra of each call
 * site, with the enum labels it compares against.
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

/*
 * Staged values (staged_value.c): the text of one column of a staged row,
 * whitespace trimmed, and how it parses.
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

extern StagedValue staged_value(Datum datum);
extern ParseResult parse_int64(StagedValue v, int64 *result);
extern ParseResult parse_date(StagedValue v, DateADT *result);
extern int	parse_label(StagedValue v, const char *const *labels, int n);
extern void append_value(StringInfo buf, StagedValue v);
extern void append_date(StringInfo buf, DateADT date);

#endif							/* ARRIMA_STATS_H */
