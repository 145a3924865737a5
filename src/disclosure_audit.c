/*-------------------------------------------------------------------------
 *
 * disclosure_audit.c
 *	  How far a reader holding every table of one release at once can
 *	  narrow each withheld count.
 *
 * The reader's unknowns are the twelve counts of every group (disclosure.h),
 * all non-negative.  What the reader knows of them:
 *	- every published count, an equation: the sum of its unknowns = its value;
 *	- the rules every invitation keeps, which hold for any set of them: the
 *	  notices are at least the cancelled and cancellation_pending files
 *	  (those need a notice), and at most the files with an application
 *	  (in_processing, cancellation_pending and the five decisions).
 * A withheld count is then bounded by the minimum and the maximum of its
 * sum over that polyhedron (disclosure_system.c).  The reader can round the
 * bounds inward to integers; the count is safe when what is left is at
 * least min_count - 1 wide.  (Integer programming could in principle narrow
 * some bounds further; the linear bounds are the audit statistical agencies
 * run on linked tables.)
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "utils/memutils.h"

#include "disclosure.h"

/* The unknowns a quantity adds up, into vars[]; returns how many */
int
dc_quantity_vars(const DcModel *model, int q, int *vars)
{
	const DcQuantity *quantity = &model->quantities[q];
	int			measure_vars[DC_NVARS];
	int			nvars = dc_measure_vars(quantity->measure, measure_vars);
	int			n = 0;
	int			g = -1;

	while ((g = bms_next_member(model->sets[quantity->set], g)) >= 0)
		for (int v = 0; v < nvars; v++)
			vars[n++] = g * DC_NVARS + measure_vars[v];
	return n;
}

/*
 * The rules of the contract for one set of invitations, whose twelve
 * unknowns are group_vars[]: sum(plus) - sum(minus) >= 0.
 */
void
dc_rule_rows(DcSystem *sys, const int *group_vars)
{
	for (int r = 0; r < DC_NRULES; r++)
	{
		const DcRule *rule = &dc_rules[r];
		int			vars[2 * NUM_OUTCOMES];
		int			coefs[2 * NUM_OUTCOMES];
		int			n = 0;

		for (int i = 0; i < rule->nplus; i++)
		{
			vars[n] = group_vars[rule->plus[i]];
			coefs[n++] = 1;
		}
		for (int i = 0; i < rule->nminus; i++)
		{
			vars[n] = group_vars[rule->minus[i]];
			coefs[n++] = -1;
		}
		dc_system_add_row(sys, false, n, vars, coefs, 0);
	}
}

/* What a reader of one release knows, withheld[] being withheld */
static DcSystem *
release_system(const DcModel *model, const bool *withheld, int *vars)
{
	int			nvars = model->ngroups * DC_NVARS;
	int64	   *truth = palloc(Max(nvars, 1) * sizeof(int64));
	DcSystem   *sys;

	for (int g = 0; g < model->ngroups; g++)
		memcpy(&truth[g * DC_NVARS], model->groups[g].var, DC_NVARS * sizeof(int64));
	sys = dc_system_create(nvars, truth);
	pfree(truth);

	for (int q = 0; q < model->nquantities; q++)
	{
		if (withheld[q])
			continue;
		dc_system_add_row(sys, true, dc_quantity_vars(model, q, vars), vars, NULL,
						  model->quantities[q].value);
	}
	for (int g = 0; g < model->ngroups; g++)
	{
		int			group_vars[DC_NVARS];

		for (int k = 0; k < DC_NVARS; k++)
			group_vars[k] = g * DC_NVARS + k;
		dc_rule_rows(sys, group_vars);
	}
	return sys;
}

/*
 * Bound withheld quantities (withheld[q]) as a reader of all the published
 * tables could: those of which[] (every withheld one if which is NULL);
 * bounds[q] is filled for those.  With exact, the bounds are the least and
 * greatest values; without, the search stops as soon as the quantity is
 * shown safe.
 */
void
dc_audit(const DcModel *model, const bool *withheld, const bool *which,
		 int min_count, bool exact, DcBounds *bounds)
{
	MemoryContext cxt = AllocSetContextCreate(CurrentMemoryContext,
											  "disclosure audit of a release",
											  ALLOCSET_DEFAULT_SIZES);
	MemoryContext old = MemoryContextSwitchTo(cxt);
	int		   *vars = palloc(Max(model->ngroups * DC_NVARS, 1) * sizeof(int));
	DcAudit    *audit = dc_audit_begin(release_system(model, withheld, vars), NULL);

	for (int q = 0; q < model->nquantities; q++)
	{
		if (!withheld[q] || (which != NULL && !which[q]))
			continue;
		dc_audit_form(audit, dc_quantity_vars(model, q, vars), vars, NULL,
					  model->quantities[q].value, min_count - 1, exact,
					  &bounds[q]);
	}
	MemoryContextSwitchTo(old);
	MemoryContextDelete(cxt);
}
