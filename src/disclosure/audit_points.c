/*-------------------------------------------------------------------------
 *
 * audit_points.c
 *	  Points kept from audit to audit, as changes from the true values, and
 *	  how far they move a form: the true values and any two points whose
 *	  values of a form are need apart prove it safe (audit.c).
 *
 * Points come from the programs of audits (points_add) and from outside,
 * such as the points a release kept as its proof (dc_points_add).  None is
 * trusted: each is checked against the rows of an audit before it counts
 * there.  A pool holds at most max_points, the older half evicted when
 * full; their changes are indexed by unknown as they come (so that the
 * points moving a form are found from its unknowns), the whole index made
 * again only when points are evicted.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "miscadmin.h"
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
	pool->id = palloc0(pool->capacity * sizeof(int32));
	pool->moves = palloc0(pool->capacity * sizeof(double));
	pool->touched = palloc(pool->capacity * sizeof(int));
	pool->is_touched = palloc0(pool->capacity * sizeof(bool));
	pool->scratch = palloc0(Max(nvars, 1) * sizeof(double));
	pool->by_var_n = palloc0(Max(nvars, 1) * sizeof(int));
	pool->by_var_room = palloc0(Max(nvars, 1) * sizeof(int));
	pool->by_var_point = palloc0(Max(nvars, 1) * sizeof(int *));
	pool->by_var_change = palloc0(Max(nvars, 1) * sizeof(double *));
	return pool;
}

/* Index the changes of point k by unknown (in the pool's memory context) */
static void
index_point(DcPoints *pool, int k)
{
	for (int i = 0; i < pool->nchanges[k]; i++)
	{
		int			v = pool->change_var[k][i];
		int			j = pool->by_var_n[v]++;

		if (j == pool->by_var_room[v])
		{
			int			room = Max(2 * j, 8);

			if (j == 0)
			{
				pool->by_var_point[v] = palloc(room * sizeof(int));
				pool->by_var_change[v] = palloc(room * sizeof(double));
			}
			else
			{
				pool->by_var_point[v] = repalloc(pool->by_var_point[v], room * sizeof(int));
				pool->by_var_change[v] = repalloc(pool->by_var_change[v], room * sizeof(double));
			}
			pool->by_var_room[v] = room;
		}
		pool->by_var_point[v][j] = k;
		pool->by_var_change[v][j] = pool->change[k][i];
	}
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
		memmove(pool->id, pool->id + half, rest * sizeof(int32));
		pool->npoints = rest;
		/* the points left have new numbers: index them again */
		memset(pool->by_var_n, 0, Max(pool->nvars, 1) * sizeof(int));
		for (int k = 0; k < rest; k++)
			index_point(pool, k);
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
		pool->id = repalloc(pool->id, pool->capacity * sizeof(int32));
		pool->moves = repalloc(pool->moves, pool->capacity * sizeof(double));
		pool->touched = repalloc(pool->touched, pool->capacity * sizeof(int));
		pool->is_touched = repalloc(pool->is_touched, pool->capacity * sizeof(bool));
		memset(pool->moves + pool->npoints, 0,
			   (pool->capacity - pool->npoints) * sizeof(double));
		memset(pool->is_touched + pool->npoints, 0,
			   (pool->capacity - pool->npoints) * sizeof(bool));
	}
	return pool->npoints++;
}

/*
 * Add a point given by its changes from the true values (n unknowns and
 * their changes), to be checked against the rows of each audit it is used
 * in, like any other; id, if not 0, is the number it was stored under.
 */
void
dc_points_add(DcPoints *pool, int n, const int *vars, const double *changes,
			  int32 id)
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
	pool->id[k] = id;
	index_point(pool, k);
	MemoryContextSwitchTo(old);
}

/* The number point k was stored under, or 0 if it was found since */
int32
dc_points_id(const DcPoints *pool, int k)
{
	return pool->id[k];
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
	pool->id[k] = 0;
	index_point(pool, k);
	MemoryContextSwitchTo(old);
}

/*
 * Step 2 of the audit (audit.c): how far the kept points move a
 * form from its true value, into *min and *max (0 both for none), and which
 * points: *kmin, *kmax (-1: the true values).
 */
void
pool_moves(DcAudit *audit, int n, const int *vars, const int *coefs,
		   double *min, double *max, int *kmin, int *kmax)
{
	DcPoints   *pool = audit->pool;
	int			ntouched = 0;

	*min = *max = 0.0;
	*kmin = *kmax = -1;
	if (pool == NULL)
		return;

	/* the points that change an unknown of the form, and by how much */
	for (int i = 0; i < n; i++)
	{
		int			v = vars[i];

		for (int j = 0; j < pool->by_var_n[v]; j++)
		{
			int			k = pool->by_var_point[v][j];

			if (!pool->is_touched[k])
			{
				pool->is_touched[k] = true;
				pool->touched[ntouched++] = k;
			}
			pool->moves[k] += coefs[i] * pool->by_var_change[v][j];
		}
	}

	/*
	 * The points that move it most either way (the first of them, for
	 * ties), checked against this audit's rows only now (most points never
	 * are): one that does not keep them is passed over.
	 */
	for (int side = 0; side < 2; side++)
	{
		for (;;)
		{
			int			best = -1;
			double		best_move = 0.0;

			CHECK_FOR_INTERRUPTS();

			for (int t = 0; t < ntouched; t++)
			{
				int			k = pool->touched[t];
				double		m = side == 0 ? pool->moves[k] : -pool->moves[k];

				if ((pool->checked[k] && !pool->valid[k]) || m <= 0.0)
					continue;
				if (best < 0 || m > best_move || (m == best_move && k < best))
				{
					best = k;
					best_move = m;
				}
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
	for (int t = 0; t < ntouched; t++)
	{
		pool->moves[pool->touched[t]] = 0.0;
		pool->is_touched[pool->touched[t]] = false;
	}
}
