/*-------------------------------------------------------------------------
 *
 * audit_near.c
 *	  A form's neighbourhood (step 3 of audit.c), for forms of components
 *	  too large for the dense tableau, where a program over the whole
 *	  component is costly.
 *
 * The neighbourhood of a form: its free unknowns and those near them,
 * found breadth first through the rows, the rows with fewer unknowns not
 * known exactly first (a withheld count's row before a total's), and the
 * rows that hold any of them.  Over it, a program (audit_programs.c), the
 * unknowns outside held at their true values: every point of it is a
 * point of the whole system, so how far it moves a form is how far a
 * reader cannot rule out.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "miscadmin.h"
#include "portability/instr_time.h"
#include "utils/memutils.h"

#include "audit.h"

#define NEAR_UNKNOWNS	192		/* the unknowns of a neighbourhood */

/*
 * The neighbourhood of a form into near[] (room for nvars; returns how
 * many): its free unknowns, then those near them until NEAR_UNKNOWNS; and
 * into rows[] (room for nrows) every row that holds one of them, *nrows.
 */
static int
near_set(DcAudit *audit, int n, const int *vars, int *near, int *rows, int *nrows)
{
	const DcSystem *sys = audit->sys;
	int			nnear = 0;

	*nrows = 0;
	for (int i = 0; i < n; i++)
		if (audit->component[vars[i]] >= 0 && audit->column[vars[i]] < 0)
		{
			audit->column[vars[i]] = nnear;
			near[nnear++] = vars[i];
		}
	/* rows by their unknowns not known exactly: a few passes, fewest first */
	for (int size = 2; size <= 1 << 20 && nnear < NEAR_UNKNOWNS; size *= 4)
	{
		CHECK_FOR_INTERRUPTS();
		for (int head = 0; head < nnear && nnear < NEAR_UNKNOWNS; head++)
		{
			int			v = near[head];

			for (int j = audit->var_start[v]; j < audit->var_start[v + 1]; j++)
			{
				int			r = audit->var_row[j];

				if (audit->row_free[r] > size)
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
	/* the rows: every row that holds one of them */
	for (int k = 0; k < nnear; k++)
		for (int j = audit->var_start[near[k]]; j < audit->var_start[near[k] + 1]; j++)
		{
			int			r = audit->var_row[j];

			if (!audit->row_mark[r])
			{
				audit->row_mark[r] = true;
				rows[(*nrows)++] = r;
			}
		}
	for (int i = 0; i < *nrows; i++)
		audit->row_mark[rows[i]] = false;
	for (int k = 0; k < nnear; k++)
		audit->column[near[k]] = -1;
	return nnear;
}

/*
 * A program of a kind over the neighbourhood of a form, its objective the
 * form; *truth: the objective at the true values.
 */
static Program *
near_program(DcAudit *audit, int nnear, const int *near, int nrows,
			 const int *rows, ProgramKind kind, int n, const int *vars,
			 const int *coefs, double *truth)
{
	Program    *program = program_build(audit, nnear, near, nrows, rows, kind);

	*truth = 0.0;
	for (int k = 0; k < nnear; k++)
		audit->column[near[k]] = k;
	for (int i = 0; i < n; i++)
	{
		if (audit->column[vars[i]] < 0)
			continue;
		program->objective[audit->column[vars[i]]] += coefs[i];
		*truth += coefs[i] * (double) audit->sys->truth[vars[i]];
	}
	for (int k = 0; k < nnear; k++)
		audit->column[near[k]] = -1;
	return program;
}

/* A context for the programs of a neighbourhood, and the time they take */
static MemoryContext
near_begin(instr_time *start)
{
	INSTR_TIME_SET_CURRENT(*start);
	return AllocSetContextCreate(CurrentMemoryContext,
								 "disclosure audit: a neighbourhood",
								 ALLOCSET_DEFAULT_SIZES);
}

static void
near_end(MemoryContext cxt, instr_time start)
{
	instr_time	duration;

	MemoryContextDelete(cxt);
	INSTR_TIME_SET_CURRENT(duration);
	INSTR_TIME_SUBTRACT(duration, start);
	audit_stats.near++;
	audit_stats.near_ms += INSTR_TIME_GET_MILLISEC(duration);
}

/*
 * Step 3 of the audit (audit.c) for proving a form safe: how far a program
 * over its neighbourhood, the other unknowns at their true values, moves
 * the form, into *min and *max (which it only widens), until the width
 * reaches need.  Every point of it is a point of the whole system.
 */
void
near_moves(DcAudit *audit, int n, const int *vars, const int *coefs,
		   int64 value, int need, double *min, double *max)
{
	instr_time	start;
	MemoryContext cxt = near_begin(&start);
	MemoryContext old = MemoryContextSwitchTo(cxt);
	int		   *near = palloc(Max(audit->sys->nvars, 1) * sizeof(int));
	int		   *rows = palloc(Max(audit->sys->nrows, 1) * sizeof(int));
	int			nrows;
	int			nnear = near_set(audit, n, vars, near, rows, &nrows);
	double		truth;
	Program    *program = near_program(audit, nnear, near, nrows, rows, PROGRAM_NEAR,
									   n, vars, coefs, &truth);
	double		best;

	/* the most first (one point usually proves it), then the least */
	if (width_of(value, *min, *max) < need &&
		program_extreme(audit, program, 1.0, truth + *min + need + EPS_BOUND, &best))
		*max = Max(*max, best - truth);
	if (width_of(value, *min, *max) < need &&
		program_extreme(audit, program, -1.0, -(truth + *max - need) + EPS_BOUND, &best))
		*min = Min(*min, -best - truth);
	MemoryContextSwitchTo(old);
	near_end(cxt, start);
}
