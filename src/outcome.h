/*-------------------------------------------------------------------------
 *
 * outcome.h
 *	  The outcome model: the extension's SQL enums as C enums, the facts
 *	  classification reads from an invitation, classification itself, and
 *	  the lookup of the enums' labels (outcome.c).
 *
 * The C enums below mirror the SQL enums of the install script, in the same
 * order; outcome.c maps them to the OIDs of the SQL labels.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ARRIMA_OUTCOME_H
#define ARRIMA_OUTCOME_H

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

/* The enum labels, in the order of the C enums above */
extern const char *const decision_labels[NUM_DECISIONS];
extern const char *const ground_labels[NUM_GROUNDS];

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
 * The outcome of an invitation as of a date: an event dated after as_of has
 * not happened.  ARRIMA_NONE before invited_on.
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

#endif							/* ARRIMA_OUTCOME_H */
