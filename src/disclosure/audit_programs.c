/*-------------------------------------------------------------------------
 *
 * audit_programs.c
 *	  Linear programs over some of the free unknowns of an audit: a whole
 *	  component (exact bounds), or a neighbourhood of a form (a quick proof
 *	  that it is safe: every point of such a program, the unknowns outside
 *	  at their true values, is a point of the whole system).
 *
 * Soundness first: a form is called safe only on the strength of points
 * (and rays, for "no upper bound") checked against the rows themselves,
 * not taken from the solver.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "miscadmin.h"
#include "portability/instr_time.h"
#include "utils/memutils.h"

#include "audit.h"

#define MAX_POINTS	48			/* points kept per program */
#define NEAR_UNKNOWNS	48		/* the unknowns of a neighbourhood */

DcAuditStats audit_stats;

/* Keep a point (its nfree values) among the program's points */
void
program_keep(Program *program, const double *x)
{
	int			k;

	if (program->npoints < MAX_POINTS)
		k = program->npoints++;
	else
	{
		/* the truth, point 0, stays */
		k = 1 + program->next_point;
		program->next_point = (program->next_point + 1) % (MAX_POINTS - 1);
	}
	memcpy(&program->points[(size_t) k * program->nfree], x,
		   program->nfree * sizeof(double));
}

/*
 * The program over free unknowns vars[] (column k: vars[k]) and the rows
 * rows[] that hold them, each at most the bound propagation found and the
 * audit's cap; every other unknown of a row at its true value (an unknown known
 * exactly has no other).  A first vertex is found, and the true values are
 * its first kept point.
 */
Program *
program_build(DcAudit *audit, int nfree, const int *vars, int nrows,
			  const int *rows)
{
	const DcSystem *sys = audit->sys;
	Program    *program = palloc0(sizeof(Program));
	int			nnz = 0;
	int			n = 0;
	double	   *col_upper = palloc(Max(nfree, 1) * sizeof(double));
	instr_time	start;
	instr_time	duration;

	program->nfree = nfree;
	program->vars = palloc(Max(nfree, 1) * sizeof(int));
	memcpy(program->vars, vars, nfree * sizeof(int));
	program->nrows = nrows;
	for (int k = 0; k < nfree; k++)
	{
		int			v = vars[k];

		audit->column[v] = k;
		col_upper[k] = audit->hi[v] == NO_BOUND ? audit->cap : Min((double) audit->hi[v], audit->cap);
	}
	for (int i = 0; i < nrows; i++)
		nnz += sys->row_start[rows[i] + 1] - sys->row_start[rows[i]];
	program->prog_start = palloc((nrows + 1) * sizeof(int));
	program->prog_col = palloc(Max(nnz, 1) * sizeof(int));
	program->prog_coef = palloc(Max(nnz, 1) * sizeof(double));
	program->prog_rhs = palloc(Max(nrows, 1) * sizeof(double));
	program->prog_eq = palloc(Max(nrows, 1) * sizeof(bool));
	for (int i = 0; i < nrows; i++)
	{
		int			r = rows[i];
		int64		rest = sys->row_rhs[r];

		program->prog_start[i] = n;
		for (int t = sys->row_start[r]; t < sys->row_start[r + 1]; t++)
		{
			int			v = sys->term_var[t];

			if (audit->column[v] < 0)
				rest -= sys->term_coef[t] * sys->truth[v];
			else
			{
				program->prog_col[n] = audit->column[v];
				program->prog_coef[n++] = sys->term_coef[t];
			}
		}
		program->prog_rhs[i] = (double) rest;
		program->prog_eq[i] = sys->row_eq[r];
	}
	program->prog_start[nrows] = n;
	for (int k = 0; k < nfree; k++)
		audit->column[vars[k]] = -1;

	INSTR_TIME_SET_CURRENT(start);
	program->lp = lp_create(nfree, col_upper, nrows, program->prog_start,
							program->prog_col, program->prog_coef,
							program->prog_rhs, program->prog_eq, sys->chained);
	program->usable = lp_feasible(program->lp);
	INSTR_TIME_SET_CURRENT(duration);
	INSTR_TIME_SUBTRACT(duration, start);
	audit_stats.phase1_ms += INSTR_TIME_GET_MILLISEC(duration);
	audit_stats.programs++;
	pfree(col_upper);

	program->objective = palloc0(Max(nfree, 1) * sizeof(double));
	program->point = palloc(Max(nfree, 1) * sizeof(double));
	program->points = palloc((size_t) MAX_POINTS * Max(nfree, 1) * sizeof(double));
	for (int k = 0; k < nfree; k++)
		program->point[k] = (double) sys->truth[vars[k]];
	program_keep(program, program->point);
	return program;
}

/*
 * Check a point (ray: a direction, the rows' right-hand sides taken as 0)
 * against every row of the program and x >= 0, each within a tolerance.
 * (The bounds propagation found follow from the rows: a point that keeps
 * the rows is one a reader cannot rule out.)
 */
static bool
verify(const Program *program, const double *x, bool ray)
{
	for (int c = 0; c < program->nfree; c++)
		if (x[c] < -1e-9)
			return false;
	for (int i = 0; i < program->nrows; i++)
	{
		double		sum = 0.0;
		double		size = 1.0;
		double		rhs = ray ? 0.0 : program->prog_rhs[i];
		double		tolerance;

		for (int k = program->prog_start[i]; k < program->prog_start[i + 1]; k++)
		{
			sum += program->prog_coef[k] * x[program->prog_col[k]];
			size += fabs(x[program->prog_col[k]]);
		}
		tolerance = 1e-9 * (size + fabs(rhs));
		if (program->prog_eq[i] ? fabs(sum - rhs) > tolerance : sum < rhs - tolerance)
			return false;
	}
	return true;
}

static double
objective_at(const Program *program, const double *x, double sign)
{
	double		sum = 0.0;

	for (int c = 0; c < program->nfree; c++)
		sum += sign * program->objective[c] * x[c];
	return sum;
}

/*
 * The greatest value of sign x the program's objective, or as much of it
 * as reaching target takes, proven by a checked point, which is kept (and
 * offered to the audit's points); INFINITY when a checked ray shows there
 * is no greatest, or the point passes half the audit's cap.  False
 * if nothing could be proven.
 */
bool
program_extreme(DcAudit *audit, Program *program, double sign, double target,
				double *best)
{
	LpResult	result;
	instr_time	start;
	instr_time	duration;

	if (!program->usable)
		return false;
	for (int c = 0; c < program->nfree; c++)
		program->objective[c] *= sign;
	INSTR_TIME_SET_CURRENT(start);
	result = lp_maximize(program->lp, program->objective,
						 isinf(target) ? LP_INFINITY : target, program->point);
	INSTR_TIME_SET_CURRENT(duration);
	INSTR_TIME_SUBTRACT(duration, start);
	audit_stats.solve_ms += INSTR_TIME_GET_MILLISEC(duration);
	audit_stats.solves++;
	for (int c = 0; c < program->nfree; c++)
		program->objective[c] *= sign;

	if (result == LP_UNBOUNDED)
	{
		double	   *ray = palloc(program->nfree * sizeof(double));
		bool		proven;

		lp_ray(program->lp, ray);
		proven = verify(program, ray, true) && objective_at(program, ray, sign) > 1e-9;
		pfree(ray);
		if (proven)
		{
			*best = INFINITY;
			return true;
		}
		/* fall back on the vertex the ray starts from */
	}
	else if (result == LP_FAILED)
	{
		elog(DEBUG1, "disclosure audit: a program of %d unknowns, %d rows failed",
			 program->nfree, program->nrows);
		return false;
	}
	if (!verify(program, program->point, false))
	{
		elog(DEBUG1, "disclosure audit: a point of a program of %d unknowns, %d rows fails its rows",
			 program->nfree, program->nrows);
		return false;
	}
	program_keep(program, program->point);
	points_add(audit, program, program->point);
	*best = objective_at(program, program->point, sign);
	if (*best > audit->cap / 2)
		*best = INFINITY;
	return true;
}

/*
 * Step 3 of the audit (audit.c), for forms of large components:
 * a program over the form's free unknowns and those near them (at most
 * NEAR_UNKNOWNS, but all the form's), found breadth first through the rows,
 * the rows with fewer unknowns first; how far it moves the form, into *min
 * and *max (which it only widens), until the width reaches need.  Every
 * point of it, the other unknowns at their true values, is a point of the
 * whole system.
 */
void
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
		CHECK_FOR_INTERRUPTS();
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
