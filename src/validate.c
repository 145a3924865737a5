/*-------------------------------------------------------------------------
 *
 * validate.c
 *	  The validator of staged invitations.  It reads a row of
 *	  arrima_stats.invitation_staging (every column text), parses each value
 *	  and checks every rule of arrima_stats.invitation, and never throws on a
 *	  bad value: what is wrong with a row is its fault, one line that names
 *	  the column, the value and the rule, e.g.
 *	  "application_on 2022-06-01 is after response_due_on 2022-05-09".
 *	  A valid row has no fault (NULL).
 *
 * How a staged value reads:
 *	- ASCII whitespace around it (space, tab, CR, LF, VT, FF) is ignored, and
 *	  a value that is empty after that is NULL;
 *	- an integer is an optional sign and decimal digits, within its column's
 *	  type (bigint for invitation_id, integer for round_id);
 *	- a date is YYYY-MM-DD (ISO 8601, years 0001 to 9999) and a day of the
 *	  calendar.  Other spellings are refused, not guessed at: 03/04/2022 is
 *	  the 3rd of April or the 4th of March depending on who wrote it;
 *	  2022-04-03 00:00:00 is a time; infinity is no day;
 *	- a notice_ground or decision is one of its enum's labels, as spelled
 *	  there (lower case).
 * These parsers are the same on every PostgreSQL version, so a file reads
 * the same everywhere (PostgreSQL 16's integer input also takes 1_000 and
 * 0x10; its soft-error input API does not exist before 16) and no bad value
 * ever raises an error: ingest() needs no subtransaction per row.
 *
 * The rules are those of the table's CHECK constraints, in their order
 * (checked and told in staged_rules.c), and its keys: invitation_id,
 * round_id and invited_on are required, round_id names a round, and
 * response_due_on, when not given, is filled as the table's trigger fills
 * it, from the round's response_days.  Only the first fault of a row is
 * told; the columns are looked at in table order, then the rules.  The
 * round is not looked up here: the caller joins the rounds and passes the
 * response window of the row's round, NULL when there is no such round
 * (staged_round_id() reads the key as the validator does).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/builtins.h"

#include "export.h"
#include "row_reader.h"
#include "staged.h"

static const Oid staged_types[NUM_STAGED] = {
	TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID,
	TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID,
};

/* The state of a call site, made on its first call */
typedef struct ValidatorState
{
	RowReader	row;
	ArrimaEnums enums;			/* parse_staged() only */
	TupleDesc	result;			/* parse_staged() only */
} ValidatorState;

/*
 * Parse one staged column into inv.  Appends the column's fault to buf and
 * returns false if it has one.
 */
static bool
parse_column(StagedColumn column, StagedValue v, StagedInvitation *inv,
			 StringInfo buf)
{
	const char *name = staged_names[column];
	ParseResult result = PARSE_OK;
	DateADT		date = 0;
	int64		id = 0;

	if (v.len == 0)
	{
		/* NULL: only the keys and invited_on are required */
		if (column == S_INVITATION_ID || column == S_ROUND_ID ||
			column == S_INVITED_ON)
		{
			appendStringInfo(buf, "%s is missing", name);
			return false;
		}
		return true;
	}

	switch (column)
	{
		case S_INVITATION_ID:
		case S_ROUND_ID:
			result = parse_int64(v, &id);
			if (result == PARSE_OK && column == S_ROUND_ID &&
				(id < PG_INT32_MIN || id > PG_INT32_MAX))
				result = PARSE_OUT_OF_RANGE;
			if (result != PARSE_OK)
			{
				appendStringInfo(buf, "%s ", name);
				append_value(buf, v);
				if (result == PARSE_MALFORMED)
					appendStringInfoString(buf, " is not an integer");
				else
					appendStringInfo(buf, " is out of range for type %s",
									 column == S_ROUND_ID ? "integer" : "bigint");
				return false;
			}
			if (column == S_INVITATION_ID)
				inv->invitation_id = id;
			else
				inv->round_id = (int32) id;
			break;

		case S_NOTICE_GROUND:
		case S_DECISION:
			{
				const char *const *labels = column == S_DECISION ? decision_labels : ground_labels;
				int			n = column == S_DECISION ? NUM_DECISIONS : NUM_GROUNDS;
				int			label = parse_label(v, labels, n);

				if (label == ARRIMA_NONE)
				{
					appendStringInfo(buf, "%s ", name);
					append_value(buf, v);
					appendStringInfoString(buf, " is not one of");
					for (int i = 0; i < n; i++)
						appendStringInfo(buf, "%s %s", i == 0 ? "" : ",", labels[i]);
					return false;
				}
				if (column == S_DECISION)
					inv->facts.decision = label;
				else
					inv->facts.ground = label;
			}
			break;

		default:
			result = parse_date(v, &date);
			if (result != PARSE_OK)
			{
				appendStringInfo(buf, "%s ", name);
				append_value(buf, v);
				appendStringInfoString(buf, result == PARSE_MALFORMED ?
									   " is not a date of the form YYYY-MM-DD" :
									   " is not a day of the calendar");
				return false;
			}
			switch (column)
			{
				case S_INVITED_ON:
					inv->facts.invited_on = date;
					break;
				case S_RESPONSE_DUE_ON:
					inv->facts.response_due_on = date;
					break;
				case S_DECLINED_ON:
					inv->facts.declined_on = date;
					inv->facts.has_declined = true;
					break;
				case S_APPLICATION_ON:
					inv->facts.application_on = date;
					inv->facts.has_application = true;
					break;
				case S_NOTICE_ON:
					inv->facts.notice_on = date;
					inv->facts.has_notice = true;
					break;
				case S_DECIDED_ON:
					inv->facts.decided_on = date;
					inv->facts.has_decision = true;
					break;
				default:
					pg_unreachable();
			}
			break;
	}
	inv->present[column] = true;
	return true;
}

/*
 * Parse and check one staged row.  has_round: the row's round_id names a
 * round, whose response window is response_days.  Returns true if the row
 * is valid; else its fault is in buf.  *inv holds what parsed.
 */
static bool
validate(const StagedValue *values, bool has_round, int32 response_days,
		 StagedInvitation *inv, StringInfo buf)
{
	bool		valid = true;

	memset(inv, 0, sizeof(*inv));
	inv->facts.ground = ARRIMA_NONE;
	inv->facts.decision = ARRIMA_NONE;

	/*
	 * Every column is parsed, so that what parses is known even of a bad row;
	 * the fault told is the first.
	 */
	for (int c = 0; c < NUM_STAGED; c++)
	{
		if (valid)
			valid = parse_column(c, values[c], inv, buf);
		else
		{
			/* parse it, and forget what it says */
			int			told = buf->len;

			(void) parse_column(c, values[c], inv, buf);
			buf->len = told;
			buf->data[told] = '\0';
		}

		/* the round_id names a round */
		if (c == S_ROUND_ID && valid && !has_round)
		{
			appendStringInfo(buf, "round_id %d is not a known round", inv->round_id);
			valid = false;
		}
	}
	if (!valid)
		return false;

	/* response_due_on defaults to the end of the round's window */
	if (!inv->present[S_RESPONSE_DUE_ON])
	{
		int64		due = (int64) inv->facts.invited_on + response_days;

		if (!IS_VALID_DATE(due))
		{
			appendStringInfoString(buf, "response_due_on is missing and ");
			append_column_date(buf, S_INVITED_ON, inv->facts.invited_on);
			appendStringInfo(buf, " plus round %d's %d response days is out of range for type date",
							 inv->round_id, response_days);
			return false;
		}
		inv->facts.response_due_on = (DateADT) due;
		inv->present[S_RESPONSE_DUE_ON] = true;
		inv->due_filled = true;
		inv->response_days = response_days;
	}

	return check_rules(inv, buf);
}

/* The call site's state */
static ValidatorState *
validator_state(FunctionCallInfo fcinfo)
{
	FmgrInfo   *flinfo = fcinfo->flinfo;
	ValidatorState *state = (ValidatorState *) flinfo->fn_extra;

	if (state == NULL)
	{
		state = MemoryContextAllocZero(flinfo->fn_mcxt, sizeof(ValidatorState));
		row_reader_init(&state->row, flinfo->fn_mcxt, NUM_STAGED,
						staged_names, staged_types);
		flinfo->fn_extra = state;
	}
	return state;
}

/*
 * Validate argument 0 (a staged row; NULL reads as a row of NULLs) with
 * argument 1 (the round's response_days, NULL when there is no such round).
 */
static bool
validate_args(FunctionCallInfo fcinfo, ValidatorState *state,
			  StagedInvitation *inv, StringInfo buf)
{
	StagedValue values[NUM_STAGED] = {{0}};

	if (!PG_ARGISNULL(0))
	{
		row_reader_read(&state->row, PG_GETARG_HEAPTUPLEHEADER(0));
		for (int c = 0; c < NUM_STAGED; c++)
		{
			Datum		datum;

			if (row_reader_get(&state->row, c, &datum))
				values[c] = staged_value(datum);
		}
	}
	return validate(values, !PG_ARGISNULL(1),
					PG_ARGISNULL(1) ? 0 : PG_GETARG_INT32(1), inv, buf);
}

/*
 * invitation_fault(staged invitation_staging, response_days integer)
 * returns text
 *
 * The fault of a staged row, NULL if it is valid.
 */
PG_FUNCTION_INFO_V1(arrima_invitation_fault);
Datum
arrima_invitation_fault(PG_FUNCTION_ARGS)
{
	ValidatorState *state = validator_state(fcinfo);
	StagedInvitation inv;
	StringInfoData buf;
	text	   *fault;

	initStringInfo(&buf);
	if (validate_args(fcinfo, state, &inv, &buf))
	{
		pfree(buf.data);
		PG_RETURN_NULL();
	}
	fault = cstring_to_text_with_len(buf.data, buf.len);
	pfree(buf.data);
	PG_RETURN_TEXT_P(fault);
}

/*
 * parse_staged(staged invitation_staging, response_days integer,
 *				OUT invitation_id bigint, ..., OUT decision decision,
 *				OUT fault text) returns record
 *
 * A staged row as the invitation it makes, with response_due_on filled from
 * the round, and its fault.  Of a row with a fault, the values that parse,
 * NULL where they do not (response_due_on is filled only when all parse).
 */
PG_FUNCTION_INFO_V1(arrima_parse_staged);
Datum
arrima_parse_staged(PG_FUNCTION_ARGS)
{
	ValidatorState *state = validator_state(fcinfo);
	StagedInvitation inv;
	StringInfoData buf;
	Datum		values[NUM_STAGED + 1];
	bool		nulls[NUM_STAGED + 1];
	bool		valid;
	const InvitationFacts *f = &inv.facts;

	if (state->result == NULL)
	{
		TupleDesc	tupdesc;
		MemoryContext oldcxt;

		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("function returning record called in context "
							"that cannot accept type record")));
		arrima_enums_load(&state->enums, fcinfo->flinfo->fn_oid);
		oldcxt = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
		state->result = BlessTupleDesc(CreateTupleDescCopy(tupdesc));
		MemoryContextSwitchTo(oldcxt);
	}

	initStringInfo(&buf);
	valid = validate_args(fcinfo, state, &inv, &buf);

	for (int c = 0; c < NUM_STAGED; c++)
		nulls[c] = !inv.present[c];
	values[S_INVITATION_ID] = Int64GetDatum(inv.invitation_id);
	values[S_ROUND_ID] = Int32GetDatum(inv.round_id);
	values[S_INVITED_ON] = DateADTGetDatum(f->invited_on);
	values[S_RESPONSE_DUE_ON] = DateADTGetDatum(f->response_due_on);
	values[S_DECLINED_ON] = DateADTGetDatum(f->declined_on);
	values[S_APPLICATION_ON] = DateADTGetDatum(f->application_on);
	values[S_NOTICE_ON] = DateADTGetDatum(f->notice_on);
	values[S_NOTICE_GROUND] = f->ground == ARRIMA_NONE ? (Datum) 0 :
		ObjectIdGetDatum(state->enums.ground[f->ground]);
	values[S_DECIDED_ON] = DateADTGetDatum(f->decided_on);
	values[S_DECISION] = f->decision == ARRIMA_NONE ? (Datum) 0 :
		ObjectIdGetDatum(state->enums.decision[f->decision]);
	nulls[S_FAULT] = valid;
	values[S_FAULT] = valid ? (Datum) 0 :
		PointerGetDatum(cstring_to_text_with_len(buf.data, buf.len));
	pfree(buf.data);

	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(state->result,
													  values, nulls)));
}

/*
 * staged_round_id(text) returns integer
 *
 * The round a staged round_id names, read as the validator reads it; NULL
 * when it is not an integer.  ingest() joins the rounds on it.
 */
PG_FUNCTION_INFO_V1(arrima_staged_round_id);
Datum
arrima_staged_round_id(PG_FUNCTION_ARGS)
{
	StagedValue v = staged_value(PG_GETARG_DATUM(0));
	int64		id;

	if (v.len == 0 || parse_int64(v, &id) != PARSE_OK ||
		id < PG_INT32_MIN || id > PG_INT32_MAX)
		PG_RETURN_NULL();
	PG_RETURN_INT32((int32) id);
}
