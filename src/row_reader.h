/*-------------------------------------------------------------------------
 *
 * row_reader.h
 *	  Reading composite datums (rows) by column name (row_reader.c).
 *
 * The row type's descriptor is copied and the wanted columns are found by
 * name on the first row, and again only when a row of another type comes;
 * so later versions may add or reorder columns.  Each wanted column must
 * have its expected type.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ARRIMA_ROW_READER_H
#define ARRIMA_ROW_READER_H

#include "access/htup.h"
#include "access/tupdesc.h"

typedef struct RowReader
{
	MemoryContext mcxt;			/* where the cached descriptor lives */
	int			ncolumns;		/* the wanted columns: */
	int			nrequired;		/* ... the first ones must exist, the others
								 * read as NULL where the type lacks them */
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
extern void row_reader_optional(RowReader *reader, int nrequired);
extern void row_reader_read(RowReader *reader, HeapTupleHeader row);

/* Wanted column i of the last row read: false if NULL */
static inline bool
row_reader_get(const RowReader *reader, int i, Datum *value)
{
	int			k = reader->attnum[i] - 1;

	if (k < 0 || reader->nulls[k])
		return false;
	*value = reader->values[k];
	return true;
}

#endif							/* ARRIMA_ROW_READER_H */
