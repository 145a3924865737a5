/*-------------------------------------------------------------------------
 *
 * model_measures.c
 *	  The words of the model (model.h): the three tables and their columns
 *	  (the measures), the unknowns each measure adds up, which measures
 *	  never go down from one release to a later one, and the rules every
 *	  invitation keeps.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "model.h"

const char *const dc_table_names[DC_NTABLES] = {
	[DC_ROUND_DASHBOARD] = "round_dashboard",
	[DC_ANNUAL_SUMMARY] = "annual_summary",
	[DC_CATEGORY_SUMMARY] = "category_summary",
};

const char *const dc_measure_names[DC_NMEASURES] = {
	[DC_MEASURE_INVITATIONS] = "invitations",
	[DC_MEASURE_OUTCOME(OUTCOME_AWAITING_RESPONSE)] = "awaiting_response",
	[DC_MEASURE_OUTCOME(OUTCOME_DECLINED)] = "declined",
	[DC_MEASURE_OUTCOME(OUTCOME_EXPIRED)] = "expired",
	[DC_MEASURE_OUTCOME(OUTCOME_IN_PROCESSING)] = "in_processing",
	[DC_MEASURE_OUTCOME(OUTCOME_CANCELLATION_PENDING)] = "cancellation_pending",
	[DC_MEASURE_OUTCOME(OUTCOME_REJECTED)] = "rejected",
	[DC_MEASURE_OUTCOME(OUTCOME_REFUSED)] = "refused",
	[DC_MEASURE_OUTCOME(OUTCOME_CANCELLED)] = "cancelled",
	[DC_MEASURE_OUTCOME(OUTCOME_WITHDRAWN)] = "withdrawn",
	[DC_MEASURE_OUTCOME(OUTCOME_SELECTED)] = "selected",
	[DC_MEASURE_GROUND(GROUND_CANNOT_SUPPORT)] = "notices_cannot_support",
	[DC_MEASURE_GROUND(GROUND_DID_NOT_SUPPORT)] = "notices_did_not_support",
	[DC_MEASURE_NOTICES] = "notices",
};

const DcRule dc_rules[DC_NRULES] = {
	/* notices >= cancelled + cancellation_pending (those need a notice) */
	{2, {DC_VAR_GROUND(GROUND_CANNOT_SUPPORT), DC_VAR_GROUND(GROUND_DID_NOT_SUPPORT)},
		2, {DC_VAR_OUTCOME(OUTCOME_CANCELLED), DC_VAR_OUTCOME(OUTCOME_CANCELLATION_PENDING)},
		"notices", "cancelled and cancellation_pending files",
	"a cancelled or cancellation_pending file had a notice"},
	/* notices <= the files with an application */
	{7, {DC_VAR_OUTCOME(OUTCOME_IN_PROCESSING), DC_VAR_OUTCOME(OUTCOME_CANCELLATION_PENDING),
			DC_VAR_OUTCOME(OUTCOME_REJECTED), DC_VAR_OUTCOME(OUTCOME_REFUSED),
			DC_VAR_OUTCOME(OUTCOME_CANCELLED), DC_VAR_OUTCOME(OUTCOME_WITHDRAWN),
		DC_VAR_OUTCOME(OUTCOME_SELECTED)},
		2, {DC_VAR_GROUND(GROUND_CANNOT_SUPPORT), DC_VAR_GROUND(GROUND_DID_NOT_SUPPORT)},
		"files with an application", "notices",
	"a notice is sent on an application"},
};

/* Whether a table has a column for a measure */
bool
dc_table_shows(DcTable table, int measure)
{
	switch (table)
	{
		case DC_ROUND_DASHBOARD:
			return measure != DC_MEASURE_NOTICES;
		case DC_ANNUAL_SUMMARY:
			return measure <= DC_MEASURE_OUTCOME(NUM_OUTCOMES - 1) ||
				measure == DC_MEASURE_NOTICES;
		case DC_CATEGORY_SUMMARY:
			return true;
	}
	return false;
}

/* The unknowns of a group a measure adds up; returns how many */
int
dc_measure_vars(int measure, int *vars)
{
	int			n = 0;

	if (measure == DC_MEASURE_INVITATIONS)
		for (int o = 0; o < NUM_OUTCOMES; o++)
			vars[n++] = DC_VAR_OUTCOME(o);
	else if (measure == DC_MEASURE_NOTICES)
		for (int g = 0; g < NUM_GROUNDS; g++)
			vars[n++] = DC_VAR_GROUND(g);
	else
		vars[n++] = measure - 1;	/* the tally's order */
	return n;
}

/*
 * Whether a count of a measure never goes down from one release to a later
 * one: the invitations, the final outcomes (declined, expired and the five
 * decisions) and the notices of each ground and of both; not the three
 * outcomes a file passes through (awaiting_response, in_processing,
 * cancellation_pending).  Written here only: the series (series.c) chains
 * the unknowns and the invitations of every group by it, and the flows
 * (series_flows.c) are the changes of these counts.
 */
bool
dc_measure_grows(int measure)
{
	switch (measure)
	{
		case DC_MEASURE_OUTCOME(OUTCOME_AWAITING_RESPONSE):
		case DC_MEASURE_OUTCOME(OUTCOME_IN_PROCESSING):
		case DC_MEASURE_OUTCOME(OUTCOME_CANCELLATION_PENDING):
			return false;
		default:
			return true;
	}
}
