/*-------------------------------------------------------------------------
 *
 * audit.h
 *	  The second layer of disclosure control: the audit engine.  How far a
 *	  reader can narrow a linear form of non-negative integer unknowns
 *	  (a withheld count, the change of a count between two releases), given
 *	  a system of rows the reader knows: its least and greatest values, or
 *	  whether they are at least some width apart.
 *
 * It knows nothing of tables, releases or policies: the layers above
 * (model.h, series.h, items.h) build the system and the forms.  Its files:
 * audit_system.c (the rows a reader knows), audit.c (bounding a form: kept
 * points, local programs, then exact ones), audit_propagate.c (bounds and
 * independent components), audit_points.c (points kept from audit to
 * audit) and audit_programs.c (linear programs over some of the unknowns,
 * through the LP facade, lp.h).  The first part of this header is what the
 * layers above use; the second, the engine's insides, is for its files.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ARRIMA_AUDIT_H
#define ARRIMA_AUDIT_H

#include <math.h>

#include "lp.h"

/* ----------------------------------------------------------------------
 * What the layers above use
 * ----------------------------------------------------------------------
 */

/* audit_system.c: what a reader knows */
typedef struct DcSystem DcSystem;

extern DcSystem *dc_system_create(int nvars, const int64 *truth);
extern void dc_system_add_row(DcSystem *sys, bool eq, int n, const int *vars,
							  const int *coefs, int64 rhs);
extern int	dc_system_collect(int n, const int *vars, const int *coefs,
							  int *out_vars, int *out_coefs);
extern DcSystem *dc_system_copy(const DcSystem *from);
extern void dc_system_set_chained(DcSystem *sys, bool chained);

/* audit_points.c: points kept from audit to audit */
typedef struct DcPoints DcPoints;

extern DcPoints *dc_points_create(int nvars, int max_points);
extern void dc_points_add(DcPoints *pool, int n, const int *vars,
						  const double *changes, int32 id);
extern int32 dc_points_id(const DcPoints *pool, int k);
extern int	dc_points_count(const DcPoints *pool);
extern int	dc_points_used(const DcPoints *pool, int k, const int **vars,
						   const double **changes);

/* audit.c: how far a reader narrows a form */
typedef struct DcAudit DcAudit;

typedef struct DcBounds
{
	double		lower;			/* -INFINITY: no lower bound */
	double		upper;			/* INFINITY: no upper bound */
	bool		safe;
	/* DC_EXACT only: the least and greatest values before rounding inward */
	double		least;
	double		greatest;
} DcBounds;

/* What an audit of a form is for */
typedef enum DcAuditMode
{
	DC_EXACT,					/* the least and greatest values */
	DC_PROVE,					/* whether it is safe */
	DC_QUICK					/* whether it is quickly shown safe: not being
								 * so shown does not make it unsafe */
} DcAuditMode;

typedef struct DcAuditStats
{
	int			audits;			/* systems audited */
	int			programs;		/* components solved for a first vertex */
	int			solves;			/* objectives maximized */
	int			forms;			/* forms bounded, not from the cache */
	int			by_points;		/* ... proven safe by kept points */
	int			by_component;	/* ... bounded by whole components */
	double		phase1_ms;
	double		solve_ms;
	int			near;			/* ... of which programs near a form */
	double		near_ms;		/* ... and their time, first vertex and solves */
	double		elapsed_ms;		/* since the last reset (dc_audit_stats) */
	double		cpu_ms;			/* ... of this process's CPU */
} DcAuditStats;

extern DcAuditStats dc_audit_stats(bool reset);
extern void dc_audit_stats_log(const char *what, bool reset);
extern DcAudit *dc_audit_begin(const DcSystem *sys, DcPoints *pool);
extern void dc_audit_form(DcAudit *audit, int n, const int *vars,
						  const int *coefs, int64 value, int need,
						  DcAuditMode mode, DcBounds *b);

/* ----------------------------------------------------------------------
 * The engine's insides, for its own files
 * ----------------------------------------------------------------------
 */

#define NO_BOUND	PG_INT64_MAX	/* an unknown with no upper bound */
#define EPS_BOUND	1e-7		/* slack when rounding a bound to an integer */

/* sum(coef x var) = rhs (eq) or >= rhs, over non-negative integer unknowns */
struct DcSystem
{
	int			nvars;
	int64	   *truth;			/* the true values, which keep every row */
	bool		chained;		/* rows chaining many copies of the unknowns
								 * (a series of releases): sparse programs */
	int			nrows;
	int			maxrows;
	bool	   *row_eq;
	int64	   *row_rhs;
	int		   *row_start;		/* nrows + 1, into: */
	int			nterms;
	int			maxterms;
	int		   *term_var;
	int		   *term_coef;
	/* identical rows are kept once: open addressing on a hash of the row */
	int			nslots;
	int		   *slot;			/* row + 1, or 0 */
	uint32	   *row_hash;
};

/*
 * A linear program over some free unknowns (column k is unknown vars[k]):
 * the rows that hold any of them, the other unknowns at their values (the
 * known ones exactly, the free ones outside at their true values).
 */
typedef enum ProgramKind
{
	PROGRAM_WHOLE,				/* a whole component */
	PROGRAM_NEAR				/* a neighbourhood (presolved) */
} ProgramKind;

typedef struct Program
{
	ProgramKind kind;
	int			nfree;
	int		   *vars;
	int			nrows;
	const int  *sys_rows;		/* the system's row of each row */
	int		   *prog_start;		/* the rows, kept to check points: */
	int		   *prog_col;
	double	   *prog_coef;
	double	   *prog_lower;		/* lower <= sum, -INFINITY: none */
	double	   *prog_upper;		/* sum <= upper, INFINITY: none */
	Lp		   *lp;
	/*
	 * The columns the LP has: a column of the program is fixed (at
	 * shift[k], lp_col[k] = -1) or the LP's column lp_col[k], its value
	 * shift[k] more (a lower bound presolve found)
	 */
	int			nlp;
	int		   *lp_col;
	double	   *shift;
	double	   *lp_c;			/* nlp: scratch */
	double	   *lp_x;
	bool		usable;			/* a first feasible basis was found */
	double	   *objective;		/* nfree */
	double	   *point;			/* nfree */
	int			npoints;		/* kept points (component programs) */
	int			next_point;
	double	   *points;
} Program;

/* A set of free unknowns no row links to the others */
typedef struct Component
{
	int			nfree;
	int		   *vars;
	int			nrows;
	int			nineq;			/* how many of them are inequalities */
	int		   *rows;			/* the rows of the system that hold them */
	Program    *program;		/* built when a form first needs it */
} Component;

/* Points as changes from the true values (sparse), kept from audit to audit */
struct DcPoints
{
	int			nvars;
	int			max_points;		/* at most; when full, the older half goes */
	int			capacity;		/* of the arrays below */
	int			npoints;		/* oldest first */
	int		   *nchanges;		/* per point */
	int		  **change_var;
	double	  **change;
	bool	   *checked;		/* checked against the current audit's rows */
	bool	   *valid;			/* ... and keeps them */
	bool	   *used;			/* proved a form safe */
	int32	   *id;				/* the number it was stored under, or 0 */
	double	   *scratch;		/* nvars, zero between uses */
	/* the changes of the points by unknown: a list per unknown */
	int		   *by_var_n;		/* nvars: how many */
	int		   *by_var_room;	/* nvars: room for */
	int		  **by_var_point;	/* nvars lists: the point */
	double	  **by_var_change;	/* nvars lists: its change */
	double	   *moves;			/* per point, scratch: zero between uses */
	int		   *touched;		/* the points a form moves, scratch */
	bool	   *is_touched;		/* ... flagged: false between uses */
	/*
	 * The last basis of a whole component's program, for the next audit's
	 * to start from (audit_programs.c): the status of each unknown's
	 * column, and of each row by its hash (LP_STATUS_NONE: none)
	 */
	unsigned char *var_status;
	int			nrow_slots;
	int			nrow_used;		/* ... slots taken, at most half of them */
	uint32	   *row_slot_hash;
	unsigned char *row_slot_status;
};

struct DcAudit
{
	const DcSystem *sys;
	MemoryContext cxt;
	DcPoints   *pool;
	int		   *var_start;		/* the rows of each unknown: nvars + 1 */
	int		   *var_row;
	double		cap;			/* an upper bound for an unknown nothing else
								 * bounds: twice all true values together, so
								 * that a point past half of it shows there is
								 * no bound (every bound a published sum makes
								 * is at most all true values together) */
	int64	   *lo;				/* bounds from propagation */
	int64	   *hi;				/* NO_BOUND: none */
	int		   *component;		/* of each unknown; -1 when known exactly */
	int		   *row_free;		/* of each row: its unknowns not known exactly */
	int		   *position;		/* of a free unknown among its component's */
	int			ncomponents;
	Component  *components;
	int			nforms;			/* forms already bounded: */
	int			nslots;
	struct CachedForm *slot;
	/* scratch */
	int		   *column;			/* nvars: an unknown's column, or -1 */
	bool	   *row_mark;		/* nrows */
	double	   *pmax;			/* per component */
	double	   *pmin;
	bool	   *inpart;
	int		   *parts;
};

/* What the audits of this backend cost (DEBUG messages) */
extern DcAuditStats audit_stats;

/* floor(value + max) - ceil(value + min), or INFINITY */
static inline double
width_of(double value, double min, double max)
{
	if (isinf(max) || isinf(min))
		return INFINITY;
	return floor(value + max + EPS_BOUND) - ceil(value + min - EPS_BOUND);
}

/* audit_propagate.c */
extern void audit_propagate(DcAudit *audit);
extern void audit_split(DcAudit *audit);

/* audit_programs.c */
extern Program *program_build(DcAudit *audit, int nfree, const int *vars,
							  int nrows, const int *rows, ProgramKind kind);
extern bool program_extreme(DcAudit *audit, Program *program, double sign,
							double target, double *best);
extern void program_keep(Program *program, const double *x);

/* audit_program_lp.c */
extern void program_lp(DcAudit *audit, Program *program, ProgramKind kind);

/* audit_near.c */
extern void near_moves(DcAudit *audit, int n, const int *vars, const int *coefs,
					   int64 value, int need, double *min, double *max);

/* audit_points.c */
extern void points_add(DcAudit *audit, const Program *program, const double *x);
extern void pool_moves(DcAudit *audit, int n, const int *vars, const int *coefs,
					   double *min, double *max, int *kmin, int *kmax);

#endif							/* ARRIMA_AUDIT_H */
