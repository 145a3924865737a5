/*-------------------------------------------------------------------------
 *
 * staged_rules.c
 *	  The rules of the invitation table, checked on a staged invitation
 *	  that parsed, and told as a person can act on them: one line naming
 *	  the column, the value and the rule, e.g.
 *	  "application_on 2022-06-01 is after response_due_on 2022-05-09".
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "staged.h"

const char *const staged_names[NUM_STAGED] = {
	[S_INVITATION_ID] = "invitation_id",
	[S_ROUND_ID] = "round_id",
	[S_INVITED_ON] = "invited_on",
	[S_RESPONSE_DUE_ON] = "response_due_on",
	[S_DECLINED_ON] = "declined_on",
	[S_APPLICATION_ON] = "application_on",
	[S_NOTICE_ON] = "notice_on",
	[S_NOTICE_GROUND] = "notice_ground",
	[S_DECIDED_ON] = "decided_on",
	[S_DECISION] = "decision",
};

/* "<column> <date>" */
void
append_column_date(StringInfo buf, StagedColumn column, DateADT date)
{
	appendStringInfo(buf, "%s ", staged_names[column]);
	append_date(buf, date);
}

/* "response_due_on <date>", and where it came from when it was filled */
static void
append_due(StringInfo buf, const StagedInvitation *inv)
{
	append_column_date(buf, S_RESPONSE_DUE_ON, inv->facts.response_due_on);
	if (inv->due_filled)
		appendStringInfo(buf, " (invited_on plus round %d's %d response days)",
						 inv->round_id, inv->response_days);
}

/*
 * The rule date >= bound, told as "<column> <date> is before <bound_column>
 * <bound>" when broken (response_due_on with where it came from).
 */
static bool
check_on_or_after(const StagedInvitation *inv, StagedColumn column,
				  DateADT date, StagedColumn bound_column, DateADT bound,
				  StringInfo buf)
{
	if (date >= bound)
		return true;
	if (column == S_RESPONSE_DUE_ON)
		append_due(buf, inv);
	else
		append_column_date(buf, column, date);
	appendStringInfoString(buf, " is before ");
	append_column_date(buf, bound_column, bound);
	return false;
}

/* The rule date <= bound, told as "<column> <date> is after <bound_column> <bound>" */
static bool
check_on_or_before(const StagedInvitation *inv, StagedColumn column,
				   DateADT date, StagedColumn bound_column, DateADT bound,
				   StringInfo buf)
{
	if (date <= bound)
		return true;
	append_column_date(buf, column, date);
	appendStringInfoString(buf, " is after ");
	if (bound_column == S_RESPONSE_DUE_ON)
		append_due(buf, inv);
	else
		append_column_date(buf, bound_column, bound);
	return false;
}

/* "<column> <value> is given without <other>" */
static void
append_without(StringInfo buf, const StagedInvitation *inv, StagedColumn column,
			   StagedColumn other)
{
	const InvitationFacts *f = &inv->facts;

	switch (column)
	{
		case S_NOTICE_GROUND:
			appendStringInfo(buf, "notice_ground %s", ground_labels[f->ground]);
			break;
		case S_DECISION:
			appendStringInfo(buf, "decision %s", decision_labels[f->decision]);
			break;
		case S_NOTICE_ON:
			append_column_date(buf, column, f->notice_on);
			break;
		case S_DECIDED_ON:
			append_column_date(buf, column, f->decided_on);
			break;
		default:
			pg_unreachable();
	}
	appendStringInfo(buf, " is given without %s", staged_names[other]);
}

/*
 * A date and the label that goes with it (notice_on and notice_ground,
 * decided_on and decision) are both given or neither.
 */
static bool
check_together(StringInfo buf, const StagedInvitation *inv,
			   StagedColumn date_column, bool has_date,
			   StagedColumn label_column, bool has_label)
{
	if (has_date == has_label)
		return true;
	if (has_date)
		append_without(buf, inv, date_column, label_column);
	else
		append_without(buf, inv, label_column, date_column);
	return false;
}

/*
 * The rules of the invitation table, each as its CHECK constraint (named
 * in the comments) has it, in the table's order.
 */
bool
check_rules(const StagedInvitation *inv, StringInfo buf)
{
	const InvitationFacts *f = &inv->facts;

	/* response_due_on_not_before_invited_on */
	if (!check_on_or_after(inv, S_RESPONSE_DUE_ON, f->response_due_on,
						   S_INVITED_ON, f->invited_on, buf))
		return false;
	/* declined_on_not_before_invited_on */
	if (f->has_declined &&
		!check_on_or_after(inv, S_DECLINED_ON, f->declined_on,
						   S_INVITED_ON, f->invited_on, buf))
		return false;
	/* application_on_not_before_invited_on */
	if (f->has_application &&
		!check_on_or_after(inv, S_APPLICATION_ON, f->application_on,
						   S_INVITED_ON, f->invited_on, buf))
		return false;
	/* declined_and_applied_not_both */
	if (f->has_declined && f->has_application)
	{
		append_column_date(buf, S_DECLINED_ON, f->declined_on);
		appendStringInfoString(buf, " and ");
		append_column_date(buf, S_APPLICATION_ON, f->application_on);
		appendStringInfoString(buf, " are both given: a declined invitation has no application");
		return false;
	}
	/* declined_on_not_after_response_due_on */
	if (f->has_declined &&
		!check_on_or_before(inv, S_DECLINED_ON, f->declined_on,
							S_RESPONSE_DUE_ON, f->response_due_on, buf))
		return false;
	/* application_on_not_after_response_due_on */
	if (f->has_application &&
		!check_on_or_before(inv, S_APPLICATION_ON, f->application_on,
							S_RESPONSE_DUE_ON, f->response_due_on, buf))
		return false;
	/* notice_on_and_notice_ground_together */
	if (!check_together(buf, inv, S_NOTICE_ON, f->has_notice,
						S_NOTICE_GROUND, f->ground != ARRIMA_NONE))
		return false;
	/* notice_needs_application, notice_on_not_before_application_on */
	if (f->has_notice && !f->has_application)
	{
		append_without(buf, inv, S_NOTICE_ON, S_APPLICATION_ON);
		return false;
	}
	if (f->has_notice &&
		!check_on_or_after(inv, S_NOTICE_ON, f->notice_on,
						   S_APPLICATION_ON, f->application_on, buf))
		return false;
	/* notice_on_not_after_decided_on */
	if (f->has_notice && f->has_decision &&
		!check_on_or_before(inv, S_NOTICE_ON, f->notice_on,
							S_DECIDED_ON, f->decided_on, buf))
		return false;
	/* decided_on_and_decision_together */
	if (!check_together(buf, inv, S_DECIDED_ON, f->has_decision,
						S_DECISION, f->decision != ARRIMA_NONE))
		return false;
	/* decision_needs_application, decided_on_not_before_application_on */
	if (f->has_decision && !f->has_application)
	{
		append_without(buf, inv, S_DECIDED_ON, S_APPLICATION_ON);
		return false;
	}
	if (f->has_decision &&
		!check_on_or_after(inv, S_DECIDED_ON, f->decided_on,
						   S_APPLICATION_ON, f->application_on, buf))
		return false;
	/* cancelled_needs_notice */
	if (f->decision == DECISION_CANCELLED && !f->has_notice)
	{
		append_without(buf, inv, S_DECISION, S_NOTICE_ON);
		return false;
	}
	return true;
}
