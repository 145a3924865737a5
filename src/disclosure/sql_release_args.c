/*-------------------------------------------------------------------------
 *
 * sql_release_args.c
 *	  The arguments of the SQL functions over a series of releases
 *	  (sql_releases.c), read into a series (series.h).
 *
 * They are arrays of rows of the tables that keep the releases:
 * arrima_stats.release (release_id, as_of, min_count), release_group (one
 * row per release and group: release_id, round_id, year, category,
 * in_dashboard, invitations_published, tally), release_cell (release_id,
 * publication, row_key, measure, withheld; only the withheld cells need be
 * given) and release_proof (points an earlier audit stored).  Columns are
 * found by name (row_reader.h), so the tables may gain others.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"

#include "row_reader.h"
#include "sql.h"

/* The rows of an array argument of some row type */
static int
rows_arg(FunctionCallInfo fcinfo, int n, HeapTupleHeader **rows)
{
	ArrayType  *array;
	Datum	   *values;
	bool	   *nulls;
	int			nrows;
	int16		typlen;
	bool		typbyval;
	char		typalign;

	/* disclosure_release_audit() is not strict: its release_id may be NULL */
	if (PG_ARGISNULL(n))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("array argument %d cannot be NULL", n + 1),
				 errhint("No release is an empty array.")));
	array = PG_GETARG_ARRAYTYPE_P(n);
	if (ARR_NDIM(array) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("array argument %d must have one dimension", n + 1)));
	get_typlenbyvalalign(ARR_ELEMTYPE(array), &typlen, &typbyval, &typalign);
	deconstruct_array(array, ARR_ELEMTYPE(array), typlen, typbyval, typalign,
					  &values, &nulls, &nrows);
	*rows = palloc(Max(nrows, 1) * sizeof(HeapTupleHeader));
	for (int i = 0; i < nrows; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("array argument %d cannot have a NULL element", n + 1)));
		(*rows)[i] = DatumGetHeapTupleHeader(values[i]);
	}
	return nrows;
}

/* The OID of a type of the extension's schema (that of the function) */
static Oid
own_type(FunctionCallInfo fcinfo, const char *name)
{
	Oid			namespace = get_func_namespace(fcinfo->flinfo->fn_oid);
	Oid			typid = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid,
										CStringGetDatum(name),
										ObjectIdGetDatum(namespace));

	if (!OidIsValid(typid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("type \"%s.%s\" does not exist",
						get_namespace_name(namespace), name),
				 errhint("The arrima_stats extension may be damaged; reinstall it.")));
	return typid;
}

/* Column c of the last row read, which may not be NULL */
static Datum
required(const RowReader *reader, int c)
{
	Datum		value;

	if (!row_reader_get(reader, c, &value))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("column \"%s\" cannot be NULL here", reader->names[c])));
	return value;
}

static int
cmp_release_id(const void *a, const void *b)
{
	int32		x = ((const DcRelease *) a)->release_id;
	int32		y = ((const DcRelease *) b)->release_id;

	return (x > y) - (x < y);
}

/* The release with an id among releases sorted by id, or NULL */
static DcRelease *
find_release(DcRelease *releases, int n, int32 release_id)
{
	DcRelease	key;

	key.release_id = release_id;
	return bsearch(&key, releases, n, sizeof(DcRelease), cmp_release_id);
}

/* The release with an id among releases sorted by id; fails if none */
static DcRelease *
release_by_id(DcRelease *releases, int n, int32 release_id)
{
	DcRelease  *found = find_release(releases, n, release_id);

	if (found == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("there is no release %d", release_id),
				 errdetail("Every group and cell must belong to a release given in the first argument.")));
	return found;
}

static const char *const release_columns[] = {"release_id", "as_of", "min_count"};
static const char *const group_columns[] = {
	"release_id", "round_id", "year", "category", "in_dashboard",
	"invitations_published", "tally"
};
static const char *const cell_columns[] = {
	"release_id", "publication", "row_key", "measure", "withheld", "lower", "upper"
};

#define CELL_REQUIRED	5		/* lower and upper came with 0.6.0 */

/*
 * Record the interval published with withheld quantity q of a release (a
 * count shown in two tables has it twice: a reader holds both).  It must
 * hold the count's value, whatever made it.
 */
static void
set_interval(DcRelease *rel, int q, int64 lower, bool bounded, int64 upper,
			 const char *publication, const char *row_key, const char *measure)
{
	int64		value = rel->model->quantities[q].value;

	if (lower > value || (bounded && upper < value))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the interval of the %s of %s row %s in release %d does not hold its value",
						measure, publication, row_key, rel->release_id),
				 errdetail("A published interval is what every reader can derive of the count: it holds "
						   "its true value.")));
	if (!rel->has_interval[q])
	{
		rel->has_interval[q] = true;
		rel->lower[q] = lower;
		rel->upper[q] = bounded ? upper : -1;
		return;
	}
	rel->lower[q] = Max(rel->lower[q], lower);
	if (bounded && (rel->upper[q] < 0 || upper < rel->upper[q]))
		rel->upper[q] = upper;
}

/*
 * Read the releases, their groups and their withheld cells (arguments 0 to
 * 2) into a series; target, if not -1, is a release whose cells are not
 * given (its withheld[] is left false).  The series is in date order.
 */
DcSeries *
dc_series_from_args(FunctionCallInfo fcinfo, int32 target)
{
	static const Oid release_types[] = {INT4OID, DATEOID, INT4OID};
	Oid			group_types[lengthof(group_columns)] = {
		INT4OID, INT4OID, INT4OID, TEXTOID, BOOLOID, INT4OID, InvalidOid
	};
	static const Oid cell_types[] = {INT4OID, TEXTOID, TEXTOID, TEXTOID, BOOLOID, INT8OID, INT8OID};
	RowReader	reader;
	HeapTupleHeader *rows;
	int			nreleases = rows_arg(fcinfo, 0, &rows);
	DcRelease  *releases = palloc0(Max(nreleases, 1) * sizeof(DcRelease));
	int			ngroups;
	int		   *count;
	DcGroup   **groups;
	char	 ***categories;

	/* the releases, by id */
	row_reader_init(&reader, CurrentMemoryContext, lengthof(release_columns),
					release_columns, release_types);
	for (int i = 0; i < nreleases; i++)
	{
		row_reader_read(&reader, rows[i]);
		releases[i].release_id = DatumGetInt32(required(&reader, 0));
		releases[i].as_of = DatumGetDateADT(required(&reader, 1));
		releases[i].min_count = DatumGetInt32(required(&reader, 2));
		if (releases[i].min_count < 1)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("min_count must be at least 1"),
					 errdetail("Release %d has min_count %d.",
							   releases[i].release_id, releases[i].min_count)));
		if (DATE_NOT_FINITE(releases[i].as_of))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("the date of release %d must be finite",
							releases[i].release_id)));
	}
	qsort(releases, nreleases, sizeof(DcRelease), cmp_release_id);
	for (int i = 1; i < nreleases; i++)
		if (releases[i].release_id == releases[i - 1].release_id)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("release %d is given twice", releases[i].release_id)));
	if (target >= 0 && find_release(releases, nreleases, target) == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("there is no release %d", target),
				 errdetail("The release to decide must be one of the first argument's, its groups given.")));

	/* the groups of each release */
	group_types[6] = own_type(fcinfo, "tally");
	ngroups = rows_arg(fcinfo, 1, &rows);
	count = palloc0(Max(nreleases, 1) * sizeof(int));
	groups = palloc(Max(nreleases, 1) * sizeof(DcGroup *));
	categories = palloc(Max(nreleases, 1) * sizeof(char **));
	for (int r = 0; r < nreleases; r++)
	{
		groups[r] = palloc0(Max(ngroups, 1) * sizeof(DcGroup));
		categories[r] = palloc(Max(ngroups, 1) * sizeof(char *));
	}
	row_reader_init(&reader, CurrentMemoryContext, lengthof(group_columns),
					group_columns, group_types);
	for (int i = 0; i < ngroups; i++)
	{
		DcRelease  *rel;
		DcGroup    *group;
		const Tally *tally;
		Datum		value;
		int			r;

		CHECK_FOR_INTERRUPTS();
		row_reader_read(&reader, rows[i]);
		rel = release_by_id(releases, nreleases, DatumGetInt32(required(&reader, 0)));
		r = rel - releases;
		group = &groups[r][count[r]];
		group->round_id = DatumGetInt32(required(&reader, 1));
		group->has_year = row_reader_get(&reader, 2, &value);
		group->year = group->has_year ? DatumGetInt32(value) : 0;
		categories[r][count[r]] = TextDatumGetCString(required(&reader, 3));
		group->in_dashboard = DatumGetBool(required(&reader, 4));
		group->has_published = row_reader_get(&reader, 5, &value);
		group->invitations_published = group->has_published ? DatumGetInt32(value) : 0;
		tally = DatumGetTallyP(required(&reader, 6));
		dc_group_set_tally(group, tally);
		count[r]++;
	}
	for (int r = 0; r < nreleases; r++)
	{
		int			nq;

		releases[r].model = dc_model_from_groups(count[r], groups[r], categories[r]);
		nq = Max(releases[r].model->nquantities, 1);

		releases[r].withheld = palloc0(nq * sizeof(bool));
		releases[r].has_interval = palloc0(nq * sizeof(bool));
		releases[r].lower = palloc0(nq * sizeof(int64));
		releases[r].upper = palloc0(nq * sizeof(int64));
	}

	/* the withheld cells of each release */
	{
		int			ncells = rows_arg(fcinfo, 2, &rows);
		bool	  **listed = palloc(Max(nreleases, 1) * sizeof(bool *));
		NamedCell **finder = palloc0(Max(nreleases, 1) * sizeof(NamedCell *));

		for (int r = 0; r < nreleases; r++)
			listed[r] = palloc0(Max(releases[r].model->ncells, 1) * sizeof(bool));
		row_reader_init(&reader, CurrentMemoryContext, lengthof(cell_columns),
						cell_columns, cell_types);
		row_reader_optional(&reader, CELL_REQUIRED);
		for (int i = 0; i < ncells; i++)
		{
			DcRelease  *rel;
			int			r;
			int			cell;
			char	   *publication;
			char	   *row_key;
			char	   *measure;
			Datum		lower;
			Datum		upper = (Datum) 0;

			CHECK_FOR_INTERRUPTS();
			row_reader_read(&reader, rows[i]);
			if (!DatumGetBool(required(&reader, 4)))
				continue;
			rel = release_by_id(releases, nreleases, DatumGetInt32(required(&reader, 0)));
			r = rel - releases;
			if (rel->release_id == target)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("release %d is the one to decide: its cells cannot be given",
								target)));
			if (finder[r] == NULL)
				finder[r] = dc_cell_finder(rel->model);
			publication = TextDatumGetCString(required(&reader, 1));
			row_key = TextDatumGetCString(required(&reader, 2));
			measure = TextDatumGetCString(required(&reader, 3));
			cell = dc_find_cell(rel->model, finder[r], publication, row_key, measure);
			listed[r][cell] = true;
			if (row_reader_get(&reader, 5, &lower))
			{
				bool		bounded = row_reader_get(&reader, 6, &upper);

				set_interval(rel, rel->model->cells[cell].quantity, DatumGetInt64(lower),
							 bounded, DatumGetInt64(upper), publication, row_key, measure);
			}
		}
		for (int r = 0; r < nreleases; r++)
			if (releases[r].release_id != target)
				dc_withheld_from_listed(releases[r].model, listed[r], releases[r].withheld);
	}
	return dc_series_build(nreleases, releases);
}

static const char *const proof_columns[] = {
	"round_id", "year", "unknown", "since", "change", "point"
};

#define PROOF_ARRAYS	5		/* the arrays, then the point's number */

/* The elements of an array datum of int4, int2 or float8 */
static int
array_elements(Datum datum, Oid elemtype, Datum **values, bool **nulls)
{
	ArrayType  *array = DatumGetArrayTypeP(datum);
	int16		typlen;
	bool		typbyval;
	char		typalign;
	int			n;

	if (ARR_NDIM(array) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the arrays of a stored point must have one dimension")));
	get_typlenbyvalalign(elemtype, &typlen, &typbyval, &typalign);
	deconstruct_array(array, elemtype, typlen, typbyval, typalign, values, nulls, &n);
	return n;
}

/*
 * Offer the series the points an earlier audit stored (argument n: rows of
 * release_proof).  They are hints: each is checked against the rows of any
 * audit that uses it.
 */
void
dc_offer_proofs(FunctionCallInfo fcinfo, int n, DcSeries *series)
{
	static const Oid types[] = {INT4ARRAYOID, INT4ARRAYOID, INT2ARRAYOID,
	INT4ARRAYOID, FLOAT8ARRAYOID, INT4OID};
	static const Oid elements[] = {INT4OID, INT4OID, INT2OID, INT4OID, FLOAT8OID};
	HeapTupleHeader *rows;
	int			nrows = rows_arg(fcinfo, n, &rows);
	RowReader	reader;

	row_reader_init(&reader, CurrentMemoryContext, lengthof(proof_columns),
					proof_columns, types);
	row_reader_optional(&reader, PROOF_ARRAYS);
	for (int i = 0; i < nrows; i++)
	{
		Datum	   *v[PROOF_ARRAYS];
		bool	   *isnull[PROOF_ARRAYS];
		Datum		id = (Datum) 0;
		int			len = -1;
		int32	   *round_id;
		bool	   *has_year;
		int32	   *year;
		int16	   *unknown;
		int32	   *since;
		double	   *change;

		CHECK_FOR_INTERRUPTS();
		row_reader_read(&reader, rows[i]);
		for (int c = 0; c < PROOF_ARRAYS; c++)
		{
			int			m = array_elements(required(&reader, c), elements[c], &v[c], &isnull[c]);

			if (len >= 0 && m != len)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("the arrays of a stored point must have one length")));
			len = m;
		}
		round_id = palloc(Max(len, 1) * sizeof(int32));
		has_year = palloc(Max(len, 1) * sizeof(bool));
		year = palloc(Max(len, 1) * sizeof(int32));
		unknown = palloc(Max(len, 1) * sizeof(int16));
		since = palloc(Max(len, 1) * sizeof(int32));
		change = palloc(Max(len, 1) * sizeof(double));
		for (int k = 0; k < len; k++)
		{
			if (isnull[0][k] || isnull[2][k] || isnull[3][k] || isnull[4][k])
				ereport(ERROR,
						(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						 errmsg("a stored point cannot have NULL elements but for year")));
			round_id[k] = DatumGetInt32(v[0][k]);
			has_year[k] = !isnull[1][k];
			year[k] = has_year[k] ? DatumGetInt32(v[1][k]) : 0;
			unknown[k] = DatumGetInt16(v[2][k]);
			since[k] = DatumGetInt32(v[3][k]);
			change[k] = DatumGetFloat8(v[4][k]);
		}
		if (!row_reader_get(&reader, PROOF_ARRAYS, &id))
			id = Int32GetDatum(0);
		dc_series_offer_point(series, len, round_id, has_year, year, unknown, since, change,
							  DatumGetInt32(id));
	}
}
