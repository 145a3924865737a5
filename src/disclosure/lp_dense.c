/*-------------------------------------------------------------------------
 *
 * lp_dense.c
 *	  The dense tableau of the LP facade (lp.c): a simplex method that
 *	  maximizes c·x subject to A x = b, x >= 0.
 *
 * The disclosure audit asks many questions of one set of constraints: how
 * large, and how small, can each withheld count be?  So phase 1 (the sum of
 * one artificial column per row is driven to zero) runs once, redundant rows
 * are dropped, and every objective then starts from the basis the previous
 * one ended in.
 *
 * Entering columns are chosen by Dantzig's rule (largest reduced cost)
 * until too many degenerate pivots in a row, then by Bland's rule (lowest
 * index), which cannot cycle; the leaving row is the lowest ratio, ties to
 * the lowest basic index.  Pivots touch only the non-zero entries of the
 * pivot row.  Arithmetic is in double: the caller verifies any point or ray
 * it relies on against the constraints it built.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "miscadmin.h"
#include "utils/memutils.h"

#include "lp_dense.h"

#define EPS_PIVOT	1e-9		/* smallest usable pivot element */
#define EPS_COST	1e-9		/* smallest reduced cost worth a pivot */
#define EPS_RATIO	1e-10		/* ratios closer than this are ties */
#define BLAND_AFTER 50			/* degenerate pivots before Bland's rule */

struct LpDense
{
	int			nrows;			/* rows left (redundant ones are dropped) */
	int			ncols;			/* structural columns */
	int			active;			/* columns that may enter: with artificials
								 * during phase 1, without after */
	int			width;			/* ncols + one artificial per row + rhs */
	double	   *tab;			/* nrows x width, row major */
	int		   *basis;			/* the basic column of each row */
	double	   *cost;			/* reduced costs of the current objective */
	int		   *nonzero;		/* scratch: non-zero columns of a pivot row */
	int			ray_column;		/* the entering column that had no limit */
};

#define T(s, i, j)	((s)->tab[(size_t) (i) * (s)->width + (j)])
#define RHS(s, i)	T(s, i, (s)->width - 1)

LpDense *
lp_dense_create(int nrows, int ncols)
{
	LpDense    *s = palloc0(sizeof(LpDense));
	double		cells = (double) nrows * (ncols + nrows + 1);

	if (cells * sizeof(double) > (double) (MaxAllocHugeSize / 2))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("linear program too large: %d constraints, %d unknowns",
						nrows, ncols)));
	s->nrows = nrows;
	s->ncols = ncols;
	s->active = ncols;
	s->width = ncols + nrows + 1;
	s->tab = palloc_extended((Size) cells * sizeof(double),
							 MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	s->basis = palloc0(Max(nrows, 1) * sizeof(int));
	s->cost = palloc0(s->width * sizeof(double));
	s->nonzero = palloc(s->width * sizeof(int));
	s->ray_column = -1;
	return s;
}

void
lp_dense_set(LpDense *s, int row, int col, double value)
{
	Assert(row >= 0 && row < s->nrows && col >= 0 && col < s->ncols);
	T(s, row, col) = value;
}

void
lp_dense_set_rhs(LpDense *s, int row, double value)
{
	Assert(row >= 0 && row < s->nrows);
	RHS(s, row) = value;
}

void
lp_dense_free(LpDense *s)
{
	pfree(s->tab);
	pfree(s->basis);
	pfree(s->cost);
	pfree(s->nonzero);
	pfree(s);
}

/*
 * Make column j basic in row r.  The reduced costs and the objective value
 * *z follow when cost is not NULL.
 */
static void
pivot(LpDense *s, int r, int j, double *cost, double *z)
{
	double		inv = 1.0 / T(s, r, j);
	int			rhs = s->width - 1;
	int			nnz = 0;

	/* scale the pivot row, and note its non-zero columns */
	for (int k = 0; k < s->active; k++)
	{
		if (T(s, r, k) != 0.0)
		{
			T(s, r, k) *= inv;
			s->nonzero[nnz++] = k;
		}
	}
	RHS(s, r) *= inv;
	T(s, r, j) = 1.0;
	s->nonzero[nnz++] = rhs;

	for (int i = 0; i < s->nrows; i++)
	{
		double		f = T(s, i, j);

		if (i == r || f == 0.0)
			continue;
		for (int n = 0; n < nnz; n++)
			T(s, i, s->nonzero[n]) -= f * T(s, r, s->nonzero[n]);
		T(s, i, j) = 0.0;
		/* a value pushed just below zero by rounding is zero */
		if (RHS(s, i) < 0.0 && RHS(s, i) > -EPS_PIVOT)
			RHS(s, i) = 0.0;
	}
	if (cost != NULL)
	{
		double		f = cost[j];

		for (int n = 0; n < nnz - 1; n++)
			cost[s->nonzero[n]] -= f * T(s, r, s->nonzero[n]);
		cost[j] = 0.0;
		*z += f * RHS(s, r);
	}
	s->basis[r] = j;
}

/*
 * Pivot until the reduced costs show an optimum, a column without limit
 * shows the objective unbounded, or the objective reaches target.
 */
static LpDenseResult
iterate(LpDense *s, double *cost, double *z, double target)
{
	int			degenerate = 0;
	long		limit = 50L * (s->nrows + s->active) + 1000;

	for (long iter = 0;; iter++)
	{
		bool		bland = degenerate > BLAND_AFTER;
		int			j = -1;
		int			r = -1;
		double		best = EPS_COST;
		double		ratio = 0.0;

		CHECK_FOR_INTERRUPTS();
		if (*z >= target)
			return LP_DENSE_TARGET;
		if (iter > limit)
			return LP_DENSE_STALLED;

		for (int k = 0; k < s->active; k++)
		{
			if (cost[k] > best)
			{
				j = k;
				if (bland)
					break;
				best = cost[k];
			}
		}
		if (j < 0)
			return LP_DENSE_OPTIMAL;

		for (int i = 0; i < s->nrows; i++)
		{
			double		a = T(s, i, j);
			double		q;

			if (a <= EPS_PIVOT)
				continue;
			q = RHS(s, i) / a;
			if (r < 0 || q < ratio - EPS_RATIO ||
				(q <= ratio + EPS_RATIO && s->basis[i] < s->basis[r]))
			{
				r = i;
				ratio = q;
			}
		}
		if (r < 0)
		{
			s->ray_column = j;
			return LP_DENSE_UNBOUNDED;
		}
		degenerate = ratio <= EPS_RATIO ? degenerate + 1 : 0;
		pivot(s, r, j, cost, z);
	}
}

/*
 * Phase 1: find a basic feasible solution.  False if there is none.  Rows
 * that are combinations of others are dropped.
 */
bool
lp_dense_phase1(LpDense *s)
{
	int			nart = s->nrows;
	double		z = 0.0;
	double		scale = 1.0;
	LpDenseResult result;

	for (int i = 0; i < s->nrows; i++)
	{
		if (RHS(s, i) < 0.0)
		{
			for (int k = 0; k < s->ncols; k++)
				T(s, i, k) = -T(s, i, k);
			RHS(s, i) = -RHS(s, i);
		}
		T(s, i, s->ncols + i) = 1.0;
		s->basis[i] = s->ncols + i;
		scale += RHS(s, i);
	}

	/* maximize minus the sum of the artificials */
	s->active = s->ncols + nart;
	memset(s->cost, 0, s->width * sizeof(double));
	for (int i = 0; i < s->nrows; i++)
	{
		for (int k = 0; k < s->ncols; k++)
			s->cost[k] += T(s, i, k);
		z -= RHS(s, i);
	}
	result = iterate(s, s->cost, &z, -EPS_PIVOT * scale);
	if (result == LP_DENSE_STALLED || z < -1e-7 * scale)
		return false;

	/* drive the artificials left in the basis (at zero) out, or drop rows */
	for (int i = 0; i < s->nrows; i++)
	{
		int			j = -1;
		double		best = EPS_PIVOT;

		if (s->basis[i] < s->ncols)
			continue;
		CHECK_FOR_INTERRUPTS();
		for (int k = 0; k < s->ncols; k++)
		{
			if (fabs(T(s, i, k)) > best)
			{
				best = fabs(T(s, i, k));
				j = k;
			}
		}
		if (j >= 0)
		{
			pivot(s, i, j, NULL, NULL);
			continue;
		}
		/* a redundant row: move the last row here */
		s->nrows--;
		if (i < s->nrows)
		{
			memcpy(&T(s, i, 0), &T(s, s->nrows, 0), s->width * sizeof(double));
			s->basis[i] = s->basis[s->nrows];
		}
		i--;
	}
	s->active = s->ncols;
	for (int i = 0; i < s->nrows; i++)
		if (RHS(s, i) < 0.0)
			RHS(s, i) = 0.0;
	return true;
}

/*
 * Maximize c·x (c has one entry per structural column) from the current
 * basis; stop early once the objective is at least target (pass INFINITY
 * for the maximum).  *value is the objective at the final vertex.
 */
LpDenseResult
lp_dense_maximize(LpDense *s, const double *c, double target, double *value)
{
	double		z = 0.0;
	LpDenseResult result;

	memcpy(s->cost, c, s->ncols * sizeof(double));
	for (int i = 0; i < s->nrows; i++)
	{
		double		cb = c[s->basis[i]];

		if (cb == 0.0)
			continue;
		for (int k = 0; k < s->ncols; k++)
			s->cost[k] -= cb * T(s, i, k);
		z += cb * RHS(s, i);
	}
	for (int i = 0; i < s->nrows; i++)
		s->cost[s->basis[i]] = 0.0;
	s->ray_column = -1;
	result = iterate(s, s->cost, &z, target);
	*value = z;
	return result;
}

/* The current vertex: x has one entry per structural column */
void
lp_dense_solution(const LpDense *s, double *x)
{
	memset(x, 0, s->ncols * sizeof(double));
	for (int i = 0; i < s->nrows; i++)
		x[s->basis[i]] = RHS(s, i);
}

/*
 * After LP_DENSE_UNBOUNDED: the direction d along which the objective grows
 * without limit (A d = 0, d >= 0).
 */
void
lp_dense_ray(const LpDense *s, double *d)
{
	Assert(s->ray_column >= 0);
	memset(d, 0, s->ncols * sizeof(double));
	d[s->ray_column] = 1.0;
	for (int i = 0; i < s->nrows; i++)
		d[s->basis[i]] = -T(s, i, s->ray_column);
}
