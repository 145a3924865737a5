/*-------------------------------------------------------------------------
 *
 * row_reader.c
 *	  Reading rows by column name (row_reader.h).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "utils/builtins.h"
#include "utils/typcache.h"

#include "row_reader.h"

/*
 * Prepare a reader of the columns names[] (of types types[]) of rows.  The
 * arrays must outlive it; what it caches lives in mcxt.
 */
void
row_reader_init(RowReader *reader, MemoryContext mcxt, int ncolumns,
				const char *const *names, const Oid *types)
{
	reader->mcxt = mcxt;
	reader->ncolumns = ncolumns;
	reader->nrequired = ncolumns;
	reader->names = names;
	reader->types = types;
	reader->attnum = MemoryContextAlloc(mcxt, ncolumns * sizeof(AttrNumber));
	reader->tuptype = InvalidOid;
	reader->tuptypmod = -1;
	reader->tupdesc = NULL;
	reader->values = NULL;
	reader->nulls = NULL;
}

/*
 * Only the first nrequired wanted columns must exist: the others, which a
 * later version added, read as NULL in the rows of a type without them.
 */
void
row_reader_optional(RowReader *reader, int nrequired)
{
	Assert(nrequired <= reader->ncolumns);
	reader->nrequired = nrequired;
}

/*
 * Point the reader at a row type: copy its descriptor into the reader's
 * memory and find each wanted column by name.
 */
static void
row_reader_bind(RowReader *reader, Oid tuptype, int32 tuptypmod)
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

	/* forget the old type until the new one is fully bound */
	reader->tuptype = InvalidOid;
	for (int c = 0; c < reader->ncolumns; c++)
	{
		AttrNumber	attnum = InvalidAttrNumber;

		for (int i = 0; i < reader->tupdesc->natts; i++)
		{
			Form_pg_attribute att = TupleDescAttr(reader->tupdesc, i);

			if (!att->attisdropped &&
				strcmp(NameStr(att->attname), reader->names[c]) == 0)
			{
				if (att->atttypid != reader->types[c])
					ereport(ERROR,
							(errcode(ERRCODE_DATATYPE_MISMATCH),
							 errmsg("column \"%s\" of row type %s has type %s, not %s",
									reader->names[c], format_type_be(tuptype),
									format_type_be(att->atttypid),
									format_type_be(reader->types[c]))));
				attnum = att->attnum;
				break;
			}
		}
		if (attnum == InvalidAttrNumber && c >= reader->nrequired)
		{
			reader->attnum[c] = InvalidAttrNumber;
			continue;
		}
		if (attnum == InvalidAttrNumber)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_COLUMN),
					 errmsg("row type %s has no column \"%s\"",
							format_type_be(tuptype), reader->names[c])));
		reader->attnum[c] = attnum;
	}
	reader->tuptype = tuptype;
	reader->tuptypmod = tuptypmod;
}

/* Deform one row; its wanted columns are then read with row_reader_get() */
void
row_reader_read(RowReader *reader, HeapTupleHeader row)
{
	HeapTupleData tuple;

	if (HeapTupleHeaderGetTypeId(row) != reader->tuptype ||
		HeapTupleHeaderGetTypMod(row) != reader->tuptypmod)
		row_reader_bind(reader, HeapTupleHeaderGetTypeId(row),
						HeapTupleHeaderGetTypMod(row));

	tuple.t_len = HeapTupleHeaderGetDatumLength(row);
	ItemPointerSetInvalid(&tuple.t_self);
	tuple.t_tableOid = InvalidOid;
	tuple.t_data = row;
	heap_deform_tuple(&tuple, reader->tupdesc, reader->values, reader->nulls);
}
