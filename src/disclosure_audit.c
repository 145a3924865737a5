/*-------------------------------------------------------------------------
 *
 * disclosure_audit.c
 *	  How far a reader holding every published table at once can narrow
 *	  each withheld count.
 *
 * The reader's unknowns are the twelve counts of every group (disclosure.h),
 * all non-negative.  What the reader knows of them:
 *	- every published count, an equation: the sum of its unknowns = its value;
 *	- the rules every invitation keeps, which hold for any set of them: the
 *	  notices are at least the cancelled and cancellation_pending files
 *	  (those need a notice), and at most the files with an application
 *	  (in_processing, cancellation_pending and the five decisions).
 * A withheld count is then bounded by the minimum and the maximum of its
 * sum over that polyhedron: a linear program each, solved by simplex.c.
 * The reader can round the bounds inward to integers; the count is safe
 * when what is left is at least min_count - 1 wide.  (Integer programming
 * could in principle narrow some bounds further; the linear bounds are the
 * audit statistical agencies run on linked tables.)
 *
 * Soundness first: a count is called safe only on the strength of points
 * (and rays, for "no upper bound") that satisfy every constraint when
 * checked against the constraints themselves, not the simplex tableau;
 * anything unproven is unsafe.
 *
 * Before the simplex, exact integer reasoning fixes every unknown a
 * published figure pins down: a published zero fixes all its unknowns to
 * zero, and a published sum with a single unknown left fixes that one.
 * What remains is usually small.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "miscadmin.h"
#include "utils/memutils.h"

#include "disclosure.h"
#include "simplex.h"

#define EPS_BOUND	1e-7		/* slack when rounding a bound to an integer */

typedef struct Audit
{
	const DcModel *model;
	int			nvars;			/* every unknown: ngroups x DC_NVARS */
	bool	   *fixed;
	int64	   *value;			/* of a fixed unknown */
	int		   *column;			/* of a free unknown in the program, or -1 */
	int		   *scratch;		/* the unknowns of one quantity */

	/* the program, kept in sparse rows to check answers against */
	int			nrows;
	int			ncols;
	int		   *row_start;		/* nrows + 1 */
	int		   *row_col;
	double	   *row_coef;
	double	   *row_rhs;
	Simplex    *lp;
	double	   *objective;		/* ncols */
	double	   *point;			/* ncols */
} Audit;

/* The unknowns a quantity adds up, into audit->scratch; returns how many */
static int
quantity_vars(Audit *audit, int q)
{
	const DcQuantity *quantity = &audit->model->quantities[q];
	int			vars[DC_NVARS];
	int			nvars = dc_measure_vars(quantity->measure, vars);
	int			n = 0;
	int			g = -1;

	while ((g = bms_next_member(audit->model->sets[quantity->set], g)) >= 0)
		for (int v = 0; v < nvars; v++)
			audit->scratch[n++] = g * DC_NVARS + vars[v];
	return n;
}

/*
 * Fix an unknown to a value.  The groups are checked before they reach the
 * model (disclosure_args.c): their true counts satisfy every published sum
 * and every rule, and presolve only fixes what those force, so a negative
 * value (like an infeasible program, below) cannot come from any input.
 */
static void
fix(Audit *audit, int var, int64 value, bool *changed)
{
	if (value < 0)
		elog(ERROR, "disclosure audit: published counts are inconsistent");
	audit->fixed[var] = true;
	audit->value[var] = value;
	*changed = true;
}

/*
 * Fix what published sums pin down: a sum whose free unknowns must add up
 * to zero fixes them all to zero; a sum with one free unknown fixes it.
 * Returns whether anything was fixed.
 */
static bool
presolve_sum(Audit *audit, int n, const int *vars, int64 total)
{
	int			nfree = 0;
	int			last = -1;
	bool		changed = false;

	for (int i = 0; i < n; i++)
	{
		if (audit->fixed[vars[i]])
			total -= audit->value[vars[i]];
		else
		{
			nfree++;
			last = vars[i];
		}
	}
	if (nfree == 0)
		return false;
	if (total == 0)
	{
		for (int i = 0; i < n; i++)
			if (!audit->fixed[vars[i]])
				fix(audit, vars[i], 0, &changed);
	}
	else if (nfree == 1)
		fix(audit, last, total, &changed);
	return changed;
}

static void
presolve(Audit *audit, const bool *withheld)
{
	const DcModel *model = audit->model;
	bool		changed = true;

	while (changed)
	{
		changed = false;
		CHECK_FOR_INTERRUPTS();
		for (int q = 0; q < model->nquantities; q++)
		{
			int			n;

			if (withheld[q])
				continue;
			n = quantity_vars(audit, q);
			changed |= presolve_sum(audit, n, audit->scratch,
									model->quantities[q].value);
		}
		/* a rule whose larger side is fixed bounds its smaller side */
		for (int g = 0; g < model->ngroups; g++)
		{
			for (int r = 0; r < DC_NRULES; r++)
			{
				int64		room = 0;
				int			vars[NUM_OUTCOMES];
				bool		plus_fixed = true;

				for (int i = 0; i < dc_rules[r].nplus; i++)
				{
					int			v = g * DC_NVARS + dc_rules[r].plus[i];

					plus_fixed &= audit->fixed[v];
					room += audit->value[v];
				}
				if (!plus_fixed)
					continue;
				for (int i = 0; i < dc_rules[r].nminus; i++)
					vars[i] = g * DC_NVARS + dc_rules[r].minus[i];
				/* only the "all zero" case follows from a bound */
				for (int i = 0; i < dc_rules[r].nminus; i++)
					if (audit->fixed[vars[i]])
						room -= audit->value[vars[i]];
				if (room == 0)
					changed |= presolve_sum(audit, dc_rules[r].nminus, vars, 0);
			}
		}
	}
}

/* Append a row to the sparse program */
static void
add_row(Audit *audit, int n, const int *cols, const double *coefs, double rhs)
{
	int			start = audit->row_start[audit->nrows];

	for (int i = 0; i < n; i++)
	{
		audit->row_col[start + i] = cols[i];
		audit->row_coef[start + i] = coefs[i];
	}
	audit->row_rhs[audit->nrows] = rhs;
	audit->row_start[++audit->nrows] = start + n;
}

/* Build the program over the unknowns presolve left free, and solve phase 1 */
static void
build_program(Audit *audit, const bool *withheld)
{
	const DcModel *model = audit->model;
	int			maxrows = model->nquantities + model->ngroups * DC_NRULES;
	int			maxnnz = 0;
	int		   *cols;
	double	   *coefs;
	int			nslack = 0;

	/* columns: the free unknowns, then one slack per rule row */
	audit->ncols = 0;
	for (int v = 0; v < audit->nvars; v++)
		audit->column[v] = audit->fixed[v] ? -1 : audit->ncols++;
	for (int q = 0; q < model->nquantities; q++)
		maxnnz += quantity_vars(audit, q);
	maxnnz += model->ngroups * DC_NRULES * (2 * NUM_OUTCOMES + 1);
	audit->row_start = palloc0((maxrows + 1) * sizeof(int));
	audit->row_col = palloc(Max(maxnnz, 1) * sizeof(int));
	audit->row_coef = palloc(Max(maxnnz, 1) * sizeof(double));
	audit->row_rhs = palloc(Max(maxrows, 1) * sizeof(double));
	cols = palloc(Max(audit->nvars, 1) * sizeof(int));
	coefs = palloc(Max(audit->nvars, 1) * sizeof(double));

	for (int q = 0; q < model->nquantities; q++)
	{
		int			n;
		int			k = 0;
		int64		rest = model->quantities[q].value;

		if (withheld[q])
			continue;
		n = quantity_vars(audit, q);
		for (int i = 0; i < n; i++)
		{
			int			v = audit->scratch[i];

			if (audit->fixed[v])
				rest -= audit->value[v];
			else
			{
				cols[k] = audit->column[v];
				coefs[k++] = 1.0;
			}
		}
		if (k > 0)
			add_row(audit, k, cols, coefs, (double) rest);
	}
	for (int g = 0; g < model->ngroups; g++)
	{
		for (int r = 0; r < DC_NRULES; r++)
		{
			int64		known = 0;
			int			k = 0;

			for (int side = 0; side < 2; side++)
			{
				int			n = side == 0 ? dc_rules[r].nplus : dc_rules[r].nminus;
				const int  *vars = side == 0 ? dc_rules[r].plus : dc_rules[r].minus;
				int			sign = side == 0 ? 1 : -1;

				for (int i = 0; i < n; i++)
				{
					int			v = g * DC_NVARS + vars[i];

					if (audit->fixed[v])
						known += sign * audit->value[v];
					else
					{
						cols[k] = audit->column[v];
						coefs[k++] = sign;
					}
				}
			}
			if (k == 0)
				continue;
			/* sum(free) - slack = -known, slack >= 0 */
			cols[k] = audit->ncols + nslack++;
			coefs[k++] = -1.0;
			add_row(audit, k, cols, coefs, (double) -known);
		}
	}
	audit->ncols += nslack;

	audit->lp = simplex_create(audit->nrows, audit->ncols);
	for (int r = 0; r < audit->nrows; r++)
	{
		for (int i = audit->row_start[r]; i < audit->row_start[r + 1]; i++)
			simplex_set(audit->lp, r, audit->row_col[i], audit->row_coef[i]);
		simplex_set_rhs(audit->lp, r, audit->row_rhs[r]);
	}
	/* the true counts fit: cannot fail on checked groups (see fix()) */
	if (!simplex_phase1(audit->lp))
		elog(ERROR, "disclosure audit: no table fits the published counts");
	audit->objective = palloc0(Max(audit->ncols, 1) * sizeof(double));
	audit->point = palloc(Max(audit->ncols, 1) * sizeof(double));
}

/*
 * Check a point (ray: a direction) against every row of the program: A x = b
 * (A d = 0), x >= 0, each within a tolerance.
 */
static bool
verify(const Audit *audit, const double *x, bool ray)
{
	for (int c = 0; c < audit->ncols; c++)
		if (x[c] < -1e-9)
			return false;
	for (int r = 0; r < audit->nrows; r++)
	{
		double		sum = 0.0;
		double		size = 1.0;
		double		rhs = ray ? 0.0 : audit->row_rhs[r];

		for (int i = audit->row_start[r]; i < audit->row_start[r + 1]; i++)
		{
			sum += audit->row_coef[i] * x[audit->row_col[i]];
			size += fabs(x[audit->row_col[i]]);
		}
		if (fabs(sum - rhs) > 1e-9 * (size + fabs(rhs)))
			return false;
	}
	return true;
}

/* The objective at a point */
static double
objective_at(const Audit *audit, const double *x, double sign)
{
	double		sum = 0.0;

	for (int c = 0; c < audit->ncols; c++)
		sum += sign * audit->objective[c] * x[c];
	return sum;
}

/*
 * The maximum of sign x (the free part of the current quantity), or as much
 * of it as reaching target takes, proven by a checked point; INFINITY when a
 * checked ray shows there is none.  False if nothing could be proven.
 */
static bool
extreme(Audit *audit, double sign, double target, double *best)
{
	double		z;
	SimplexResult result;

	for (int c = 0; c < audit->ncols; c++)
		audit->objective[c] *= sign;
	result = simplex_maximize(audit->lp, audit->objective, target, &z);
	for (int c = 0; c < audit->ncols; c++)
		audit->objective[c] *= sign;

	if (result == SIMPLEX_STALLED)
		return false;
	if (result == SIMPLEX_UNBOUNDED)
	{
		simplex_ray(audit->lp, audit->point);
		if (verify(audit, audit->point, true) &&
			objective_at(audit, audit->point, sign) > 1e-9)
		{
			*best = INFINITY;
			return true;
		}
		/* fall back on the vertex the ray starts from */
	}
	simplex_solution(audit->lp, audit->point);
	if (!verify(audit, audit->point, false))
		return false;
	*best = objective_at(audit, audit->point, sign);
	return true;
}

/* Bound one withheld quantity */
static void
bound(Audit *audit, int q, int min_count, bool exact, DcBounds *b)
{
	int			n = quantity_vars(audit, q);
	int64		value = audit->model->quantities[q].value;
	int64		known = 0;
	int			nfree = 0;
	double		need = min_count - 1;
	double		upper;
	double		lower;

	memset(audit->objective, 0, audit->ncols * sizeof(double));
	for (int i = 0; i < n; i++)
	{
		int			v = audit->scratch[i];

		if (audit->fixed[v])
			known += audit->value[v];
		else
		{
			audit->objective[audit->column[v]] = 1.0;
			nfree++;
		}
	}
	b->lower = b->upper = value;
	b->safe = need <= 0;
	if (nfree == 0)
		return;					/* pinned down exactly */

	/* how high: early out once it is need above the true value */
	if (!extreme(audit, 1.0, exact ? INFINITY : (value - known) + need - EPS_BOUND,
				 &upper))
	{
		b->safe = false;
		return;
	}
	upper = isinf(upper) ? INFINITY : floor(known + upper + EPS_BOUND);
	b->upper = upper;
	if (!exact && upper - value >= need)
	{
		b->safe = true;			/* the lower bound is at most the value */
		return;
	}

	/* how low: early out once it is need below the upper bound */
	if (!extreme(audit, -1.0,
				 exact || isinf(upper) ? INFINITY :
				 -(upper - need - known) - EPS_BOUND, &lower))
	{
		b->safe = false;
		return;
	}
	lower = isinf(lower) ? 0.0 : ceil(known - lower - EPS_BOUND);
	b->lower = Max(lower, 0.0);
	b->safe = isinf(upper) || upper - b->lower >= need;
}

/* Presolve and build the program of what a reader knows, in its own context */
static MemoryContext
audit_begin(Audit *audit, const DcModel *model, const bool *withheld)
{
	MemoryContext cxt = AllocSetContextCreate(CurrentMemoryContext,
											  "disclosure audit",
											  ALLOCSET_DEFAULT_SIZES);
	MemoryContext old = MemoryContextSwitchTo(cxt);

	memset(audit, 0, sizeof(*audit));
	audit->model = model;
	audit->nvars = model->ngroups * DC_NVARS;
	audit->fixed = palloc0(Max(audit->nvars, 1) * sizeof(bool));
	audit->value = palloc0(Max(audit->nvars, 1) * sizeof(int64));
	audit->column = palloc(Max(audit->nvars, 1) * sizeof(int));
	audit->scratch = palloc(Max(audit->nvars, 1) * sizeof(int));

	presolve(audit, withheld);
	build_program(audit, withheld);
	return old;
}

static void
audit_end(MemoryContext old)
{
	MemoryContext cxt = CurrentMemoryContext;

	MemoryContextSwitchTo(old);
	MemoryContextDelete(cxt);
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
	Audit		audit;
	MemoryContext old = audit_begin(&audit, model, withheld);

	for (int q = 0; q < model->nquantities; q++)
		if (withheld[q] && (which == NULL || which[q]))
			bound(&audit, q, min_count, exact, &bounds[q]);
	audit_end(old);
}

/*
 * Whether the audit proves every withheld quantity safe, the nfirst of
 * first[] (the likeliest to fail) first: it stops at the first one it
 * cannot prove safe.
 */
bool
dc_audit_safe(const DcModel *model, const bool *withheld, int min_count,
			  const int *first, int nfirst)
{
	Audit		audit;
	MemoryContext old = audit_begin(&audit, model, withheld);
	bool	   *done = palloc0(Max(model->nquantities, 1) * sizeof(bool));
	bool		safe = true;
	DcBounds	b;

	for (int i = -nfirst; i < model->nquantities && safe; i++)
	{
		int			q = i < 0 ? first[nfirst + i] : i;

		if (withheld[q] && !done[q])
		{
			bound(&audit, q, min_count, false, &b);
			safe = b.safe;
			done[q] = true;
		}
	}
	audit_end(old);
	return safe;
}
