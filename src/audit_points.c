/*-------------------------------------------------------------------------
 *
 * audit_points.c
 *	  Points kept from audit to audit, as changes from the true values, and
 *	  how far they move a form: the true values and any two points whose
 *	  values of a form are need apart prove it safe (disclosure_audit.c).
 *
 * Points come from the programs of audits (points_add) and from outside,
 * such as the points a release kept as its proof (dc_points_add).  None is
 * trusted: each is checked against the rows of an audit before it counts
 * there.  A pool holds at most max_points, the older half evicted when
 * full; their changes are indexed by unknown.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "utils/memutils.h"

#include "audit.h"

#define FIRST_CAPACITY	64		/* points room is first made for */

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

/*
 * Step 2 of the audit (disclosure_audit.c): how far the kept points move a
 * form from its true value, into *min and *max (0 both for none), and which
 * points: *kmin, *kmax (-1: the true values).
 */
void
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
