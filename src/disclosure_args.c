/*-------------------------------------------------------------------------
 *
 * disclosure_args.c
 *	  The arguments of disclosure_cells() and disclosure_bounds(), read and
 *	  checked before any of them reaches the model or the audit.
 *
 * The groups are parallel arrays, one element per (round, year of
 * invitation): round_id, year (NULL for a round held by as_of that has no
 * invitation yet), the round's category, whether the round is held by
 * as_of, the ministry's figure for the round (NULL: unknown), and the tally
 * of the group's invitations.  Each tally must keep the rules its
 * invitations keep (no negative count, the invitations the sum of the ten
 * outcomes, and dc_rules): the audit's linear program is built on them, and
 * tallies that break them would make it fail or prove nonsense.  Every bad
 * argument is an error with SQLSTATE 22023 (invalid_parameter_value) and a
 * detail that names the rule.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "common/int.h"
#include "lib/stringinfo.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

#include "disclosure.h"
#include "pg_compat.h"

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

pg_noreturn static void bad_input(const char *message, const char *detail);

/* Refuse an argument: SQLSTATE 22023, the detail naming the rule */
static void
bad_input(const char *message, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg_internal("%s", message),
			 errdetail_internal("%s", detail)));
}

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
		bad_input(psprintf("array %s must have one dimension", name),
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
			bad_input(psprintf("the %s arrays must all have the same length", what),
					  psprintf("%s has %d elements, %s has %d: element i of each array describes %s i.",
							   names[0], n[0], names[a], n[a], what));
	}
	return n[0];
}

/* "round 7, year 2022" or "round 7 (no year)" */
static char *
group_name(const DcGroup *group)
{
	return group->has_year ?
		psprintf("round %d, year %d", group->round_id, group->year) :
		psprintf("round %d (no year)", group->round_id);
}

pg_noreturn static void bad_group(const char *detail);

static void
bad_group(const char *detail)
{
	bad_input("invalid groups of invitations for disclosure control", detail);
}

/* The sum of some unknowns of a group; false if it overflows */
static bool
sum_vars(const DcGroup *group, int n, const int *vars, int64 *sum)
{
	*sum = 0;
	for (int i = 0; i < n; i++)
		if (pg_add_s64_overflow(*sum, group->var[vars[i]], sum))
			return false;
	return true;
}

/*
 * Check a group read from the arguments (its tally's counts already in
 * var[]) against the rules its invitations keep.
 */
void
dc_check_group(const DcGroup *group, const Tally *tally)
{
	const int64 *counter = (const int64 *) tally;
	int64		outcomes = 0;

	for (int i = 0; i < TALLY_NCOUNTERS; i++)
		if (counter[i] < 0)
			bad_group(psprintf("The tally of %s has %s " INT64_FORMAT
							   "; a count is never negative.",
							   group_name(group), dc_measure_names[i], counter[i]));
	for (int o = 0; o < NUM_OUTCOMES; o++)
		if (pg_add_s64_overflow(outcomes, tally->outcomes[o], &outcomes))
			bad_group(psprintf("The ten outcomes of the tally of %s add up to more than a bigint holds.",
							   group_name(group)));
	if (outcomes != tally->invitations)
		bad_group(psprintf("The tally of %s has " INT64_FORMAT " invitations but its ten outcomes "
						   "add up to " INT64_FORMAT "; every invitation has exactly one outcome.",
						   group_name(group), tally->invitations, outcomes));
	for (int r = 0; r < DC_NRULES; r++)
	{
		const DcRule *rule = &dc_rules[r];
		int64		plus = 0;
		int64		minus = 0;

		if (!sum_vars(group, rule->nplus, rule->plus, &plus) ||
			!sum_vars(group, rule->nminus, rule->minus, &minus))
			bad_group(psprintf("The %s or the %s of the tally of %s add up to more than a bigint holds.",
							   rule->plus_name, rule->minus_name, group_name(group)));
		if (plus < minus)
			bad_group(psprintf("The tally of %s breaks a rule of invitations, %s >= %s "
							   "(here " INT64_FORMAT " < " INT64_FORMAT "): %s.",
							   group_name(group), rule->plus_name, rule->minus_name,
							   plus, minus, rule->why));
	}
	if (!group->has_year && (tally->invitations != 0 || !group->in_dashboard))
		bad_group(psprintf("A group of round %d without a year must be an empty round held by as_of.",
						   group->round_id));
	if (group->invitations_published < 0)
		bad_group(psprintf("The invitations_published of %s is " INT64_FORMAT
						   "; a count is never negative.",
						   group_name(group), group->invitations_published));
}

static int
cmp_string(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

static int
cmp_group(const void *a, const void *b)
{
	const DcGroup *x = a;
	const DcGroup *y = b;

	if (x->round_id != y->round_id)
		return x->round_id < y->round_id ? -1 : 1;
	if (x->has_year != y->has_year)
		return x->has_year ? 1 : -1;
	return (x->year > y->year) - (x->year < y->year);
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
				bad_input("round_id, category, in_dashboard and tally of a group cannot be NULL",
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
		for (int o = 0; o < NUM_OUTCOMES; o++)
			group->var[DC_VAR_OUTCOME(o)] = tally->outcomes[o];
		for (int k = 0; k < NUM_GROUNDS; k++)
			group->var[DC_VAR_GROUND(k)] = tally->notices[k];
		dc_check_group(group, tally);
		/* every published count is at most all the invitations */
		if (pg_add_s64_overflow(invitations, tally->invitations, &invitations))
			bad_group("The invitations of all the groups add up to more than a bigint holds.");
	}
	return dc_model_from_groups(ngroups, groups, categories);
}

/*
 * The model of the published tables from checked groups, each with its
 * category's name in categories[]: categories sorted, one group per
 * (round, year), the groups of a round agreeing on the round.
 */
DcModel *
dc_model_from_groups(int ngroups, DcGroup *groups, char **categories)
{
	int			ncategories = 0;

	/* categories: sorted, distinct, each group pointing at its own */
	if (ngroups > 0)
	{
		char	  **sorted = palloc(ngroups * sizeof(char *));

		memcpy(sorted, categories, ngroups * sizeof(char *));
		qsort(sorted, ngroups, sizeof(char *), cmp_string);
		for (int g = 0; g < ngroups; g++)
			if (ncategories == 0 || strcmp(sorted[ncategories - 1], sorted[g]) != 0)
				sorted[ncategories++] = sorted[g];
		for (int g = 0; g < ngroups; g++)
		{
			char	  **c = bsearch(&categories[g], sorted, ncategories,
									sizeof(char *), cmp_string);

			groups[g].category = c - sorted;
		}
		categories = sorted;
	}

	/* one group per (round, year); a round's groups agree on the round */
	qsort(groups, ngroups, sizeof(DcGroup), cmp_group);
	for (int g = 1; g < ngroups; g++)
	{
		const DcGroup *a = &groups[g - 1];
		const DcGroup *b = &groups[g];

		if (a->round_id != b->round_id)
			continue;
		if (cmp_group(a, b) == 0)
			bad_group(psprintf("Round %d has two groups for one year.", b->round_id));
		if (!a->has_year)
			bad_group(psprintf("Round %d is said both empty and not.", b->round_id));
		if (a->category != b->category || a->in_dashboard != b->in_dashboard ||
			a->has_published != b->has_published ||
			a->invitations_published != b->invitations_published)
			bad_group(psprintf("The groups of round %d disagree about the round.", b->round_id));
	}
	return dc_model_build(ngroups, groups, ncategories, categories);
}

/* Argument n, min_count */
int
dc_min_count_arg(FunctionCallInfo fcinfo, int n)
{
	int32		min_count = PG_GETARG_INT32(n);

	if (min_count < 1)
		bad_input("min_count must be at least 1",
				  psprintf("min_count is %d; the counts from 1 to min_count - 1 are withheld, "
						   "so min_count = 1 withholds none.", min_count));
	return min_count;
}

/* A cell's name, to find the cells a caller lists */
static char *
cell_name(const char *publication, const char *row_key, const char *measure)
{
	return psprintf("%s\x1f%s\x1f%s", publication, row_key, measure);
}

struct NamedCell
{
	char	   *name;
	int			cell;
};

static int
cmp_named(const void *a, const void *b)
{
	return strcmp(((const NamedCell *) a)->name, ((const NamedCell *) b)->name);
}

/* Why no cell of the model is (publication, row_key, measure) */
static char *
no_cell_detail(const char *publication, const char *row_key, const char *measure)
{
	int			table = -1;
	int			m = -1;
	StringInfoData buf;

	for (int t = 0; t < DC_NTABLES; t++)
		if (strcmp(publication, dc_table_names[t]) == 0)
			table = t;
	if (table < 0)
		return psprintf("The publications are %s, %s and %s.", dc_table_names[0],
						dc_table_names[1], dc_table_names[2]);
	for (int i = 0; i < DC_NMEASURES; i++)
		if (strcmp(measure, dc_measure_names[i]) == 0)
			m = i;
	if (m >= 0 && dc_table_shows(table, m))
		return psprintf("%s has no row with the key \"%s\".", publication, row_key);
	initStringInfo(&buf);
	appendStringInfo(&buf, "%s has no column %s; its counts are", publication, measure);
	for (int i = 0, shown = 0; i < DC_NMEASURES; i++)
		if (dc_table_shows(table, i))
			appendStringInfo(&buf, "%s %s", shown++ ? "," : "", dc_measure_names[i]);
	appendStringInfoChar(&buf, '.');
	return buf.data;
}

/* The cells of a model by name, for dc_find_cell() */
NamedCell *
dc_cell_finder(const DcModel *model)
{
	NamedCell  *named = palloc(Max(model->ncells, 1) * sizeof(NamedCell));

	for (int c = 0; c < model->ncells; c++)
	{
		const DcCell *cell = &model->cells[c];
		const DcRow *row = &model->rows[cell->row];

		named[c].name = cell_name(dc_table_names[row->table],
								  dc_row_key(model, row),
								  dc_measure_names[cell->measure]);
		named[c].cell = c;
	}
	qsort(named, model->ncells, sizeof(NamedCell), cmp_named);
	return named;
}

/* The cell (publication, row_key, measure) of a model; refused if none */
int
dc_find_cell(const DcModel *model, const NamedCell *finder,
			 const char *publication, const char *row_key, const char *measure)
{
	NamedCell	key;
	const NamedCell *found;

	key.name = cell_name(publication, row_key, measure);
	found = bsearch(&key, finder, model->ncells, sizeof(NamedCell), cmp_named);
	if (found == NULL)
		bad_input(psprintf("%s has no cell (%s, %s)", publication, row_key, measure),
				  no_cell_detail(publication, row_key, measure));
	pfree(key.name);
	return found->cell;
}

/*
 * Which quantities are withheld, from the cells listed as withheld: a
 * quantity is withheld when none of its cells is shown.
 */
void
dc_withheld_from_listed(const DcModel *model, const bool *listed, bool *withheld)
{
	for (int q = 0; q < model->nquantities; q++)
		withheld[q] = true;
	for (int c = 0; c < model->ncells; c++)
		if (!listed[c])
			withheld[model->cells[c].quantity] = false;
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
				bad_input("a withheld cell cannot have a NULL publication, row_key or measure",
						  psprintf("Element %d of %s is NULL.", i + 1, cell_args[a]));
			part[a] = TextDatumGetCString(v[a][i]);
		}
		listed[dc_find_cell(model, finder, part[0], part[1], part[2])] = true;
	}
}
