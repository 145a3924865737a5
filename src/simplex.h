/*-------------------------------------------------------------------------
 *
 * simplex.h
 *	  A small dense simplex method for the disclosure audit: maximize c·x
 *	  subject to A x = b, x >= 0, many objectives over one constraint set.
 *
 * Phase 1 finds a basic feasible solution once; each objective then starts
 * from the basis the previous one ended in.  The caller checks every answer
 * it relies on against its own copy of the constraints (simplex_solution,
 * simplex_ray): the tableau works in floating point.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ARRIMA_SIMPLEX_H
#define ARRIMA_SIMPLEX_H

typedef struct Simplex Simplex;

typedef enum SimplexResult
{
	SIMPLEX_OPTIMAL,			/* the maximum is reached */
	SIMPLEX_TARGET,				/* stopped at a vertex as good as the target */
	SIMPLEX_UNBOUNDED,			/* a ray improves the objective for ever */
	SIMPLEX_STALLED				/* iteration limit: no answer */
} SimplexResult;

extern Simplex *simplex_create(int nrows, int ncols);
extern void simplex_set(Simplex *s, int row, int col, double value);
extern void simplex_set_rhs(Simplex *s, int row, double value);
extern bool simplex_phase1(Simplex *s);
extern SimplexResult simplex_maximize(Simplex *s, const double *c,
									  double target, double *value);
extern void simplex_solution(const Simplex *s, double *x);
extern void simplex_ray(const Simplex *s, double *d);
extern void simplex_free(Simplex *s);

#endif							/* ARRIMA_SIMPLEX_H */
