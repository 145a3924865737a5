/*-------------------------------------------------------------------------
 *
 * invitation_reader.c
 *	  Reading arrima_stats.invitation rows (invitation_reader.h): what
 *	  classify() and the tally(invitation, as_of) aggregate read of a row;
 *	  and the enum labels of the functions that take an invitation's
 *	  columns as arguments.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"

#include "invitation_reader.h"

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
		for (int f = 0; f < INVITATION_NFIELDS; f++)
			reader->types[f] = DATEOID;
		reader->types[F_NOTICE_GROUND] = reader->enums.ground_type;
		reader->types[F_DECISION] = reader->enums.decision_type;
		row_reader_init(&reader->row, flinfo->fn_mcxt, INVITATION_NFIELDS,
						field_names, reader->types);
		flinfo->fn_extra = reader;
	}
	return reader;
}

/* A date column: false if NULL */
static inline bool
read_date(const InvitationReader *reader, InvitationField field, DateADT *date)
{
	Datum		value;

	if (!row_reader_get(&reader->row, field, &value))
		return false;
	*date = DatumGetDateADT(value);
	return true;
}

/* An enum column: its C index, or ARRIMA_NONE if NULL */
static inline int
read_enum(const InvitationReader *reader, InvitationField field,
		  const Oid *oids, int n)
{
	Datum		value;

	if (!row_reader_get(&reader->row, field, &value))
		return ARRIMA_NONE;
	return arrima_enum_index(oids, n, DatumGetObjectId(value));
}

/*
 * Read one invitation row.  False if it lacks invited_on or response_due_on,
 * which only a row built outside the table can.
 */
bool
invitation_read(InvitationReader *reader, HeapTupleHeader row,
				InvitationFacts *facts)
{
	row_reader_read(&reader->row, row);
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

/* The enum labels of this call site, looked up on its first call */
const ArrimaEnums *
call_site_enums(FunctionCallInfo fcinfo)
{
	FmgrInfo   *flinfo = fcinfo->flinfo;

	if (flinfo->fn_extra == NULL)
	{
		ArrimaEnums *enums = MemoryContextAlloc(flinfo->fn_mcxt,
												sizeof(ArrimaEnums));

		arrima_enums_load(enums, flinfo->fn_oid);
		flinfo->fn_extra = enums;
	}
	return (const ArrimaEnums *) flinfo->fn_extra;
}
