/*-------------------------------------------------------------------------
 *
 * lp.c
 *	  The LP facade (lp.h): each program goes to the dense tableau
 *	  (lp_dense.c) when small, to COIN-OR Clp when large, or to the one
 *	  solver the setting arrima_stats.lp_solver forces.
 *
 * The dense tableau costs a pass over rows x columns per pivot, which is
 * little for the hundreds of rows of one release and everything for the
 * thousands of a year of releases; Clp's sparse factorization costs a
 * fixed half millisecond or so per solve, but grows slowly with the size.
 * A program of at most LP_DENSE_ROWS rows goes to the tableau; so does one
 * of at most LP_DENSE_EQ_ROWS of which at least a third are equations,
 * unless it is of a chained system (a series of releases).  That is the
 * measure of what was timed (lp_is_small): the components of one release
 * of 320 and 640 rounds (900 and 1,700 rows, half of them equations) took
 * the tableau 2.6 and 30 s, Clp 19 and 162 s; those of a series of 18
 * weekly releases (2,000 rows, 85 % inequalities, the releases' monotone
 * rows) took the tableau 45 s, Clp 2 s; and once a series shows more
 * (0.6.0: more equations, past a third of the rows), the twelfth weekly
 * release of the demo took 24 s with the tableau, 2 s with Clp.
 *
 * For Clp, every column gets an upper bound (col_upper, at most the cap
 * the caller chose), so that no program is unbounded: a vertex at the cap
 * tells the caller what a ray would.  Clp's model is allocated by Clp, not
 * by palloc: a reset callback of the memory context the program was made
 * in deletes it, so an error or a cancelled query frees it with the rest.
 *
 * Clp is C++: no error may be thrown through it, so a query cancel or a
 * statement timeout cannot be taken while it runs.  It runs in chunks of
 * iterations instead, LP_CLP_WORK / rows of them (an iteration costs about
 * as much as its rows: a chunk is a few tenths of a second), and between
 * chunks CHECK_FOR_INTERRUPTS() takes whatever interrupt came meanwhile;
 * if none, Clp goes on from the basis it stopped at.  (Its message
 * callback, the C interface's only hook, prints every message it passes
 * on: it would fill the server's log.)  The chunks are counted in
 * iterations, not seconds, so that what the audit finds does not depend
 * on how fast the machine is.
 *
 * arrima_stats.lp_solver (auto, dense or clp; superuser only) forces one
 * solver for every program, so that a test can run the audit on each and
 * tell which ran (a DEBUG2 message names the solver of each program).  The
 * audit's answers do not depend on it: every point and ray is checked.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include <coin/Clp_C_Interface.h>

#include "miscadmin.h"
#include "utils/guc.h"
#include "utils/memutils.h"

#include "lp.h"
#include "lp_dense.h"

#define LP_MAX_ITERATIONS	1000000
#define LP_FIRST_CHUNK		1000000	/* Clp iterations before a look at the
								 * target, doubling */
#define LP_CLP_WORK			10000000	/* rows x iterations of Clp between
										 * looks at interrupts ... */
#define LP_CLP_MIN_CHUNK	200		/* ... but at least these iterations */

/* arrima_stats.lp_solver */
static int	lp_solver = LP_SOLVER_AUTO;

static const struct config_enum_entry lp_solver_options[] = {
	{"auto", LP_SOLVER_AUTO, false},
	{"dense", LP_SOLVER_DENSE, false},
	{"clp", LP_SOLVER_CLP, false},
	{NULL, 0, false}
};

struct Lp
{
	int			ncols;			/* the caller's columns */
	/* the dense tableau: the caller's columns, then one slack per inequality */
	LpDense    *dense;
	int			width;
	double	   *c;				/* width */
	double	   *x;				/* width */
	/* or Clp */
	Clp_Simplex *model;
	MemoryContextCallback free_model;
	int			chunk;			/* iterations between looks at interrupts */
};

/* Define arrima_stats.lp_solver (from _PG_init) */
void
lp_define_settings(void)
{
	DefineCustomEnumVariable("arrima_stats.lp_solver",
							 "Which solver the disclosure audit's linear programs go to.",
							 "auto: the dense tableau for small programs, Clp for large ones; "
							 "dense or clp: that one for every program (for tests).",
							 &lp_solver,
							 LP_SOLVER_AUTO,
							 lp_solver_options,
							 PGC_SUSET,
							 0,
							 NULL, NULL, NULL);
#if PG_VERSION_NUM >= 150000
	MarkGUCPrefixReserved("arrima_stats");
#else
	EmitWarningsOnPlaceholders("arrima_stats");
#endif
}

static void
free_model(void *arg)
{
	Lp		   *lp = arg;

	if (lp->model != NULL)
		Clp_deleteModel(lp->model);
	lp->model = NULL;
}

/*
 * A program over ncols columns (x >= 0; for Clp also x <= col_upper), and
 * nrows rows given row by row (row_start[nrows + 1], then the column and
 * coefficient of each entry): an equation (row_eq) or sum >= row_lower.
 */
Lp *
lp_create(int ncols, const double *col_upper, int nrows, const int *row_start,
		  const int *row_col, const double *row_coef, const double *row_lower,
		  const bool *row_eq, bool chained)
{
	Lp		   *lp = palloc0(sizeof(Lp));
	int			nslack = 0;
	bool		dense;

	for (int r = 0; r < nrows; r++)
		nslack += !row_eq[r];
	lp->ncols = ncols;
	dense = lp_solver == LP_SOLVER_AUTO ? lp_is_small(nrows, nslack, chained) :
		lp_solver == LP_SOLVER_DENSE;
	elog(DEBUG2, "disclosure audit: a program of %d unknowns, %d rows (%d inequalities) goes to %s",
		 ncols, nrows, nslack, dense ? "the dense tableau" : "Clp");
	if (dense)
	{
		lp->width = ncols + nslack;
		lp->dense = lp_dense_create(nrows, lp->width);
		nslack = 0;
		for (int r = 0; r < nrows; r++)
		{
			for (int k = row_start[r]; k < row_start[r + 1]; k++)
				lp_dense_set(lp->dense, r, row_col[k], row_coef[k]);
			/* sum - slack = lower, slack >= 0 */
			if (!row_eq[r])
				lp_dense_set(lp->dense, r, ncols + nslack++, -1.0);
			lp_dense_set_rhs(lp->dense, r, row_lower[r]);
		}
		lp->c = palloc0(Max(lp->width, 1) * sizeof(double));
		lp->x = palloc(Max(lp->width, 1) * sizeof(double));
	}
	else
	{
		CoinBigIndex *empty = palloc0((ncols + 1) * sizeof(CoinBigIndex));
		CoinBigIndex *starts = palloc((nrows + 1) * sizeof(CoinBigIndex));
		double	   *row_upper = palloc(nrows * sizeof(double));

		lp->chunk = Max(LP_CLP_MIN_CHUNK, LP_CLP_WORK / Max(nrows, 1));
		lp->model = Clp_newModel();
		lp->free_model.func = free_model;
		lp->free_model.arg = lp;
		MemoryContextRegisterResetCallback(CurrentMemoryContext, &lp->free_model);
		Clp_setLogLevel(lp->model, 0);
		Clp_setPrimalTolerance(lp->model, 1e-9);
		/* no perturbation: a vertex stopped at early must be the program's */
		Clp_setPerturbation(lp->model, 102);
		/* unscaled: the tolerances hold for the rows as the caller checks them */
		Clp_scaling(lp->model, 0);
		Clp_loadProblem(lp->model, ncols, 0, empty, NULL, NULL,
						NULL, col_upper, NULL, NULL, NULL);
		for (int r = 0; r < nrows; r++)
		{
			starts[r] = row_start[r];
			row_upper[r] = row_eq[r] ? row_lower[r] : LP_INFINITY;
		}
		starts[nrows] = row_start[nrows];
		Clp_addRows(lp->model, nrows, row_lower, row_upper, starts, row_col, row_coef);
		pfree(empty);
		pfree(starts);
		pfree(row_upper);
	}
	return lp;
}

/*
 * Run Clp's primal (or dual) simplex method from its current basis, for at
 * most max_iterations, in chunks with a look at interrupts between them.
 * Clp_status() then says how it ended (3: on the iteration limit).
 */
static void
clp_run(Lp *lp, bool primal, int max_iterations)
{
	int			done = 0;

	for (;;)
	{
		int			iterations;

		Clp_setMaximumIterations(lp->model, Min(lp->chunk, max_iterations - done));
		if (primal)
			Clp_primal(lp->model, 0);
		else
			Clp_dual(lp->model, 0);
		iterations = Clp_numberIterations(lp->model);
		done += iterations;
		/* out of Clp: an error may be thrown now */
		CHECK_FOR_INTERRUPTS();
		if (Clp_status(lp->model) != 3 || done >= max_iterations || iterations == 0)
			return;
	}
}

/* Find a first feasible basis; false if there is none */
bool
lp_feasible(Lp *lp)
{
	if (lp->dense != NULL)
		return lp_dense_phase1(lp->dense);
	Clp_setOptimizationDirection(lp->model, 1.0);
	clp_run(lp, false, LP_MAX_ITERATIONS);
	return Clp_status(lp->model) == 0;
}

/*
 * The basis Clp is at: the status of each of its ncols columns and nrows
 * rows (the sizes of col[] and row[]), to start a similar program from
 * (lp_set_basis).  False for the dense tableau, which has none to give, and
 * for a program of other sizes.
 */
bool
lp_get_basis(const Lp *lp, int ncols, int nrows, unsigned char *col, unsigned char *row)
{
	const unsigned char *status;

	if (lp->model == NULL || ncols != lp->ncols || nrows != Clp_numberRows(lp->model))
		return false;
	status = Clp_statusArray(lp->model);
	memcpy(col, status, lp->ncols);
	memcpy(row, status + lp->ncols, Clp_numberRows(lp->model));
	return true;
}

/*
 * Start Clp's first feasible basis (lp_feasible) from statuses got from a
 * similar program (LP_STATUS_NONE: a slack basic, a column at its lower
 * bound), one per column and row (ncols, nrows: the sizes of col[] and
 * row[]): the dual simplex method then has little to do where the first
 * would have thousands of iterations.  Clp mends a basis that is not one.
 * Nothing for the dense tableau, nor for a program of other sizes.
 */
void
lp_set_basis(Lp *lp, int ncols, int nrows, const unsigned char *col,
			 const unsigned char *row)
{
	unsigned char *status;

	if (lp->model == NULL || ncols != lp->ncols || nrows != Clp_numberRows(lp->model))
		return;
	status = palloc(lp->ncols + nrows);
	for (int k = 0; k < lp->ncols; k++)
		status[k] = col[k] == LP_STATUS_NONE ? LP_STATUS_AT_LOWER : col[k];
	for (int r = 0; r < nrows; r++)
		status[lp->ncols + r] = row[r] == LP_STATUS_NONE ? LP_STATUS_BASIC : row[r];
	Clp_copyinStatus(lp->model, status);
	pfree(status);
}

/* Maximize with Clp; see lp_maximize */
static LpResult
clp_maximize(Lp *lp, const double *c, double target, double *x)
{
	int			chunk = LP_FIRST_CHUNK;
	int			done = 0;

	Clp_chgObjCoefficients(lp->model, c);
	Clp_setOptimizationDirection(lp->model, -1.0);
	for (;;)
	{
		int			status;
		double		z = 0.0;

		clp_run(lp, true, target >= LP_INFINITY ? LP_MAX_ITERATIONS : chunk);
		status = Clp_status(lp->model);
		memcpy(x, Clp_getColSolution(lp->model), lp->ncols * sizeof(double));
		if (status == 0)
			return LP_OPTIMAL;
		if (status != 3 || target >= LP_INFINITY)
			return LP_FAILED;
		/* stopped on the iteration limit: far enough already? */
		for (int k = 0; k < lp->ncols; k++)
			z += c[k] * x[k];
		if (z >= target)
			return LP_TARGET;
		done += chunk;
		if (done >= LP_MAX_ITERATIONS)
			return LP_FAILED;
		chunk *= 2;
	}
}

/*
 * Maximize c·x from the current basis, or stop at a vertex where c·x is at
 * least target (LP_INFINITY: the maximum).  x gets the final vertex (ncols
 * values); after LP_UNBOUNDED, the vertex the ray starts from.
 */
LpResult
lp_maximize(Lp *lp, const double *c, double target, double *x)
{
	double		z;

	if (lp->model != NULL)
		return clp_maximize(lp, c, target, x);
	memcpy(lp->c, c, lp->ncols * sizeof(double));
	switch (lp_dense_maximize(lp->dense, lp->c,
							 target >= LP_INFINITY ? INFINITY : target, &z))
	{
		case LP_DENSE_OPTIMAL:
			lp_dense_solution(lp->dense, lp->x);
			memcpy(x, lp->x, lp->ncols * sizeof(double));
			return LP_OPTIMAL;
		case LP_DENSE_TARGET:
			lp_dense_solution(lp->dense, lp->x);
			memcpy(x, lp->x, lp->ncols * sizeof(double));
			return LP_TARGET;
		case LP_DENSE_UNBOUNDED:
			lp_dense_solution(lp->dense, lp->x);
			memcpy(x, lp->x, lp->ncols * sizeof(double));
			return LP_UNBOUNDED;
		case LP_DENSE_STALLED:
			break;
	}
	return LP_FAILED;
}

/*
 * After LP_UNBOUNDED: the direction d (ncols values) along which the
 * objective grows without limit.
 */
void
lp_ray(const Lp *lp, double *d)
{
	Assert(lp->dense != NULL);
	lp_dense_ray(lp->dense, lp->x);
	memcpy(d, lp->x, lp->ncols * sizeof(double));
}
