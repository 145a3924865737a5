/*-------------------------------------------------------------------------
 *
 * sql_args.c
 *	  The arguments of disclosure_cells() and disclosure_bounds(), read and
 *	  checked before any of them reaches the model or the audit.
 *
 * The groups are parallel arrays, one element per (round, year of
 * invitation): round_id, year (NULL for a round held by as_of that has no
 * invitation yet), the round's category, whether the round is held by
 * as_of, the ministry's figure for the round (NULL: unknown), and the tally
 * of the group's invitations, which model_groups.c checks against the
 * rules its invitations keep.  Every bad argument is an error with
 * SQLSTATE 22023 (invalid_parameter_value) and a detail that names the
 * rule (dc_bad_input).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "common/int.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

#include "sql.h"

/* The group arrays, arguments 0 to DC_NGROUP_ARGS - 1 */
enum
{
	A_ROUND_ID,
	A_YEAR,
	A_CATEGORY,
	A_IN_DASHBOARD,
	A_INVITATIONS_PUBLISHED,
	A_TALLY
};

static const char *const group_args[DC_NGROUP_ARGS] = {
	"round_id", "year", "category", "in_dashboard", "invitations_published", "tally"
};

/* disclosure_bounds' withheld cells, the arguments after min_count */
#define NUM_CELL_ARGS	3

static const char *const cell_args[NUM_CELL_ARGS] = {
	"withheld_publication", "withheld_row_key", "withheld_measure"
};

/* The elements of array argument n, named name */
static void
array_arg(FunctionCallInfo fcinfo, int n, const char *name,
		  int *nelems, Datum **values, bool **nulls)
{
	ArrayType  *array = PG_GETARG_ARRAYTYPE_P(n);
	int16		typlen;
	bool		typbyval;
	char		typalign;

	if (ARR_NDIM(array) > 1)
		dc_bad_input(psprintf("array %s must have one dimension", name),
					 psprintf("%s has %d dimensions; each of its elements is one %s.",
							  name, ARR_NDIM(array),
							  n < DC_NGROUP_ARGS ? "group" : "withheld cell"));
	get_typlenbyvalalign(ARR_ELEMTYPE(array), &typlen, &typbyval, &typalign);
	deconstruct_array(array, ARR_ELEMTYPE(array), typlen, typbyval, typalign,
					  values, nulls, nelems);
}

/*
 * Read the arrays names[0..narrays-1], arguments first on, checked to have
 * one length; returns it.  Element i of every array describes item i.
 */
static int
parallel_arrays(FunctionCallInfo fcinfo, int first, int narrays,
				const char *const *names, const char *what,
				Datum **values, bool **nulls)
{
	int			n[DC_NGROUP_ARGS];

	Assert(narrays <= DC_NGROUP_ARGS);
	for (int a = 0; a < narrays; a++)
	{
		array_arg(fcinfo, first + a, names[a], &n[a], &values[a], &nulls[a]);
		if (n[a] != n[0])
			dc_bad_input(psprintf("the %s arrays must all have the same length", what),
						 psprintf("%s has %d elements, %s has %d: element i of each array describes %s i.",
								  names[0], n[0], names[a], n[a], what));
	}
	return n[0];
}

/*
 * Read and check the group arrays (arguments 0 to DC_NGROUP_ARGS - 1), and
 * build the model of the published tables from them.
 */
DcModel *
dc_model_from_args(FunctionCallInfo fcinfo)
{
	Datum	   *v[DC_NGROUP_ARGS];
	bool	   *isnull[DC_NGROUP_ARGS];
	int			ngroups;
	DcGroup    *groups;
	char	  **categories;
	int64		invitations = 0;

	ngroups = parallel_arrays(fcinfo, 0, DC_NGROUP_ARGS, group_args, "group", v, isnull);
	groups = palloc0(Max(ngroups, 1) * sizeof(DcGroup));
	categories = palloc(Max(ngroups, 1) * sizeof(char *));

	for (int g = 0; g < ngroups; g++)
	{
		DcGroup    *group = &groups[g];
		const Tally *tally;

		for (int a = 0; a < DC_NGROUP_ARGS; a++)
			if (isnull[a][g] && a != A_YEAR && a != A_INVITATIONS_PUBLISHED)
				dc_bad_input("round_id, category, in_dashboard and tally of a group cannot be NULL",
							 psprintf("Element %d of %s is NULL; only year (a round held by as_of "
									  "with no invitation) and invitations_published (unknown) may be.",
									  g + 1, group_args[a]));
		group->round_id = DatumGetInt32(v[A_ROUND_ID][g]);
		group->has_year = !isnull[A_YEAR][g];
		group->year = group->has_year ? DatumGetInt32(v[A_YEAR][g]) : 0;
		categories[g] = TextDatumGetCString(v[A_CATEGORY][g]);
		group->in_dashboard = DatumGetBool(v[A_IN_DASHBOARD][g]);
		group->has_published = !isnull[A_INVITATIONS_PUBLISHED][g];
		group->invitations_published = group->has_published ?
			DatumGetInt32(v[A_INVITATIONS_PUBLISHED][g]) : 0;
		tally = DatumGetTallyP(v[A_TALLY][g]);
		dc_group_set_tally(group, tally);
		/* every published count is at most all the invitations */
		if (pg_add_s64_overflow(invitations, tally->invitations, &invitations))
			dc_bad_groups("The invitations of all the groups add up to more than a bigint holds.");
	}
	return dc_model_from_groups(ngroups, groups, categories);
}

/* Argument n, min_count */
int
dc_min_count_arg(FunctionCallInfo fcinfo, int n)
{
	int32		min_count = PG_GETARG_INT32(n);

	if (min_count < 1)
		dc_bad_input("min_count must be at least 1",
					 psprintf("min_count is %d; the counts from 1 to min_count - 1 are withheld, "
							  "so min_count = 1 withholds none.", min_count));
	return min_count;
}

/*
 * Read and check the withheld cells disclosure_bounds() lists (arguments
 * first to first + 2: publication, row_key and measure arrays): listed[c]
 * is set for each cell c of the model listed.
 */
void
dc_withheld_args(FunctionCallInfo fcinfo, int first, const DcModel *model,
				 bool *listed)
{
	NamedCell  *finder = dc_cell_finder(model);
	Datum	   *v[NUM_CELL_ARGS];
	bool	   *isnull[NUM_CELL_ARGS];
	int			n;

	n = parallel_arrays(fcinfo, first, NUM_CELL_ARGS, cell_args, "withheld cell", v, isnull);
	for (int i = 0; i < n; i++)
	{
		char	   *part[NUM_CELL_ARGS];

		for (int a = 0; a < NUM_CELL_ARGS; a++)
		{
			if (isnull[a][i])
				dc_bad_input("a withheld cell cannot have a NULL publication, row_key or measure",
							 psprintf("Element %d of %s is NULL.", i + 1, cell_args[a]));
			part[a] = TextDatumGetCString(v[a][i]);
		}
		listed[dc_find_cell(model, finder, part[0], part[1], part[2])] = true;
	}
}
