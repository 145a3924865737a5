/*-------------------------------------------------------------------------
 *
 * audit_programs.c
 *	  Linear programs over some of the free unknowns of an audit (audit.h,
 *	  ProgramKind): a whole component (exact bounds), or a neighbourhood of
 *	  a form, the unknowns outside at their true values (every point of it
 *	  is a point of the whole system: a proof).
 *
 * Soundness first: a form is called safe only on the strength of points
 * (and rays, for "no upper bound") checked against the rows themselves,
 * not taken from the solver.
 *
 * The LP of a program, presolved for a neighbourhood, is made in
 * audit_program_lp.c.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "common/hashfn.h"
#include "miscadmin.h"
#include "portability/instr_time.h"
#include "utils/memutils.h"

#include "audit.h"

#define MAX_POINTS	48			/* points kept per program */

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

/* The slot of a row's hash in the pool's basis memory */
static int
row_slot(const DcPoints *pool, uint32 hash)
{
	int			s = hash % pool->nrow_slots;

	while (pool->row_slot_status[s] != LP_STATUS_NONE && pool->row_slot_hash[s] != hash)
		s = (s + 1) % pool->nrow_slots;
	return s;
}

/*
 * Remember the basis a whole component's program is at, in the pool (by
 * unknown and by row), for the programs of later audits to start from: the
 * audits of a series differ by a few rows, and Clp's first basis from
 * nothing takes thousands of iterations.  A row's hash stands for it; two
 * rows that share one only make a worse start.
 */
static void
remember_basis(DcAudit *audit, const Program *program)
{
	DcPoints   *pool = audit->pool;
	unsigned char *col;
	unsigned char *row;

	if (pool == NULL || program->kind != PROGRAM_WHOLE)
		return;
	col = palloc(Max(program->nfree, 1));
	row = palloc(Max(program->nrows, 1));
	if (lp_get_basis(program->lp, program->nfree, program->nrows, col, row))
	{
		MemoryContext old = MemoryContextSwitchTo(GetMemoryChunkContext(pool));

		if (pool->var_status == NULL)
		{
			pool->var_status = palloc(Max(pool->nvars, 1));
			memset(pool->var_status, LP_STATUS_NONE, Max(pool->nvars, 1));
		}
		if (pool->nrow_slots < 2 * audit->sys->nrows)
		{
			/* room for every row of this system; what was kept goes */
			if (pool->row_slot_hash != NULL)
			{
				pfree(pool->row_slot_hash);
				pfree(pool->row_slot_status);
			}
			pool->nrow_slots = 4 * audit->sys->nrows + 1;
			pool->row_slot_hash = palloc(pool->nrow_slots * sizeof(uint32));
			pool->row_slot_status = palloc(pool->nrow_slots);
			pool->nrow_used = pool->nrow_slots;	/* emptied below */
		}
		if (2 * (pool->nrow_used + program->nrows) > pool->nrow_slots)
		{
			/*
			 * The rows of earlier systems have filled half the slots: forget
			 * them, so that a free slot always ends a search (row_slot)
			 */
			memset(pool->row_slot_status, LP_STATUS_NONE, pool->nrow_slots);
			pool->nrow_used = 0;
		}
		MemoryContextSwitchTo(old);
		for (int k = 0; k < program->nfree; k++)
			pool->var_status[program->vars[k]] = col[k];
		for (int i = 0; i < program->nrows; i++)
		{
			uint32		hash = audit->sys->row_hash[program->sys_rows[i]];
			int			s = row_slot(pool, hash);

			pool->nrow_used += pool->row_slot_status[s] == LP_STATUS_NONE;
			pool->row_slot_hash[s] = hash;
			pool->row_slot_status[s] = row[i];
		}
	}
	pfree(col);
	pfree(row);
}

/* Start a whole component's program from the basis the pool remembers */
static void
recall_basis(DcAudit *audit, Program *program)
{
	DcPoints   *pool = audit->pool;
	unsigned char *col;
	unsigned char *row;

	if (pool == NULL || pool->var_status == NULL || program->kind != PROGRAM_WHOLE)
		return;
	col = palloc(Max(program->nfree, 1));
	row = palloc(Max(program->nrows, 1));
	for (int k = 0; k < program->nfree; k++)
		col[k] = pool->var_status[program->vars[k]];
	for (int i = 0; i < program->nrows; i++)
	{
		uint32		hash = audit->sys->row_hash[program->sys_rows[i]];

		row[i] = pool->row_slot_status[row_slot(pool, hash)];
	}
	lp_set_basis(program->lp, program->nfree, program->nrows, col, row);
	pfree(col);
	pfree(row);
}

/*
 * The program over free unknowns vars[] (column k: vars[k]) and the rows
 * rows[] that hold them, of a kind (audit.h): every other unknown of a row
 * at its true value (an unknown known exactly has no other).  A first
 * vertex is found, and the true values are its first kept point.
 */
Program *
program_build(DcAudit *audit, int nfree, const int *vars, int nrows,
			  const int *rows, ProgramKind kind)
{
	const DcSystem *sys = audit->sys;
	Program    *program = palloc0(sizeof(Program));
	int			nnz = 0;
	int			n = 0;
	instr_time	start;
	instr_time	duration;

	program->nfree = nfree;
	program->kind = kind;
	program->vars = palloc(Max(nfree, 1) * sizeof(int));
	memcpy(program->vars, vars, nfree * sizeof(int));
	program->nrows = nrows;
	program->sys_rows = rows;
	for (int k = 0; k < nfree; k++)
		audit->column[vars[k]] = k;
	for (int i = 0; i < nrows; i++)
		nnz += sys->row_start[rows[i] + 1] - sys->row_start[rows[i]];
	program->prog_start = palloc((nrows + 1) * sizeof(int));
	program->prog_col = palloc(Max(nnz, 1) * sizeof(int));
	program->prog_coef = palloc(Max(nnz, 1) * sizeof(double));
	program->prog_lower = palloc(Max(nrows, 1) * sizeof(double));
	program->prog_upper = palloc(Max(nrows, 1) * sizeof(double));
	for (int i = 0; i < nrows; i++)
	{
		int			r = rows[i];
		double		rest = (double) sys->row_rhs[r];

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
		program->prog_lower[i] = rest;
		program->prog_upper[i] = sys->row_eq[r] ? rest : INFINITY;
	}
	program->prog_start[nrows] = n;
	for (int k = 0; k < nfree; k++)
		audit->column[vars[k]] = -1;

	INSTR_TIME_SET_CURRENT(start);
	program->lp_col = palloc(Max(nfree, 1) * sizeof(int));
	program->shift = palloc(Max(nfree, 1) * sizeof(double));
	program_lp(audit, program, kind);
	recall_basis(audit, program);
	program->usable = lp_feasible(program->lp);
	if (program->usable)
		remember_basis(audit, program);
	INSTR_TIME_SET_CURRENT(duration);
	INSTR_TIME_SUBTRACT(duration, start);
	audit_stats.phase1_ms += INSTR_TIME_GET_MILLISEC(duration);
	audit_stats.programs++;

	program->objective = palloc0(Max(nfree, 1) * sizeof(double));
	program->point = palloc(Max(nfree, 1) * sizeof(double));
	program->points = palloc((size_t) MAX_POINTS * Max(nfree, 1) * sizeof(double));
	for (int k = 0; k < nfree; k++)
		program->point[k] = (double) sys->truth[vars[k]];
	program_keep(program, program->point);
	return program;
}

/*
 * Check a point (ray: a direction, the rows' bounds taken as 0) against
 * every row of the program and x >= 0, each within a tolerance.  (The
 * bounds propagation found follow from the rows: a point that keeps the
 * rows is one a reader cannot rule out.)
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
		double		low = ray ? 0.0 : program->prog_lower[i];
		double		high = ray && !isinf(program->prog_upper[i]) ? 0.0 :
			program->prog_upper[i];
		double		tolerance;

		for (int k = program->prog_start[i]; k < program->prog_start[i + 1]; k++)
		{
			sum += program->prog_coef[k] * x[program->prog_col[k]];
			size += fabs(x[program->prog_col[k]]);
		}
		tolerance = 1e-9 * (size + fabs(low));
		if (sum < low - tolerance || (!isinf(high) && sum > high + tolerance))
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
 * Maximize sign x the objective (or until target), the LP's answer into
 * program->point (and, after LP_UNBOUNDED, the ray into ray[] if not NULL)
 */
static LpResult
program_solve(Program *program, double sign, double target, double *ray)
{
	LpResult	result;
	instr_time	start;
	instr_time	duration;
	double		offset = 0.0;	/* the objective at the shifts */

	CHECK_FOR_INTERRUPTS();
	memset(program->lp_c, 0, Max(program->nlp, 1) * sizeof(double));
	for (int c = 0; c < program->nfree; c++)
	{
		offset += sign * program->objective[c] * program->shift[c];
		if (program->lp_col[c] >= 0)
			program->lp_c[program->lp_col[c]] = sign * program->objective[c];
	}
	INSTR_TIME_SET_CURRENT(start);
	result = lp_maximize(program->lp, program->lp_c,
						 isinf(target) ? LP_INFINITY : target - offset, program->lp_x);
	INSTR_TIME_SET_CURRENT(duration);
	INSTR_TIME_SUBTRACT(duration, start);
	audit_stats.solve_ms += INSTR_TIME_GET_MILLISEC(duration);
	audit_stats.solves++;
	for (int c = 0; c < program->nfree; c++)
		program->point[c] = program->shift[c] +
			(program->lp_col[c] >= 0 ? program->lp_x[program->lp_col[c]] : 0.0);
	if (result == LP_UNBOUNDED && ray != NULL)
	{
		lp_ray(program->lp, program->lp_x);
		for (int c = 0; c < program->nfree; c++)
			ray[c] = program->lp_col[c] >= 0 ? program->lp_x[program->lp_col[c]] : 0.0;
	}
	return result;
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
	double	   *ray = palloc(Max(program->nfree, 1) * sizeof(double));

	if (!program->usable)
		return false;
	result = program_solve(program, sign, target, ray);
	if (result == LP_UNBOUNDED)
	{
		bool		proven = verify(program, ray, true) &&
			objective_at(program, ray, sign) > 1e-9;

		if (proven)
		{
			pfree(ray);
			*best = INFINITY;
			return true;
		}
		/* fall back on the vertex the ray starts from */
	}
	else if (result == LP_FAILED)
	{
		elog(DEBUG1, "disclosure audit: a program of %d unknowns, %d rows failed",
			 program->nfree, program->nrows);
		pfree(ray);
		return false;
	}
	pfree(ray);
	if (!verify(program, program->point, false))
	{
		elog(DEBUG1, "disclosure audit: a point of a program of %d unknowns, %d rows fails its rows",
			 program->nfree, program->nrows);
		return false;
	}
	program_keep(program, program->point);
	points_add(audit, program, program->point);
	remember_basis(audit, program);
	*best = objective_at(program, program->point, sign);
	if (*best > audit->cap / 2)
		*best = INFINITY;
	return true;
}
