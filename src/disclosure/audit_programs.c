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

#include "common/hashfn.h"
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

/* The rows of an LP being made: each sum over its terms within a range */
typedef struct LpRows
{
	int			nrows;
	int			nterms;
	int		   *start;			/* nrows + 1, into: */
	int		   *col;
	double	   *coef;
	double	   *low;			/* -INFINITY: none */
	double	   *high;			/* INFINITY: none */
	/* rows by their terms, to merge those that have the same (or NULL) */
	int			nslots;
	int		   *slot;			/* row + 1, or 0 */
} LpRows;

static int
cmp_term_col(const void *a, const void *b)
{
	int			x = *(const int *) a;
	int			y = *(const int *) b;

	return (x > y) - (x < y);
}

/*
 * Add row i of the program to the LP (columns mapped, shifts taken out).
 * With merging, the terms are put in column order and signed so that the
 * first is positive, and a row with the same terms as one already there
 * only narrows its range: the rows of a neighbourhood repeat, from release
 * to release of a series, over the same few unknowns.
 */
static void
add_lp_row(const Program *program, LpRows *out, int i)
{
	double		low = program->prog_lower[i];
	double		high = program->prog_upper[i];
	int			first = out->nterms;
	int			n;
	uint32		h;

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
	n = out->nterms - first;
	if (out->slot != NULL && n > 0)
	{
		/* sort by column (the pairs together), then sign */
		int		   *pairs = palloc(2 * n * sizeof(int));

		for (int t = 0; t < n; t++)
		{
			pairs[2 * t] = out->col[first + t];
			pairs[2 * t + 1] = t;
		}
		qsort(pairs, n, 2 * sizeof(int), cmp_term_col);
		{
			double	   *coef = palloc(n * sizeof(double));

			for (int t = 0; t < n; t++)
				coef[t] = out->coef[first + pairs[2 * t + 1]];
			for (int t = 0; t < n; t++)
			{
				out->col[first + t] = pairs[2 * t];
				out->coef[first + t] = coef[t];
			}
			pfree(coef);
		}
		pfree(pairs);
		if (out->coef[first] < 0)
		{
			double		swap = low;

			for (int t = first; t < first + n; t++)
				out->coef[t] = -out->coef[t];
			low = -high;
			high = -swap;
		}
		h = hash_bytes((const unsigned char *) &out->col[first], n * sizeof(int));
		h = hash_combine(h, hash_bytes((const unsigned char *) &out->coef[first],
									   n * sizeof(double)));
		for (uint32 s = h % out->nslots;; s = (s + 1) % out->nslots)
		{
			int			r = out->slot[s] - 1;

			if (r < 0)
			{
				out->slot[s] = out->nrows + 1;
				break;
			}
			if (out->start[r + 1] - out->start[r] == n &&
				memcmp(&out->col[out->start[r]], &out->col[first], n * sizeof(int)) == 0 &&
				memcmp(&out->coef[out->start[r]], &out->coef[first], n * sizeof(double)) == 0)
			{
				/* the same terms: the narrower range */
				out->low[r] = Max(out->low[r], low);
				out->high[r] = Min(out->high[r], high);
				out->nterms = first;
				return;
			}
		}
	}
	if (isinf(low) && isinf(high))
	{
		out->nterms = first;	/* no bound either way: no row */
		return;
	}
	out->low[out->nrows] = low;
	out->high[out->nrows] = high;
	out->start[++out->nrows] = out->nterms;
}

/*
 * The LP's rows from its ranged rows: an equation where the range is a
 * point, else a row for each bound (-sum >= -high for the upper)
 */
static void
lp_rows_split(const LpRows *in, LpRows *out)
{
	out->nrows = 0;
	out->nterms = 0;
	out->start[0] = 0;
	for (int r = 0; r < in->nrows; r++)
	{
		int			n = in->start[r + 1] - in->start[r];

		for (int side = 0; side < 2; side++)
		{
			double		sign = side == 0 ? 1.0 : -1.0;
			double		bound = side == 0 ? in->low[r] : -in->high[r];

			if (isinf(bound) || (side == 1 && in->low[r] == in->high[r]))
				continue;
			for (int t = 0; t < n; t++)
			{
				out->col[out->nterms] = in->col[in->start[r] + t];
				out->coef[out->nterms++] = sign * in->coef[in->start[r] + t];
			}
			out->low[out->nrows] = bound;
			/* high: whether it is an equation */
			out->high[out->nrows] = in->low[r] == in->high[r] ? bound : INFINITY;
			out->start[++out->nrows] = out->nterms;
		}
	}
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
	LpRows		ranged;
	LpRows		out;
	bool	   *eq;
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

	/* the ranged rows (merged where the same), then the LP's */
	ranged.nrows = 0;
	ranged.nterms = 0;
	ranged.start = palloc((nlp_rows + 1) * sizeof(int));
	ranged.start[0] = 0;
	ranged.col = palloc(Max(nterms + nfree, 1) * sizeof(int));
	ranged.coef = palloc(Max(nterms + nfree, 1) * sizeof(double));
	ranged.low = palloc(Max(nlp_rows, 1) * sizeof(double));
	ranged.high = palloc(Max(nlp_rows, 1) * sizeof(double));
	ranged.nslots = kind == PROGRAM_WHOLE ? 0 : 2 * nlp_rows + 1;
	ranged.slot = kind == PROGRAM_WHOLE ? NULL : palloc0(ranged.nslots * sizeof(int));
	for (int i = 0; i < nlp_rows; i++)
	{
		int			k = -1 - lp_rows[i];

		if (lp_rows[i] >= 0)
		{
			add_lp_row(program, &ranged, lp_rows[i]);
			continue;
		}
		/* x_k <= hi - shift */
		ranged.col[ranged.nterms] = program->lp_col[k];
		ranged.coef[ranged.nterms++] = 1.0;
		ranged.low[ranged.nrows] = -INFINITY;
		ranged.high[ranged.nrows] = hi[k] - program->shift[k];
		ranged.start[++ranged.nrows] = ranged.nterms;
	}
	out.start = palloc((2 * ranged.nrows + 1) * sizeof(int));
	out.col = palloc(Max(2 * ranged.nterms, 1) * sizeof(int));
	out.coef = palloc(Max(2 * ranged.nterms, 1) * sizeof(double));
	out.low = palloc(Max(2 * ranged.nrows, 1) * sizeof(double));
	out.high = palloc(Max(2 * ranged.nrows, 1) * sizeof(double));
	lp_rows_split(&ranged, &out);
	eq = palloc(Max(out.nrows, 1) * sizeof(bool));
	for (int i = 0; i < out.nrows; i++)
		eq[i] = out.high[i] == out.low[i];

	col_upper = palloc(Max(program->nlp, 1) * sizeof(double));
	for (int k = 0; k < nfree; k++)
		if (program->lp_col[k] >= 0)
			col_upper[program->lp_col[k]] =
				Max(Min(hi[k], audit->cap) - program->shift[k], 0.0);
	program->lp = lp_create(program->nlp, col_upper, out.nrows, out.start, out.col,
							out.coef, out.low, eq, audit->sys->chained);
	program->lp_c = palloc0(Max(program->nlp, 1) * sizeof(double));
	program->lp_x = palloc0(Max(program->nlp, 1) * sizeof(double));
	pfree(lo);
	pfree(hi);
	pfree(lp_rows);
	pfree(ranged.start);
	pfree(ranged.col);
	pfree(ranged.coef);
	pfree(ranged.low);
	pfree(ranged.high);
	if (ranged.slot != NULL)
		pfree(ranged.slot);
	pfree(out.start);
	pfree(out.col);
	pfree(out.coef);
	pfree(out.low);
	pfree(out.high);
	pfree(eq);
	pfree(col_upper);
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
	if (lp_get_basis(program->lp, col, row))
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
			memset(pool->row_slot_status, LP_STATUS_NONE, pool->nrow_slots);
		}
		MemoryContextSwitchTo(old);
		for (int k = 0; k < program->nfree; k++)
			pool->var_status[program->vars[k]] = col[k];
		for (int i = 0; i < program->nrows; i++)
		{
			uint32		hash = audit->sys->row_hash[program->sys_rows[i]];
			int			s = row_slot(pool, hash);

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
	lp_set_basis(program->lp, col, row);
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
