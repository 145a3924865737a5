/*-------------------------------------------------------------------------
 *
 * audit_programs.c
 *	  Linear programs over some of the free unknowns of an audit (audit.h,
 *	  ProgramKind): a whole component (exact bounds); a neighbourhood of a
 *	  form, the unknowns outside at their true values (every point of it is
 *	  a point of the whole system: a proof); or the same neighbourhood with
 *	  the unknowns outside anywhere within the bounds propagation found (a
 *	  relaxation: its greatest value is at least the whole system's).
 *
 * Soundness first: a form is called safe only on the strength of points
 * (and rays, for "no upper bound") checked against the rows themselves,
 * not taken from the solver.
 *
 * The programs of a neighbourhood are presolved: most of their rows hold
 * one of their unknowns only (a total row of which the neighbourhood has
 * one term, a "never goes down" to an unknown outside...) and are bounds
 * on it, which a tableau need not carry.  A whole component's program goes
 * to the solver as it is.
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
#define EPS_FIXED	1e-9		/* bounds closer than this fix an unknown */

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
 * Presolve (a neighbourhood's program): a row with one unknown not fixed
 * bounds it; bounds that meet fix it, which may leave other rows with one,
 * and so on.  Fills lp_col[] and shift[] (audit.h), and into lp_rows (room
 * for nrows + nfree) the rows the LP keeps, each an index into the
 * program's rows, or -1 - k for the upper bound of column k, given in
 * hi[] (lo[] and hi[]: each column's bounds, tightened here).  Returns how
 * many rows the LP keeps.  (A point the LP finds is checked against the
 * program's own rows all the same.)
 */
static int
presolve(Program *program, double *lo, double *hi, int *lp_rows)
{
	int			nfree = program->nfree;
	int			nrows = program->nrows;
	int		   *nleft = palloc(Max(nrows, 1) * sizeof(int));
	bool	   *fixed = palloc0(Max(nfree, 1) * sizeof(bool));
	int		   *col_start = palloc0((nfree + 1) * sizeof(int));
	int		   *col_row = palloc(Max(program->prog_start[nrows], 1) * sizeof(int));
	int		   *fill = palloc0(Max(nfree, 1) * sizeof(int));
	int		   *queue = palloc(Max(nrows, 1) * sizeof(int));
	bool	   *queued = palloc0(Max(nrows, 1) * sizeof(bool));
	int			head = 0;
	int			tail = 0;
	int			nkept = 0;

	for (int i = 0; i < nrows; i++)
	{
		nleft[i] = program->prog_start[i + 1] - program->prog_start[i];
		for (int t = program->prog_start[i]; t < program->prog_start[i + 1]; t++)
			col_start[program->prog_col[t] + 1]++;
		if (nleft[i] <= 1)
		{
			queue[tail++] = i;
			queued[i] = true;
		}
	}
	for (int k = 0; k < nfree; k++)
		col_start[k + 1] += col_start[k];
	for (int i = 0; i < nrows; i++)
		for (int t = program->prog_start[i]; t < program->prog_start[i + 1]; t++)
		{
			int			k = program->prog_col[t];

			col_row[col_start[k] + fill[k]++] = i;
		}

	while (head < tail)
	{
		int			i = queue[head++];
		double		low = program->prog_lower[i];
		double		high = program->prog_upper[i];
		int			j = -1;
		double		a = 0.0;

		for (int t = program->prog_start[i]; t < program->prog_start[i + 1]; t++)
		{
			int			k = program->prog_col[t];

			if (fixed[k])
			{
				low -= program->prog_coef[t] * lo[k];
				high -= program->prog_coef[t] * lo[k];
			}
			else
			{
				j = k;
				a = program->prog_coef[t];
			}
		}
		if (j < 0)
			continue;			/* it holds: the true values keep it */
		if (a > 0)
		{
			lo[j] = Max(lo[j], low / a);
			hi[j] = Min(hi[j], high / a);
		}
		else
		{
			lo[j] = Max(lo[j], high / a);
			hi[j] = Min(hi[j], low / a);
		}
		if (hi[j] > lo[j] + EPS_FIXED)
			continue;
		/* fixed: one term fewer in each of its rows */
		fixed[j] = true;
		hi[j] = lo[j];
		for (int r = col_start[j]; r < col_start[j + 1]; r++)
		{
			int			row = col_row[r];

			if (--nleft[row] <= 1 && !queued[row])
			{
				queue[tail++] = row;
				queued[row] = true;
			}
		}
	}

	/* the LP's columns, its rows, and the upper bounds left */
	program->nlp = 0;
	for (int k = 0; k < nfree; k++)
	{
		if (!fixed[k] && hi[k] <= lo[k] + EPS_FIXED)
			fixed[k] = true;
		program->shift[k] = lo[k];
		program->lp_col[k] = fixed[k] ? -1 : program->nlp++;
	}
	for (int i = 0; i < nrows; i++)
	{
		bool		any = false;

		if (queued[i])
			continue;
		for (int t = program->prog_start[i]; t < program->prog_start[i + 1] && !any; t++)
			any = !fixed[program->prog_col[t]];
		if (any)
			lp_rows[nkept++] = i;
	}
	for (int k = 0; k < nfree; k++)
		if (!fixed[k] && !isinf(hi[k]))
			lp_rows[nkept++] = -1 - k;
	pfree(nleft);
	pfree(fixed);
	pfree(col_start);
	pfree(col_row);
	pfree(fill);
	pfree(queue);
	pfree(queued);
	return nkept;
}

/* Room for n more rows of the LP, each of at most width terms */
typedef struct LpRows
{
	int			nrows;
	int			nterms;
	int		   *start;
	int		   *col;
	double	   *coef;
	double	   *rhs;
	bool	   *eq;
} LpRows;

/* Add to the LP row i of the program (columns mapped, shifts taken out) */
static void
add_lp_row(const Program *program, LpRows *out, int i)
{
	double		low = program->prog_lower[i];
	double		high = program->prog_upper[i];
	int			first = out->nterms;

	for (int t = program->prog_start[i]; t < program->prog_start[i + 1]; t++)
	{
		int			k = program->prog_col[t];

		low -= program->prog_coef[t] * program->shift[k];
		high -= program->prog_coef[t] * program->shift[k];
		if (program->lp_col[k] >= 0)
		{
			out->col[out->nterms] = program->lp_col[k];
			out->coef[out->nterms++] = program->prog_coef[t];
		}
	}
	if (program->prog_lower[i] == program->prog_upper[i])
	{
		/* an equation */
		out->start[out->nrows] = first;
		out->rhs[out->nrows] = low;
		out->eq[out->nrows++] = true;
		return;
	}
	if (!isinf(low))
	{
		out->start[out->nrows] = first;
		out->rhs[out->nrows] = low;
		out->eq[out->nrows++] = false;
	}
	if (!isinf(high))
	{
		/* -sum >= -high: the terms again, negated */
		int			n = out->nterms - first;

		if (!isinf(low))
		{
			memcpy(&out->col[out->nterms], &out->col[first], n * sizeof(int));
			memcpy(&out->coef[out->nterms], &out->coef[first], n * sizeof(double));
			first = out->nterms;
			out->nterms += n;
		}
		for (int t = first; t < first + n; t++)
			out->coef[t] = -out->coef[t];
		out->start[out->nrows] = first;
		out->rhs[out->nrows] = -high;
		out->eq[out->nrows++] = false;
	}
	else if (isinf(low))
		out->nterms = first;	/* no bound either way: no row */
}

/*
 * The LP of a program: a whole component's columns and rows as they are;
 * a neighbourhood's presolved.  Every column is at most the bound
 * propagation found and the audit's cap (for Clp: see lp.c).
 */
static void
program_lp(DcAudit *audit, Program *program, ProgramKind kind)
{
	int			nfree = program->nfree;
	int			nterms = program->prog_start[program->nrows];
	double	   *lo = palloc(Max(nfree, 1) * sizeof(double));
	double	   *hi = palloc(Max(nfree, 1) * sizeof(double));
	int		   *lp_rows = palloc((program->nrows + nfree + 1) * sizeof(int));
	int			nlp_rows;
	LpRows		out;
	double	   *col_upper;

	for (int k = 0; k < nfree; k++)
	{
		int			v = program->vars[k];

		lo[k] = (double) audit->lo[v];
		hi[k] = audit->hi[v] == NO_BOUND ? INFINITY : (double) audit->hi[v];
	}
	if (kind != PROGRAM_WHOLE)
		nlp_rows = presolve(program, lo, hi, lp_rows);
	else
	{
		for (int k = 0; k < nfree; k++)
		{
			program->lp_col[k] = k;
			program->shift[k] = 0.0;
		}
		program->nlp = nfree;
		for (int i = 0; i < program->nrows; i++)
			lp_rows[i] = i;
		nlp_rows = program->nrows;
	}

	/* a row may become two (a range), and each bound one */
	out.nrows = 0;
	out.nterms = 0;
	out.start = palloc((2 * nlp_rows + 1) * sizeof(int));
	out.col = palloc(Max(2 * nterms + nfree, 1) * sizeof(int));
	out.coef = palloc(Max(2 * nterms + nfree, 1) * sizeof(double));
	out.rhs = palloc(Max(2 * nlp_rows, 1) * sizeof(double));
	out.eq = palloc(Max(2 * nlp_rows, 1) * sizeof(bool));
	for (int i = 0; i < nlp_rows; i++)
	{
		int			k = -1 - lp_rows[i];

		if (lp_rows[i] >= 0)
		{
			add_lp_row(program, &out, lp_rows[i]);
			continue;
		}
		/* -x_k >= -(hi - shift) */
		out.start[out.nrows] = out.nterms;
		out.col[out.nterms] = program->lp_col[k];
		out.coef[out.nterms++] = -1.0;
		out.rhs[out.nrows] = -(hi[k] - program->shift[k]);
		out.eq[out.nrows++] = false;
	}
	out.start[out.nrows] = out.nterms;

	col_upper = palloc(Max(program->nlp, 1) * sizeof(double));
	for (int k = 0; k < nfree; k++)
		if (program->lp_col[k] >= 0)
			col_upper[program->lp_col[k]] =
				Max(Min(hi[k], audit->cap) - program->shift[k], 0.0);
	program->lp = lp_create(program->nlp, col_upper, out.nrows, out.start, out.col,
							out.coef, out.rhs, out.eq, audit->sys->chained);
	program->lp_c = palloc0(Max(program->nlp, 1) * sizeof(double));
	program->lp_x = palloc0(Max(program->nlp, 1) * sizeof(double));
	pfree(lo);
	pfree(hi);
	pfree(lp_rows);
	pfree(out.start);
	pfree(out.col);
	pfree(out.coef);
	pfree(out.rhs);
	pfree(out.eq);
	pfree(col_upper);
}

/*
 * The program over free unknowns vars[] (column k: vars[k]) and the rows
 * rows[] that hold them, of a kind (audit.h): every other unknown of a row
 * at its true value (an unknown known exactly has no other), or for a
 * relaxation anywhere within its bounds.  A first vertex is found, and the
 * true values are its first kept point.
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
		double		rest_min = (double) sys->row_rhs[r];	/* rhs - the most of
															 * the rest */
		double		rest_max = (double) sys->row_rhs[r];	/* rhs - the least */

		program->prog_start[i] = n;
		for (int t = sys->row_start[r]; t < sys->row_start[r + 1]; t++)
		{
			int			v = sys->term_var[t];
			double		a = sys->term_coef[t];

			if (audit->column[v] >= 0)
			{
				program->prog_col[n] = audit->column[v];
				program->prog_coef[n++] = a;
			}
			else if (kind != PROGRAM_RELAXED || audit->lo[v] == audit->hi[v])
			{
				rest_min -= a * sys->truth[v];
				rest_max -= a * sys->truth[v];
			}
			else
			{
				/* anywhere within its bounds */
				double		low = (double) audit->lo[v];
				double		high = audit->hi[v] == NO_BOUND ? INFINITY :
					(double) audit->hi[v];

				rest_min -= a > 0 ? a * high : a * low;
				rest_max -= a > 0 ? a * low : a * high;
			}
		}
		program->prog_lower[i] = rest_min;
		program->prog_upper[i] = sys->row_eq[r] ? rest_max : INFINITY;
	}
	program->prog_start[nrows] = n;
	for (int k = 0; k < nfree; k++)
		audit->column[vars[k]] = -1;

	INSTR_TIME_SET_CURRENT(start);
	program->lp_col = palloc(Max(nfree, 1) * sizeof(int));
	program->shift = palloc(Max(nfree, 1) * sizeof(double));
	program_lp(audit, program, kind);
	program->usable = lp_feasible(program->lp);
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
 * if nothing could be proven.  (Not for a relaxation: program_outer.)
 */
bool
program_extreme(DcAudit *audit, Program *program, double sign, double target,
				double *best)
{
	LpResult	result;
	double	   *ray = palloc(Max(program->nfree, 1) * sizeof(double));

	Assert(program->kind != PROGRAM_RELAXED);
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
	*best = objective_at(program, program->point, sign);
	if (*best > audit->cap / 2)
		*best = INFINITY;
	return true;
}

/*
 * A relaxation's greatest value of sign x its objective, at least the
 * whole system's (INFINITY: none found, or past half the audit's cap).
 * False if the solver gave no answer.
 */
bool
program_outer(DcAudit *audit, Program *program, double sign, double *bound)
{
	LpResult	result;

	Assert(program->kind == PROGRAM_RELAXED);
	if (!program->usable)
		return false;
	result = program_solve(program, sign, INFINITY, NULL);
	if (result == LP_FAILED || result == LP_TARGET)
		return false;
	*bound = result == LP_UNBOUNDED ? INFINITY : objective_at(program, program->point, sign);
	if (*bound > audit->cap / 2)
		*bound = INFINITY;
	return true;
}
