/*-------------------------------------------------------------------------
 *
 * lp_dense.h
 *	  The dense tableau, one of the two solvers of the LP facade (lp.c), and
 *	  private to it: nothing but lp.c includes this header (the layer check,
 *	  test/cases/layers.sh, says so).  A small dense simplex method:
 *	  maximize c·x subject to A x = b, x >= 0, many objectives over one
 *	  constraint set.
 *
 * Phase 1 finds a basic feasible solution once; each objective then starts
 * from the basis the previous one ended in.  The caller checks every answer
 * it relies on against its own copy of the constraints (lp_dense_solution,
 * lp_dense_ray): the tableau works in floating point.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ARRIMA_LP_DENSE_H
#define ARRIMA_LP_DENSE_H

typedef struct LpDense LpDense;

typedef enum LpDenseResult
{
	LP_DENSE_OPTIMAL,			/* the maximum is reached */
	LP_DENSE_TARGET,				/* stopped at a vertex as good as the target */
	LP_DENSE_UNBOUNDED,			/* a ray improves the objective for ever */
	LP_DENSE_STALLED				/* iteration limit: no answer */
} LpDenseResult;

extern LpDense *lp_dense_create(int nrows, int ncols);
extern void lp_dense_set(LpDense *s, int row, int col, double value);
extern void lp_dense_set_rhs(LpDense *s, int row, double value);
extern bool lp_dense_phase1(LpDense *s);
extern LpDenseResult lp_dense_maximize(LpDense *s, const double *c,
									  double target, double *value);
extern void lp_dense_solution(const LpDense *s, double *x);
extern void lp_dense_ray(const LpDense *s, double *d);
extern void lp_dense_free(LpDense *s);

#endif							/* ARRIMA_LP_DENSE_H */
