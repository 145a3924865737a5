/*-------------------------------------------------------------------------
 *
 * lp.h
 *	  The lowest layer of disclosure control: the LP facade.  Linear
 *	  programs for the audit (audit.h): maximize c·x subject to
 *	  row_lower <= A x <= row_upper (each row an equation or a lower bound)
 *	  and x >= 0, many objectives over one set of constraints.
 *
 * Two solvers stand behind it, chosen per program (lp.c): the dense tableau
 * (lp_dense.c, private to this layer), whose many short solves cost next to
 * nothing on small programs, and COIN-OR Clp (Debian: coinor-libclp-dev), a
 * sparse revised simplex method, for large ones such as those of a series
 * of releases.  The setting arrima_stats.lp_solver forces one of them (for
 * tests: test/cases/lp_solvers.sh runs the audit's tests on each).  Either
 * way each objective starts from the basis the previous one ended in, and
 * arithmetic is in double: the caller checks every point or ray it relies
 * on against the constraints it built.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ARRIMA_LP_H
#define ARRIMA_LP_H

typedef struct Lp Lp;

typedef enum LpResult
{
	LP_OPTIMAL,					/* the maximum is reached */
	LP_TARGET,					/* stopped at a vertex as good as the target */
	LP_UNBOUNDED,				/* no maximum: lp_ray() gives the direction */
	LP_FAILED					/* no answer (iteration limit, numerics) */
} LpResult;

#define LP_INFINITY		1e30	/* a bound that is no bound */
#define LP_DENSE_ROWS	600		/* the most rows for the dense tableau */
#define LP_DENSE_EQ_ROWS 2000	/* ... or, if a third are equations */

/*
 * Whether a program of nrows rows, nineq of them inequalities, is small
 * enough for the dense tableau, which then solves it unless a solver is
 * forced (lp.c says why).  A program of a system the caller said is chained
 * (a series of releases) goes past LP_DENSE_ROWS to Clp, whatever its
 * equations.
 */
static inline bool
lp_is_small(int nrows, int nineq, bool chained)
{
	return nrows <= LP_DENSE_ROWS ||
		(!chained && nrows <= LP_DENSE_EQ_ROWS && 3 * nineq <= 2 * nrows);
}

/* Statuses of a basis (Clp's): lp_get_basis, lp_set_basis */
#define LP_STATUS_BASIC		1
#define LP_STATUS_AT_LOWER	3
#define LP_STATUS_NONE		0xFF	/* unknown: a slack basic, a column at 0 */

/* The values of arrima_stats.lp_solver */
typedef enum LpSolver
{
	LP_SOLVER_AUTO,				/* by size: lp_is_small() */
	LP_SOLVER_DENSE,			/* the dense tableau for every program */
	LP_SOLVER_CLP				/* Clp for every program */
} LpSolver;

extern void lp_define_settings(void);
extern Lp  *lp_create(int ncols, const double *col_upper, int nrows,
					  const int *row_start, const int *row_col,
					  const double *row_coef, const double *row_lower,
					  const bool *row_eq, bool chained);
extern bool lp_feasible(Lp *lp);
extern bool lp_get_basis(const Lp *lp, int ncols, int nrows, unsigned char *col,
						 unsigned char *row);
extern void lp_set_basis(Lp *lp, int ncols, int nrows, const unsigned char *col,
						 const unsigned char *row);
extern LpResult lp_maximize(Lp *lp, const double *c, double target, double *x);
extern void lp_ray(const Lp *lp, double *d);

#endif							/* ARRIMA_LP_H */
