/*-------------------------------------------------------------------------
 *
 * audit_program_lp.c
 *	  The LP of a program (audit_programs.c): its columns and rows as the LP
 *	  facade (lp.h) takes them.  A neighbourhood's program is presolved
 *	  first: most of its rows hold one of its unknowns only (a total row of
 *	  which the neighbourhood has one term, a "never goes down" to an
 *	  unknown outside...) and are bounds on it, which a tableau need not
 *	  carry.  A whole component's program goes to the solver as it is.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "common/hashfn.h"
#include "miscadmin.h"

#include "audit.h"

#define EPS_FIXED	1e-9		/* bounds closer than this fix an unknown */

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
void
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
