/*-------------------------------------------------------------------------
 *
 * classify.c
 *	  Reading invitation rows, and arrima_stats.classify(invitation, date).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "utils/builtins.h"
#include "utils/typcache.h"

#include "arrima_stats.h"

/* The columns classification reads, in the order of reader->attnum */
typedef enum InvitationField
{
	F_INVITED_ON,
	F_RESPONSE_DUE_ON,
	F_DECLINED_ON,
	F_APPLICATION_ON,
	F_NOTICE_ON,
	F_NOTICE_GROUND,
	F_DECIDED_ON,
	F_DECISION
} InvitationField;

static const char *const field_names[INVITATION_NFIELDS] = {
	[F_INVITED_ON] = "invited_on",
	[F_RESPONSE_DUE_ON] = "response_due_on",
	[F_DECLINED_ON] = "declined_on",
	[F_APPLICATION_ON] = "application_on",
	[F_NOTICE_ON] = "notice_on",
	[F_NOTICE_GROUND] = "notice_ground",
	[F_DECIDED_ON] = "decided_on",
	[F_DECISION] = "decision",
};

/* The type each column must have */
static Oid
field_type(const InvitationReader *reader, InvitationField field)
{
	switch (field)
	{
		case F_NOTICE_GROUND:
			return reader->enums.ground_type;
		case F_DECISION:
			return reader->enums.decision_type;
		default:
			return DATEOID;
	}
}

/*
 * Point the reader at a row type: copy its descriptor into the reader's
 * memory and find each column by name (later versions may add columns).
 */
static void
reader_bind(InvitationReader *reader, Oid tuptype, int32 tuptypmod)
{
	TupleDesc	tupdesc = lookup_rowtype_tupdesc(tuptype, tuptypmod);
	MemoryContext oldcxt = MemoryContextSwitchTo(reader->mcxt);

	if (reader->tupdesc != NULL)
	{
		FreeTupleDesc(reader->tupdesc);
		pfree(reader->values);
		pfree(reader->nulls);
	}
	reader->tupdesc = CreateTupleDescCopy(tupdesc);
	reader->values = palloc(tupdesc->natts * sizeof(Datum));
	reader->nulls = palloc(tupdesc->natts * sizeof(bool));
	MemoryContextSwitchTo(oldcxt);
	ReleaseTupleDesc(tupdesc);

	for (int f = 0; f < INVITATION_NFIELDS; f++)
	{
		AttrNumber	attnum = InvalidAttrNumber;

		for (int i = 0; i < reader->tupdesc->natts; i++)
		{
			Form_pg_attribute att = TupleDescAttr(reader->tupdesc, i);

			if (!att->attisdropped &&
				strcmp(NameStr(att->attname), field_names[f]) == 0)
			{
				if (att->atttypid != field_type(reader, f))
					ereport(ERROR,
							(errcode(ERRCODE_DATATYPE_MISMATCH),
							 errmsg("column \"%s\" of row type %s has type %s, not %s",
									field_names[f], format_type_be(tuptype),
									format_type_be(att->atttypid),
									format_type_be(field_type(reader, f)))));
				attnum = att->attnum;
				break;
			}
		}
		if (attnum == InvalidAttrNumber)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_COLUMN),
					 errmsg("row type %s has no column \"%s\"",
							format_type_be(tuptype), field_names[f])));
		reader->attnum[f] = attnum;
	}
	reader->tuptype = tuptype;
	reader->tuptypmod = tuptypmod;
}

/* The reader of this call site, made on its first call */
InvitationReader *
invitation_reader(FunctionCallInfo fcinfo)
{
	FmgrInfo   *flinfo = fcinfo->flinfo;
	InvitationReader *reader = (InvitationReader *) flinfo->fn_extra;

	if (reader == NULL)
	{
		reader = MemoryContextAllocZero(flinfo->fn_mcxt,
										sizeof(InvitationReader));
		arrima_enums_load(&reader->enums, flinfo->fn_oid);
		reader->mcxt = flinfo->fn_mcxt;
		reader->tuptype = InvalidOid;
		flinfo->fn_extra = reader;
	}
	return reader;
}

/* A date column: false if NULL */
static inline bool
read_date(const InvitationReader *reader, InvitationField field, DateADT *date)
{
	int			i = reader->attnum[field] - 1;

	if (reader->nulls[i])
		return false;
	*date = DatumGetDateADT(reader->values[i]);
	return true;
}

/* An enum column: its C index, or ARRIMA_NONE if NULL */
static inline int
read_enum(const InvitationReader *reader, InvitationField field,
		  const Oid *oids, int n)
{
	int			i = reader->attnum[field] - 1;

	if (reader->nulls[i])
		return ARRIMA_NONE;
	return arrima_enum_index(oids, n, DatumGetObjectId(reader->values[i]));
}

/*
 * Read one invitation row.  False if it lacks invited_on or response_due_on,
 * which only a row built outside the table can.
 */
bool
invitation_read(InvitationReader *reader, HeapTupleHeader row,
				InvitationFacts *facts)
{
	HeapTupleData tuple;

	if (HeapTupleHeaderGetTypeId(row) != reader->tuptype ||
		HeapTupleHeaderGetTypMod(row) != reader->tuptypmod)
		reader_bind(reader, HeapTupleHeaderGetTypeId(row),
					HeapTupleHeaderGetTypMod(row));

	tuple.t_len = HeapTupleHeaderGetDatumLength(row);
	ItemPointerSetInvalid(&tuple.t_self);
	tuple.t_tableOid = InvalidOid;
	tuple.t_data = row;
	heap_deform_tuple(&tuple, reader->tupdesc, reader->values, reader->nulls);

	if (!read_date(reader, F_INVITED_ON, &facts->invited_on) ||
		!read_date(reader, F_RESPONSE_DUE_ON, &facts->response_due_on))
		return false;
	facts->has_declined = read_date(reader, F_DECLINED_ON, &facts->declined_on);
	facts->has_application = read_date(reader, F_APPLICATION_ON,
									   &facts->application_on);
	facts->has_notice = read_date(reader, F_NOTICE_ON, &facts->notice_on);
	facts->has_decision = read_date(reader, F_DECIDED_ON, &facts->decided_on);
	facts->ground = read_enum(reader, F_NOTICE_GROUND,
							  reader->enums.ground, NUM_GROUNDS);
	facts->decision = read_enum(reader, F_DECISION,
								reader->enums.decision, NUM_DECISIONS);
	return true;
}

/*
 * classify(invitation, as_of date) returns outcome
 *
 * The invitation's outcome as of a date; NULL before it was invited.
 */
PG_FUNCTION_INFO_V1(classify);
Datum
classify(PG_FUNCTION_ARGS)
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
