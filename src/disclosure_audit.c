/*-------------------------------------------------------------------------
 *
 * disclosure_audit.c
 *	  How far a reader can narrow a form of the unknowns (a withheld count,
 *	  the change of a count between two releases): the audit of a system
 *	  (disclosure_system.c).
 *
 * A reader who can round bounds inward to integers narrows the form to
 * [ceil(least), floor(greatest)] over the polyhedron the rows and x >= 0
 * make; the form is safe when that is at least need wide.  (Integer
 * programming could in principle narrow some bounds further; the linear
 * bounds are the audit statistical agencies run on linked tables.)
 *
 * Deciding whether a form is safe takes the cheapest of:
 *	1. the bounds propagation found (audit_propagate.c): a form they leave
 *	   narrower than need is unsafe, whatever a program would add;
 *	2. points already found (kept from audit to audit as changes from the
 *	   true values, each checked against the rows of this audit): the true
 *	   values and any two points whose values of the form are need apart
 *	   prove it safe;
 *	3. for a form of a component too large for the dense tableau, a
 *	   program over a neighbourhood of the form (the unknowns a few rows
 *	   away, the others held at their true values): any point of it is a
 *	   point of the whole system, so a proof there is a proof;
 *	4. programs over the whole components the form reaches, exact, each
 *	   built once per audit and started from the basis the last form left.
 * With exact, the least and greatest values are wanted: straight to 4.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "common/hashfn.h"
#include "miscadmin.h"
#include "utils/memutils.h"

#include "audit.h"

#define FIRST_CAPACITY	64		/* points room is first made for */
#define NEAR_UNKNOWNS	48		/* the unknowns of a neighbourhood */

/* A form bounded before, with what was found */
typedef struct CachedForm
{
	uint32		hash;			/* 0: an empty slot */
	int			n;
	int		   *vars;
	int		   *coefs;
	int			need;			/* the width it was searched for */
	DcAuditMode mode;			/* the most thorough search of it */
	DcBounds	bounds;
	double		width;
} CachedForm;

/* ----------------------------------------------------------------------
 * Points kept from audit to audit
 * ----------------------------------------------------------------------
 */

/*
 * An empty set of points for audits of systems over nvars unknowns, at most
 * max_points of them (then the older half makes room).
 */
DcPoints *
dc_points_create(int nvars, int max_points)
{
	DcPoints   *pool = palloc0(sizeof(DcPoints));

	pool->nvars = nvars;
	pool->max_points = max_points;
	pool->capacity = Min(FIRST_CAPACITY, max_points);
	pool->nchanges = palloc0(pool->capacity * sizeof(int));
	pool->change_var = palloc0(pool->capacity * sizeof(int *));
	pool->change = palloc0(pool->capacity * sizeof(double *));
	pool->checked = palloc0(pool->capacity * sizeof(bool));
	pool->valid = palloc0(pool->capacity * sizeof(bool));
	pool->used = palloc0(pool->capacity * sizeof(bool));
	pool->moves = palloc(pool->capacity * sizeof(double));
	pool->scratch = palloc0(Max(nvars, 1) * sizeof(double));
	pool->by_var_start = palloc0((nvars + 1) * sizeof(int));
	pool->stale = true;
	return pool;
}

/* Room for one more point, the older half evicted when full; its index */
static int
point_slot(DcPoints *pool)
{
	if (pool->npoints == pool->max_points)
	{
		int			half = pool->max_points / 2;
		int			rest = pool->npoints - half;

		for (int i = 0; i < half; i++)
		{
			pfree(pool->change_var[i]);
			pfree(pool->change[i]);
		}
		memmove(pool->nchanges, pool->nchanges + half, rest * sizeof(int));
		memmove(pool->change_var, pool->change_var + half, rest * sizeof(int *));
		memmove(pool->change, pool->change + half, rest * sizeof(double *));
		memmove(pool->checked, pool->checked + half, rest * sizeof(bool));
		memmove(pool->valid, pool->valid + half, rest * sizeof(bool));
		memmove(pool->used, pool->used + half, rest * sizeof(bool));
		pool->npoints = rest;
		pool->stale = true;
	}
	if (pool->npoints == pool->capacity)
	{
		pool->capacity = Min(pool->capacity * 2, pool->max_points);
		pool->nchanges = repalloc(pool->nchanges, pool->capacity * sizeof(int));
		pool->change_var = repalloc(pool->change_var, pool->capacity * sizeof(int *));
		pool->change = repalloc(pool->change, pool->capacity * sizeof(double *));
		pool->checked = repalloc(pool->checked, pool->capacity * sizeof(bool));
		pool->valid = repalloc(pool->valid, pool->capacity * sizeof(bool));
		pool->used = repalloc(pool->used, pool->capacity * sizeof(bool));
		pool->moves = repalloc(pool->moves, pool->capacity * sizeof(double));
	}
	return pool->npoints++;
}

/*
 * Add a point given by its changes from the true values (n unknowns and
 * their changes), to be checked against the rows of each audit it is used
 * in, like any other.
 */
void
dc_points_add(DcPoints *pool, int n, const int *vars, const double *changes)
{
	MemoryContext old = MemoryContextSwitchTo(GetMemoryChunkContext(pool));
	int			k = point_slot(pool);

	pool->change_var[k] = palloc(Max(n, 1) * sizeof(int));
	pool->change[k] = palloc(Max(n, 1) * sizeof(double));
	memcpy(pool->change_var[k], vars, n * sizeof(int));
	memcpy(pool->change[k], changes, n * sizeof(double));
	pool->nchanges[k] = n;
	pool->checked[k] = false;
	pool->valid[k] = false;
	pool->used[k] = false;
	pool->stale = true;
	MemoryContextSwitchTo(old);
}

/* Point k of a pool, if it proved a form safe: its changes; else 0 */
int
dc_points_used(const DcPoints *pool, int k, const int **vars, const double **changes)
{
	if (k >= pool->npoints || !pool->used[k])
		return 0;
	*vars = pool->change_var[k];
	*changes = pool->change[k];
	return pool->nchanges[k];
}

int
dc_points_count(const DcPoints *pool)
{
	return pool->npoints;
}

/* Put point k's changes into pool->scratch (or take them back out) */
static void
scatter(DcPoints *pool, int k, bool in)
{
	for (int i = 0; i < pool->nchanges[k]; i++)
		pool->scratch[pool->change_var[k][i]] = in ? pool->change[k][i] : 0.0;
}

/* Whether point k keeps every row of the audit's system that it touches */
static bool
point_keeps_rows(DcAudit *audit, int k)
{
	const DcSystem *sys = audit->sys;
	DcPoints   *pool = audit->pool;
	bool		keeps = true;
	int			nmarked = 0;
	int		   *marked = palloc(Max(sys->nrows, 1) * sizeof(int));

	scatter(pool, k, true);
	for (int i = 0; i < pool->nchanges[k] && keeps; i++)
	{
		int			v = pool->change_var[k][i];

		if (sys->truth[v] + pool->change[k][i] < -1e-9)
			keeps = false;
		for (int j = audit->var_start[v]; j < audit->var_start[v + 1] && keeps; j++)
		{
			int			r = audit->var_row[j];
			double		sum = 0.0;
			double		size = 1.0;
			double		tolerance;

			if (audit->row_mark[r])
				continue;
			audit->row_mark[r] = true;
			marked[nmarked++] = r;
			for (int t = sys->row_start[r]; t < sys->row_start[r + 1]; t++)
			{
				double		x = sys->truth[sys->term_var[t]] + pool->scratch[sys->term_var[t]];

				sum += sys->term_coef[t] * x;
				size += fabs(x);
			}
			tolerance = 1e-9 * (size + fabs((double) sys->row_rhs[r]));
			if (sys->row_eq[r] ? fabs(sum - sys->row_rhs[r]) > tolerance :
				sum < sys->row_rhs[r] - tolerance)
				keeps = false;
		}
	}
	scatter(pool, k, false);
	for (int i = 0; i < nmarked; i++)
		audit->row_mark[marked[i]] = false;
	pfree(marked);
	return keeps;
}

/*
 * Keep a checked point of a program (its values x) among the audit's
 * points, as its changes from the true values: with the true values
 * elsewhere, it keeps every row.
 */
void
points_add(DcAudit *audit, const Program *program, const double *x)
{
	DcPoints   *pool = audit->pool;
	MemoryContext old;
	int			k;
	int			n = 0;

	if (pool == NULL)
		return;
	old = MemoryContextSwitchTo(GetMemoryChunkContext(pool));
	k = point_slot(pool);
	pool->change_var[k] = palloc(Max(program->nfree, 1) * sizeof(int));
	pool->change[k] = palloc(Max(program->nfree, 1) * sizeof(double));
	for (int c = 0; c < program->nfree; c++)
	{
		double		d = x[c] - (double) audit->sys->truth[program->vars[c]];

		if (fabs(d) > 1e-12)
		{
			pool->change_var[k][n] = program->vars[c];
			pool->change[k][n++] = d;
		}
	}
	pool->nchanges[k] = n;
	pool->checked[k] = true;
	pool->valid[k] = true;
	pool->used[k] = true;		/* found for a form: it is a proof of it */
	/* indexed at the next rebuild; until then looked at by itself */
	if (pool->nfresh == lengthof(pool->fresh))
		pool->stale = true;
	else if (!pool->stale)
		pool->fresh[pool->nfresh++] = k;
	MemoryContextSwitchTo(old);
}

/* Index the changes of the points by unknown */
static void
index_points(DcPoints *pool)
{
	int			total = 0;
	int		   *fill = palloc0((pool->nvars + 1) * sizeof(int));

	memset(pool->by_var_start, 0, (pool->nvars + 1) * sizeof(int));
	for (int k = 0; k < pool->npoints; k++)
	{
		total += pool->nchanges[k];
		for (int i = 0; i < pool->nchanges[k]; i++)
			pool->by_var_start[pool->change_var[k][i] + 1]++;
	}
	for (int v = 0; v < pool->nvars; v++)
		pool->by_var_start[v + 1] += pool->by_var_start[v];
	if (pool->by_var_point)
	{
		pfree(pool->by_var_point);
		pfree(pool->by_var_change);
	}
	pool->by_var_point = MemoryContextAlloc(GetMemoryChunkContext(pool),
											Max(total, 1) * sizeof(int));
	pool->by_var_change = MemoryContextAlloc(GetMemoryChunkContext(pool),
											 Max(total, 1) * sizeof(double));
	for (int k = 0; k < pool->npoints; k++)
	{
		for (int i = 0; i < pool->nchanges[k]; i++)
		{
			int			v = pool->change_var[k][i];
			int			j = pool->by_var_start[v] + fill[v]++;

			pool->by_var_point[j] = k;
			pool->by_var_change[j] = pool->change[k][i];
		}
	}
	pfree(fill);
	pool->stale = false;
	pool->nfresh = 0;
}

/* ----------------------------------------------------------------------
 * The audit
 * ----------------------------------------------------------------------
 */

/* What the audits cost so far; reset with reset */
DcAuditStats
dc_audit_stats(bool reset)
{
	DcAuditStats result = audit_stats;

	if (reset)
		memset(&audit_stats, 0, sizeof(audit_stats));
	return result;
}

/*
 * Begin an audit of a system: propagate bounds, split the free unknowns
 * into components, check which kept points (pool, if not NULL) keep its
 * rows.  Its memory lives until dc_audit_end().
 */
DcAudit *
dc_audit_begin(const DcSystem *sys, DcPoints *pool)
{
	MemoryContext cxt = AllocSetContextCreate(CurrentMemoryContext,
											  "disclosure audit",
											  ALLOCSET_DEFAULT_SIZES);
	MemoryContext old = MemoryContextSwitchTo(cxt);
	DcAudit    *audit = palloc0(sizeof(DcAudit));

	audit->sys = sys;
	audit->cxt = cxt;
	audit->pool = pool;
	audit->lo = palloc0(Max(sys->nvars, 1) * sizeof(int64));
	audit->hi = palloc(Max(sys->nvars, 1) * sizeof(int64));
	for (int v = 0; v < sys->nvars; v++)
		audit->hi[v] = NO_BOUND;
	audit->component = palloc(Max(sys->nvars, 1) * sizeof(int));
	audit->position = palloc(Max(sys->nvars, 1) * sizeof(int));
	audit->column = palloc(Max(sys->nvars, 1) * sizeof(int));
	for (int v = 0; v < sys->nvars; v++)
		audit->column[v] = -1;
	audit->row_mark = palloc0(Max(sys->nrows, 1) * sizeof(bool));
	audit->cap = 2.0;
	for (int v = 0; v < sys->nvars; v++)
		audit->cap += 2.0 * sys->truth[v];
	audit_stats.audits++;
	audit_propagate(audit);
	audit_split(audit);
	elog(DEBUG2, "disclosure audit: %d unknowns, %d rows, %d components",
		 sys->nvars, sys->nrows, audit->ncomponents);
	audit->pmax = palloc(Max(audit->ncomponents, 1) * sizeof(double));
	audit->pmin = palloc(Max(audit->ncomponents, 1) * sizeof(double));
	audit->inpart = palloc0(Max(audit->ncomponents, 1) * sizeof(bool));
	audit->parts = palloc(Max(audit->ncomponents, 1) * sizeof(int));
	if (pool != NULL)
	{
		Assert(pool->nvars == sys->nvars);
		memset(pool->checked, 0, pool->npoints * sizeof(bool));
	}
	MemoryContextSwitchTo(old);
	return audit;
}

void
dc_audit_end(DcAudit *audit)
{
	MemoryContextDelete(audit->cxt);
}

/* Whether the audit knows an unknown exactly (after propagation) */
bool
dc_audit_known(const DcAudit *audit, int var)
{
	return audit->component[var] < 0;
}

/* floor(value + max) - ceil(value + min), or INFINITY */
static double
width_of(double value, double min, double max)
{
	if (isinf(max) || isinf(min))
		return INFINITY;
	return floor(value + max + EPS_BOUND) - ceil(value + min - EPS_BOUND);
}

/*
 * Step 1: how far the kept points move a form from its true value, into
 * *min and *max (0 both for none), and which points: *kmin, *kmax (-1: the
 * true values).
 */
static void
pool_moves(DcAudit *audit, int n, const int *vars, const int *coefs,
		   double *min, double *max, int *kmin, int *kmax)
{
	DcPoints   *pool = audit->pool;

	*min = *max = 0.0;
	*kmin = *kmax = -1;
	if (pool == NULL)
		return;
	if (pool->stale)
		index_points(pool);
	memset(pool->moves, 0, pool->npoints * sizeof(double));
	for (int i = 0; i < n; i++)
		for (int j = pool->by_var_start[vars[i]]; j < pool->by_var_start[vars[i] + 1]; j++)
			pool->moves[pool->by_var_point[j]] += coefs[i] * pool->by_var_change[j];
	for (int f = 0; f < pool->nfresh; f++)
	{
		int			k = pool->fresh[f];

		scatter(pool, k, true);
		for (int i = 0; i < n; i++)
			pool->moves[k] += coefs[i] * pool->scratch[vars[i]];
		scatter(pool, k, false);
	}

	/*
	 * The points that move it most either way, checked against this
	 * audit's rows only now (most points never are): one that does not keep
	 * them is passed over.
	 */
	for (int side = 0; side < 2; side++)
	{
		for (;;)
		{
			int			best = -1;

			for (int k = 0; k < pool->npoints; k++)
			{
				double		m = side == 0 ? pool->moves[k] : -pool->moves[k];

				if ((pool->checked[k] && !pool->valid[k]) || m <= 0.0)
					continue;
				if (best < 0 || m > (side == 0 ? pool->moves[best] : -pool->moves[best]))
					best = k;
			}
			if (best < 0)
				break;
			if (!pool->checked[best])
			{
				pool->checked[best] = true;
				pool->valid[best] = point_keeps_rows(audit, best);
				if (!pool->valid[best])
					continue;
			}
			if (side == 0)
			{
				*max = pool->moves[best];
				*kmax = best;
			}
			else
			{
				*min = pool->moves[best];
				*kmin = best;
			}
			break;
		}
	}
}

/*
 * Step 3, for forms of large components: a program over the form's free
 * unknowns and those near them (at most NEAR_UNKNOWNS, but all the form's),
 * found breadth first through the rows, the rows with fewer unknowns
 * first; how far it moves the form, into *min and *max (which it only
 * widens), until the width reaches need.  Every point of it, the other
 * unknowns at their true values, is a point of the whole system.
 */
static void
near_moves(DcAudit *audit, int n, const int *vars, const int *coefs,
		   int64 value, int need, double *min, double *max)
{
	const DcSystem *sys = audit->sys;
	MemoryContext cxt = AllocSetContextCreate(CurrentMemoryContext,
											  "disclosure audit: a neighbourhood",
											  ALLOCSET_DEFAULT_SIZES);
	MemoryContext old = MemoryContextSwitchTo(cxt);
	int		   *near = palloc(Max(sys->nvars, 1) * sizeof(int));
	int		   *rows = palloc(Max(sys->nrows, 1) * sizeof(int));
	int			nnear = 0;
	int			nrows = 0;
	Program    *program;
	double		truth = 0.0;	/* the program's objective at the true values */
	double		best;

	for (int i = 0; i < n; i++)
		if (audit->component[vars[i]] >= 0 && audit->column[vars[i]] < 0)
		{
			audit->column[vars[i]] = nnear;
			near[nnear++] = vars[i];
		}
	/* rows by the number of their terms: a few passes, smallest first */
	for (int size = 2; size <= 1 << 20 && nnear < NEAR_UNKNOWNS; size *= 4)
	{
		for (int head = 0; head < nnear && nnear < NEAR_UNKNOWNS; head++)
		{
			int			v = near[head];

			for (int j = audit->var_start[v]; j < audit->var_start[v + 1]; j++)
			{
				int			r = audit->var_row[j];

				if (sys->row_start[r + 1] - sys->row_start[r] > size)
					continue;
				for (int t = sys->row_start[r]; t < sys->row_start[r + 1] &&
					 nnear < NEAR_UNKNOWNS; t++)
				{
					int			u = sys->term_var[t];

					if (audit->component[u] < 0 || audit->column[u] >= 0)
						continue;
					audit->column[u] = nnear;
					near[nnear++] = u;
				}
			}
		}
	}
	/* the program's rows: every row that holds one of them */
	for (int k = 0; k < nnear; k++)
		for (int j = audit->var_start[near[k]]; j < audit->var_start[near[k] + 1]; j++)
		{
			int			r = audit->var_row[j];

			if (!audit->row_mark[r])
			{
				audit->row_mark[r] = true;
				rows[nrows++] = r;
			}
		}
	for (int i = 0; i < nrows; i++)
		audit->row_mark[rows[i]] = false;
	for (int k = 0; k < nnear; k++)
		audit->column[near[k]] = -1;

	program = program_build(audit, nnear, near, nrows, rows);
	for (int k = 0; k < nnear; k++)
		audit->column[near[k]] = k;
	for (int i = 0; i < n; i++)
	{
		if (audit->column[vars[i]] < 0)
			continue;
		program->objective[audit->column[vars[i]]] += coefs[i];
		truth += coefs[i] * (double) sys->truth[vars[i]];
	}
	for (int k = 0; k < nnear; k++)
		audit->column[near[k]] = -1;

	/* the most first (one point usually proves it), then the least */
	if (width_of(value, *min, *max) < need &&
		program_extreme(audit, program, 1.0, truth + *min + need + EPS_BOUND, &best))
		*max = Max(*max, best - truth);
	if (width_of(value, *min, *max) < need &&
		program_extreme(audit, program, -1.0, -(truth + *max - need) + EPS_BOUND, &best))
		*min = Min(*min, -best - truth);
	MemoryContextSwitchTo(old);
	MemoryContextDelete(cxt);
}

/* ----------------------------------------------------------------------
 * Step 2: whole components
 * ----------------------------------------------------------------------
 */

/* The part in component c of a form, into the program's objective */
static void
set_objective(const DcAudit *audit, Program *program, int c, int n,
			  const int *vars, const int *coefs)
{
	memset(program->objective, 0, program->nfree * sizeof(double));
	/* the columns of a component's program are its unknowns in order */
	for (int i = 0; i < n; i++)
		if (audit->component[vars[i]] == c)
			program->objective[audit->position[vars[i]]] += coefs[i];
}

/* The value at kept point k of component c's program of a form's part */
static double
kept_at(const DcAudit *audit, int c, int k, int n, const int *vars,
		const int *coefs)
{
	const Program *program = audit->components[c].program;
	const double *x = &program->points[(size_t) k * program->nfree];
	double		sum = 0.0;

	for (int i = 0; i < n; i++)
		if (audit->component[vars[i]] == c)
			sum += coefs[i] * x[audit->position[vars[i]]];
	return sum;
}

/*
 * The least and greatest values of a form over the whole components it
 * reaches (each part's range, added up: the components are independent),
 * or, without exact, as much as it takes to show it need wide.  Returns
 * the width proven.
 */
static double
component_bounds(DcAudit *audit, int n, const int *vars, const int *coefs,
				 int64 value, int need, bool exact, DcBounds *b)
{
	double		known = 0.0;
	int			nparts = 0;
	double		max;
	double		min;
	double		width;

	for (int i = 0; i < n; i++)
	{
		int			c = audit->component[vars[i]];

		if (c < 0)
			known += (double) coefs[i] * audit->lo[vars[i]];
		else if (!audit->inpart[c])
		{
			audit->inpart[c] = true;
			audit->parts[nparts++] = c;
		}
	}
	for (int i = 0; i < nparts; i++)
		audit->inpart[audit->parts[i]] = false;

	/* what the kept points of each part's program already show */
	for (int i = 0; i < nparts; i++)
	{
		int			c = audit->parts[i];
		Component  *comp = &audit->components[c];

		if (comp->program == NULL)
		{
			MemoryContext old = MemoryContextSwitchTo(audit->cxt);

			comp->program = program_build(audit, comp->nfree, comp->vars,
										  comp->nrows, comp->rows);
			MemoryContextSwitchTo(old);
		}
		audit->pmax[c] = -INFINITY;
		audit->pmin[c] = INFINITY;
		for (int k = 0; k < comp->program->npoints; k++)
		{
			double		p = kept_at(audit, c, k, n, vars, coefs);

			audit->pmax[c] = Max(audit->pmax[c], p);
			audit->pmin[c] = Min(audit->pmin[c], p);
		}
	}

	/* programs: each part's greatest, then least, until safe */
	for (int side = 0; side < 2; side++)
	{
		double		sign = side == 0 ? 1.0 : -1.0;

		for (int i = 0; i < nparts; i++)
		{
			int			c = audit->parts[i];
			Program    *program = audit->components[c].program;
			double		reached = side == 0 ? audit->pmax[c] : -audit->pmin[c];
			double		target;
			double		best;

			max = known;
			min = known;
			for (int j = 0; j < nparts; j++)
			{
				max += audit->pmax[audit->parts[j]];
				min += audit->pmin[audit->parts[j]];
			}
			width = width_of(0.0, min, max);
			if (!exact && width >= need)
				break;
			target = exact ? INFINITY : reached + (need - width) + EPS_BOUND;
			CHECK_FOR_INTERRUPTS();
			set_objective(audit, program, c, n, vars, coefs);
			if (!program_extreme(audit, program, sign, target, &best))
				continue;		/* unproven: the width stays what it is */
			best = Max(best, reached);
			if (side == 0)
				audit->pmax[c] = best;
			else
				audit->pmin[c] = -best;
		}
	}

	max = known;
	min = known;
	for (int j = 0; j < nparts; j++)
	{
		max += audit->pmax[audit->parts[j]];
		min += audit->pmin[audit->parts[j]];
	}
	b->upper = isinf(max) ? INFINITY : floor(max + EPS_BOUND);
	b->lower = isinf(min) ? -INFINITY : ceil(min - EPS_BOUND);
	if (nparts == 0)
		b->lower = b->upper = value;
	return nparts == 0 ? 0.0 : width_of(0.0, min, max);
}

/*
 * The range the bounds of propagation leave a form, into *min and *max
 * (moves from its true value): a reader narrows it at least that much.
 */
static void
outer_moves(const DcAudit *audit, int n, const int *vars, const int *coefs,
			double *min, double *max)
{
	*min = *max = 0.0;
	for (int i = 0; i < n; i++)
	{
		int			v = vars[i];
		double		below = (double) (audit->sys->truth[v] - audit->lo[v]);
		double		above = audit->hi[v] == NO_BOUND ? INFINITY :
			(double) (audit->hi[v] - audit->sys->truth[v]);

		if (coefs[i] > 0)
		{
			*min -= coefs[i] * below;
			*max += coefs[i] * above;
		}
		else
		{
			*min += coefs[i] * above;
			*max -= coefs[i] * below;
		}
	}
}

/* Whether a form reaches a component too large for the dense tableau */
static bool
large_component(const DcAudit *audit, int n, const int *vars)
{
	for (int i = 0; i < n; i++)
	{
		int			c = audit->component[vars[i]];

		if (c >= 0 && audit->components[c].nrows > LP_DENSE_ROWS)
			return true;
	}
	return false;
}

/*
 * Bound a form of sorted distinct unknowns (dc_audit_form); returns the
 * width proven.
 */
static double
bound_form(DcAudit *audit, int n, const int *vars, const int *coefs,
		   int64 value, int need, DcAuditMode mode, DcBounds *b)
{
	double		min;
	double		max;
	int			kmin = -1;
	int			kmax = -1;
	double		width;
	bool		exact = mode == DC_EXACT;

	audit_stats.forms++;
	if (!exact)
	{
		/* no wider than propagation leaves it: unsafe, no program needed */
		outer_moves(audit, n, vars, coefs, &min, &max);
		if (width_of(value, min, max) < need)
		{
			b->upper = isinf(max) ? INFINITY : floor(value + max + EPS_BOUND);
			b->lower = isinf(min) ? -INFINITY : ceil(value + min - EPS_BOUND);
			b->safe = need <= 0;
			return width_of(value, min, max);
		}
		/* wide enough between points already found: safe */
		pool_moves(audit, n, vars, coefs, &min, &max, &kmin, &kmax);
		width = width_of(value, min, max);
		if (width >= need)
		{
			/* the points that prove it are worth keeping */
			if (kmin >= 0)
				audit->pool->used[kmin] = true;
			if (kmax >= 0)
				audit->pool->used[kmax] = true;
		}
		if (width < need && large_component(audit, n, vars))
		{
			/* a program near the form, where the whole is costly */
			near_moves(audit, n, vars, coefs, value, need, &min, &max);
			width = width_of(value, min, max);
		}
		if (width >= need)
		{
			audit_stats.by_points++;
			b->upper = isinf(max) ? INFINITY : floor(value + max + EPS_BOUND);
			b->lower = isinf(min) ? -INFINITY : ceil(value + min - EPS_BOUND);
			b->safe = true;
			return width;
		}
		if (mode == DC_QUICK)
		{
			/* not shown safe quickly: to be taken as unsafe */
			b->upper = isinf(max) ? INFINITY : floor(value + max + EPS_BOUND);
			b->lower = isinf(min) ? -INFINITY : ceil(value + min - EPS_BOUND);
			b->safe = need <= 0;
			return width;
		}
	}
	audit_stats.by_component++;
	width = component_bounds(audit, n, vars, coefs, value, need, exact, b);
	b->safe = need <= 0 || width >= need;
	if (b->safe && !exact)
	{
		/* the kept points that went into the proof are worth keeping too */
		if (kmin >= 0)
			audit->pool->used[kmin] = true;
		if (kmax >= 0)
			audit->pool->used[kmax] = true;
	}
	return width;
}

static void
grow_form_slots(DcAudit *audit)
{
	int			nslots = Max(audit->nslots * 2, 256);
	CachedForm *slot = palloc0(nslots * sizeof(CachedForm));

	for (int i = 0; i < audit->nslots; i++)
	{
		uint32		k;

		if (audit->slot[i].hash == 0)
			continue;
		for (k = audit->slot[i].hash & (nslots - 1); slot[k].hash != 0; k = (k + 1) & (nslots - 1))
			;
		slot[k] = audit->slot[i];
	}
	if (audit->slot)
		pfree(audit->slot);
	audit->slot = slot;
	audit->nslots = nslots;
}

/*
 * Bound a form sum(coefs[i] x vars[i]) (coefs NULL: all 1), whose true value
 * is value, as a reader could: safe when the least and the greatest values
 * are at least need apart.  With exact, b gets the least and greatest
 * values (mode DC_EXACT); else the search stops as soon as the form is
 * shown safe (b then holds the values reached), and with DC_QUICK before
 * the costly programs.  A form met before (the same count in
 * several releases, a flow through unknowns that did not change...) is
 * answered from what was found then, when that answers it.
 */
void
dc_audit_form(DcAudit *audit, int n, const int *vars, const int *coefs,
			  int64 value, int need, DcAuditMode mode, DcBounds *b)
{
	MemoryContext old = MemoryContextSwitchTo(audit->cxt);
	int		   *v = palloc(Max(n, 1) * sizeof(int));
	int		   *c = palloc(Max(n, 1) * sizeof(int));
	int			k = dc_system_collect(n, vars, coefs, v, c);
	uint32		h;
	uint32		i;
	CachedForm *form;

	h = hash_bytes((const unsigned char *) v, k * sizeof(int));
	h = hash_combine(h, hash_bytes((const unsigned char *) c, k * sizeof(int)));
	if (h == 0)
		h = 1;
	if (audit->nforms * 2 >= audit->nslots)
		grow_form_slots(audit);
	for (i = h & (audit->nslots - 1); audit->slot[i].hash != 0; i = (i + 1) & (audit->nslots - 1))
	{
		form = &audit->slot[i];
		if (form->hash == h && form->n == k &&
			memcmp(form->vars, v, k * sizeof(int)) == 0 &&
			memcmp(form->coefs, c, k * sizeof(int)) == 0)
		{
			/*
			 * The same form, so the same true value: what was found answers
			 * if it was exact, or shown safe, or a search as thorough and for
			 * as wide that came short.
			 */
			if (form->mode == DC_EXACT || form->width >= need ||
				(mode != DC_EXACT && form->mode <= mode && form->need >= need))
			{
				*b = form->bounds;
				b->safe = need <= 0 || form->width >= need;
				pfree(v);
				pfree(c);
				MemoryContextSwitchTo(old);
				return;
			}
			break;
		}
	}
	if (audit->slot[i].hash == 0)
	{
		form = &audit->slot[i];
		form->hash = h;
		form->n = k;
		form->vars = v;
		form->coefs = c;
		audit->nforms++;
	}
	else
	{
		form = &audit->slot[i];
		pfree(v);
		pfree(c);
	}
	/* programs are built in the audit's memory, to last as long */
	form->width = bound_form(audit, form->n, form->vars, form->coefs, value,
							 need, mode, b);
	form->need = need;
	form->mode = mode;
	form->bounds = *b;
	MemoryContextSwitchTo(old);
}
