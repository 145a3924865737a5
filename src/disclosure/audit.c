/*-------------------------------------------------------------------------
 *
 * audit.c
 *	  How far a reader can narrow a form of the unknowns (a withheld count,
 *	  the change of a count between two releases): the audit of a system
 *	  (audit_system.c).
 *
 * A reader who can round bounds inward to integers narrows the form to
 * [ceil(least), floor(greatest)] over the polyhedron the rows and x >= 0
 * make; the form is safe when that is at least need wide.  (Integer
 * programming could in principle narrow some bounds further; the linear
 * bounds are the audit statistical agencies run on linked tables.)
 *
 * Deciding whether a form is safe takes the cheapest of:
 *	1. the bounds propagation found (audit_propagate.c): a form they leave
 *	   narrower than need is unsafe, whatever a program would add;
 *	2. points already found (kept from audit to audit as changes from the
 *	   true values, each checked against the rows of this audit): the true
 *	   values and any two points whose values of the form are need apart
 *	   prove it safe;
 *	3. for a form of a component too large for the dense tableau, a
 *	   program over a neighbourhood of the form (the unknowns a few rows
 *	   away, the others held at their true values): any point of it is a
 *	   point of the whole system, so a proof there is a proof;
 *	4. programs over the whole components the form reaches, exact, each
 *	   built once per audit and started from the basis the last form left.
 * With exact, the least and greatest values are wanted: a side that a kept
 * point (or the true values) takes as far as propagation leaves it is
 * exact as it is (1. and 2. meet); the others go straight to 4.  The kept
 * points (2.) are in audit_points.c, the neighbourhoods (3.) in
 * audit_near.c, the programs (3. and 4.) in audit_programs.c.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>
#include <sys/resource.h>

#include "common/hashfn.h"
#include "miscadmin.h"
#include "portability/instr_time.h"
#include "utils/memutils.h"

#include "audit.h"

/* A form bounded before, with what was found */
typedef struct CachedForm
{
	uint32		hash;			/* 0: an empty slot */
	int			n;
	int		   *vars;
	int		   *coefs;
	int			need;			/* the width it was searched for */
	DcAuditMode mode;			/* the most thorough search of it */
	DcBounds	bounds;
	double		width;
} CachedForm;

/* What the audits cost so far; reset with reset */
DcAuditStats
dc_audit_stats(bool reset)
{
	static instr_time reset_at;
	static double reset_cpu;
	DcAuditStats result = audit_stats;
	instr_time	now;
	struct rusage usage;
	double		cpu;

	INSTR_TIME_SET_CURRENT(now);
	getrusage(RUSAGE_SELF, &usage);
	cpu = usage.ru_utime.tv_sec * 1000.0 + usage.ru_utime.tv_usec / 1000.0 +
		usage.ru_stime.tv_sec * 1000.0 + usage.ru_stime.tv_usec / 1000.0;
	if (INSTR_TIME_IS_ZERO(reset_at))
	{
		reset_at = now;
		reset_cpu = cpu;
	}
	result.elapsed_ms = INSTR_TIME_GET_MILLISEC(now) - INSTR_TIME_GET_MILLISEC(reset_at);
	result.cpu_ms = cpu - reset_cpu;
	if (reset)
	{
		memset(&audit_stats, 0, sizeof(audit_stats));
		reset_at = now;
		reset_cpu = cpu;
	}
	return result;
}

/* The statistics (dc_audit_stats) at DEBUG1, named by what they are of */
void
dc_audit_stats_log(const char *what, bool reset)
{
	DcAuditStats st = dc_audit_stats(reset);

	elog(DEBUG1, "disclosure: %s: %d audits, %d programs (%.0f ms), %d solves (%.0f ms), %d forms (points %d, components %d), near %d (%.0f ms); %.0f ms, CPU %.0f ms",
		 what, st.audits, st.programs, st.phase1_ms, st.solves, st.solve_ms, st.forms,
		 st.by_points, st.by_component, st.near, st.near_ms, st.elapsed_ms, st.cpu_ms);
}

/*
 * Begin an audit of a system: propagate bounds, split the free unknowns
 * into components, check which kept points (pool, if not NULL) keep its
 * rows.  Its memory is a context of its own, a child of the caller's: it
 * goes with the caller's.
 */
DcAudit *
dc_audit_begin(const DcSystem *sys, DcPoints *pool)
{
	MemoryContext cxt = AllocSetContextCreate(CurrentMemoryContext,
											  "disclosure audit",
											  ALLOCSET_DEFAULT_SIZES);
	MemoryContext old = MemoryContextSwitchTo(cxt);
	DcAudit    *audit = palloc0(sizeof(DcAudit));

	audit->sys = sys;
	audit->cxt = cxt;
	audit->pool = pool;
	audit->lo = palloc0(Max(sys->nvars, 1) * sizeof(int64));
	audit->hi = palloc(Max(sys->nvars, 1) * sizeof(int64));
	for (int v = 0; v < sys->nvars; v++)
		audit->hi[v] = NO_BOUND;
	audit->component = palloc(Max(sys->nvars, 1) * sizeof(int));
	audit->position = palloc(Max(sys->nvars, 1) * sizeof(int));
	audit->column = palloc(Max(sys->nvars, 1) * sizeof(int));
	for (int v = 0; v < sys->nvars; v++)
		audit->column[v] = -1;
	audit->row_mark = palloc0(Max(sys->nrows, 1) * sizeof(bool));
	audit->cap = 2.0;
	for (int v = 0; v < sys->nvars; v++)
		audit->cap += 2.0 * sys->truth[v];
	audit_stats.audits++;
	audit_propagate(audit);
	audit_split(audit);
	elog(DEBUG2, "disclosure audit: %d unknowns, %d rows, %d components",
		 sys->nvars, sys->nrows, audit->ncomponents);
	audit->pmax = palloc(Max(audit->ncomponents, 1) * sizeof(double));
	audit->pmin = palloc(Max(audit->ncomponents, 1) * sizeof(double));
	audit->inpart = palloc0(Max(audit->ncomponents, 1) * sizeof(bool));
	audit->parts = palloc(Max(audit->ncomponents, 1) * sizeof(int));
	if (pool != NULL)
	{
		Assert(pool->nvars == sys->nvars);
		memset(pool->checked, 0, pool->npoints * sizeof(bool));
	}
	MemoryContextSwitchTo(old);
	return audit;
}

/* ----------------------------------------------------------------------
 * Step 4: whole components
 * ----------------------------------------------------------------------
 */

/* The part in component c of a form, into the program's objective */
static void
set_objective(const DcAudit *audit, Program *program, int c, int n,
			  const int *vars, const int *coefs)
{
	memset(program->objective, 0, program->nfree * sizeof(double));
	/* the columns of a component's program are its unknowns in order */
	for (int i = 0; i < n; i++)
		if (audit->component[vars[i]] == c)
			program->objective[audit->position[vars[i]]] += coefs[i];
}

/* The value at kept point k of component c's program of a form's part */
static double
kept_at(const DcAudit *audit, int c, int k, int n, const int *vars,
		const int *coefs)
{
	const Program *program = audit->components[c].program;
	const double *x = &program->points[(size_t) k * program->nfree];
	double		sum = 0.0;

	for (int i = 0; i < n; i++)
		if (audit->component[vars[i]] == c)
			sum += coefs[i] * x[audit->position[vars[i]]];
	return sum;
}

/*
 * The least and greatest values of a form over the whole components it
 * reaches (each part's range, added up: the components are independent),
 * or, without exact, as much as it takes to show it need wide.  Returns
 * the width proven.
 */
static double
component_bounds(DcAudit *audit, int n, const int *vars, const int *coefs,
				 int64 value, int need, bool exact, const bool *sides, DcBounds *b)
{
	double		known = 0.0;
	int			nparts = 0;
	double		max;
	double		min;
	double		width;

	for (int i = 0; i < n; i++)
	{
		int			c = audit->component[vars[i]];

		if (c < 0)
			known += (double) coefs[i] * audit->lo[vars[i]];
		else if (!audit->inpart[c])
		{
			audit->inpart[c] = true;
			audit->parts[nparts++] = c;
		}
	}
	for (int i = 0; i < nparts; i++)
		audit->inpart[audit->parts[i]] = false;

	/* what the kept points of each part's program already show */
	for (int i = 0; i < nparts; i++)
	{
		int			c = audit->parts[i];
		Component  *comp = &audit->components[c];

		if (comp->program == NULL)
		{
			MemoryContext old = MemoryContextSwitchTo(audit->cxt);

			comp->program = program_build(audit, comp->nfree, comp->vars,
										  comp->nrows, comp->rows, PROGRAM_WHOLE);
			MemoryContextSwitchTo(old);
		}
		audit->pmax[c] = -INFINITY;
		audit->pmin[c] = INFINITY;
		for (int k = 0; k < comp->program->npoints; k++)
		{
			double		p = kept_at(audit, c, k, n, vars, coefs);

			audit->pmax[c] = Max(audit->pmax[c], p);
			audit->pmin[c] = Min(audit->pmin[c], p);
		}
	}

	/* programs: each part's greatest, then least, until safe */
	for (int side = 0; side < 2; side++)
	{
		double		sign = side == 0 ? 1.0 : -1.0;

		if (sides != NULL && !sides[side])
			continue;
		for (int i = 0; i < nparts; i++)
		{
			int			c = audit->parts[i];
			Program    *program = audit->components[c].program;
			double		reached = side == 0 ? audit->pmax[c] : -audit->pmin[c];
			double		target;
			double		best;

			max = known;
			min = known;
			for (int j = 0; j < nparts; j++)
			{
				max += audit->pmax[audit->parts[j]];
				min += audit->pmin[audit->parts[j]];
			}
			width = width_of(0.0, min, max);
			if (!exact && width >= need)
				break;
			target = exact ? INFINITY : reached + (need - width) + EPS_BOUND;
			CHECK_FOR_INTERRUPTS();
			set_objective(audit, program, c, n, vars, coefs);
			if (!program_extreme(audit, program, sign, target, &best))
				continue;		/* unproven: the width stays what it is */
			best = Max(best, reached);
			if (side == 0)
				audit->pmax[c] = best;
			else
				audit->pmin[c] = -best;
		}
	}

	max = known;
	min = known;
	for (int j = 0; j < nparts; j++)
	{
		max += audit->pmax[audit->parts[j]];
		min += audit->pmin[audit->parts[j]];
	}
	b->upper = isinf(max) ? INFINITY : floor(max + EPS_BOUND);
	b->lower = isinf(min) ? -INFINITY : ceil(min - EPS_BOUND);
	b->greatest = max;
	b->least = min;
	if (nparts == 0)
		b->lower = b->upper = b->least = b->greatest = value;
	return nparts == 0 ? 0.0 : width_of(0.0, min, max);
}

/*
 * The range the bounds of propagation leave a form, into *min and *max
 * (moves from its true value): a reader narrows it at least that much.
 */
static void
outer_moves(const DcAudit *audit, int n, const int *vars, const int *coefs,
			double *min, double *max)
{
	*min = *max = 0.0;
	for (int i = 0; i < n; i++)
	{
		int			v = vars[i];
		double		below = (double) (audit->sys->truth[v] - audit->lo[v]);
		double		above = audit->hi[v] == NO_BOUND ? INFINITY :
			(double) (audit->hi[v] - audit->sys->truth[v]);

		if (coefs[i] > 0)
		{
			*min -= coefs[i] * below;
			*max += coefs[i] * above;
		}
		else
		{
			*min += coefs[i] * above;
			*max -= coefs[i] * below;
		}
	}
}

/*
 * The sides of exact bounds settled before the whole components (sides[]
 * false): the least and greatest values, from the true value moved by min
 * and max, and the bounds a reader rounds them to
 */
static void
set_exact(DcBounds *b, int64 value, double min, double max, const bool *sides)
{
	if (!sides[0])
	{
		b->greatest = value + max;
		b->upper = isinf(max) ? INFINITY : floor(b->greatest + EPS_BOUND);
	}
	if (!sides[1])
	{
		b->least = value + min;
		b->lower = isinf(min) ? -INFINITY : ceil(b->least - EPS_BOUND);
	}
}

/* Whether a form reaches a component too large for the dense tableau */
static bool
large_component(const DcAudit *audit, int n, const int *vars)
{
	for (int i = 0; i < n; i++)
	{
		int			c = audit->component[vars[i]];

		if (c >= 0 && !lp_is_small(audit->components[c].nrows,
								   audit->components[c].nineq, audit->sys->chained))
			return true;
	}
	return false;
}

/*
 * Bound a form of sorted distinct unknowns (dc_audit_form); returns the
 * width proven.
 */
static double
bound_form(DcAudit *audit, int n, const int *vars, const int *coefs,
		   int64 value, int need, DcAuditMode mode, DcBounds *b)
{
	double		min;
	double		max;
	int			kmin = -1;
	int			kmax = -1;
	double		width;
	bool		exact = mode == DC_EXACT;
	bool		sides[2] = {true, true};	/* the greatest, the least to find */
	double		omin = 0.0;
	double		omax = 0.0;

	audit_stats.forms++;
	if (!exact)
	{
		/* no wider than propagation leaves it: unsafe, no program needed */
		outer_moves(audit, n, vars, coefs, &min, &max);
		if (width_of(value, min, max) < need)
		{
			b->upper = isinf(max) ? INFINITY : floor(value + max + EPS_BOUND);
			b->lower = isinf(min) ? -INFINITY : ceil(value + min - EPS_BOUND);
			b->safe = need <= 0;
			return width_of(value, min, max);
		}
		/* wide enough between points already found: safe */
		pool_moves(audit, n, vars, coefs, &min, &max, &kmin, &kmax);
		width = width_of(value, min, max);
		if (width >= need)
		{
			/* the points that prove it are worth keeping */
			if (kmin >= 0)
				audit->pool->used[kmin] = true;
			if (kmax >= 0)
				audit->pool->used[kmax] = true;
		}
		if (width < need && large_component(audit, n, vars))
		{
			/* a program near the form, where the whole is costly */
			near_moves(audit, n, vars, coefs, value, need, &min, &max);
			width = width_of(value, min, max);
		}
		if (width >= need)
		{
			audit_stats.by_points++;
			b->upper = isinf(max) ? INFINITY : floor(value + max + EPS_BOUND);
			b->lower = isinf(min) ? -INFINITY : ceil(value + min - EPS_BOUND);
			b->safe = true;
			return width;
		}
		if (mode == DC_QUICK)
		{
			/* not shown safe quickly: to be taken as unsafe */
			b->upper = isinf(max) ? INFINITY : floor(value + max + EPS_BOUND);
			b->lower = isinf(min) ? -INFINITY : ceil(value + min - EPS_BOUND);
			b->safe = need <= 0;
			return width;
		}
	}
	else
	{
		/*
		 * Exact: where a kept point (or the true values) reaches what
		 * propagation leaves, that is the bound, and no program is needed
		 * (propagation's bounds are integers; a point that reaches one as
		 * nearly as rounding inward takes does).
		 */
		outer_moves(audit, n, vars, coefs, &omin, &omax);
		pool_moves(audit, n, vars, coefs, &min, &max, &kmin, &kmax);
		sides[0] = isinf(omax) || floor(value + max + EPS_BOUND) < value + omax;
		sides[1] = isinf(omin) || ceil(value + min - EPS_BOUND) > value + omin;
		if (!sides[0] && !sides[1])
		{
			audit_stats.by_points++;
			set_exact(b, value, omin, omax, sides);
			b->safe = need <= 0 || b->upper - b->lower >= need;
			return b->upper - b->lower;
		}
	}
	audit_stats.by_component++;
	width = component_bounds(audit, n, vars, coefs, value, need, exact,
							 exact ? sides : NULL, b);
	if (exact)
		set_exact(b, value, omin, omax, sides);
	if (exact && (!sides[0] || !sides[1]))
		width = isinf(b->upper) || isinf(b->lower) ? INFINITY : b->upper - b->lower;
	b->safe = need <= 0 || width >= need;
	if (b->safe && !exact)
	{
		/* the kept points that went into the proof are worth keeping too */
		if (kmin >= 0)
			audit->pool->used[kmin] = true;
		if (kmax >= 0)
			audit->pool->used[kmax] = true;
	}
	return width;
}

static void
grow_form_slots(DcAudit *audit)
{
	int			nslots = Max(audit->nslots * 2, 256);
	CachedForm *slot = palloc0(nslots * sizeof(CachedForm));

	for (int i = 0; i < audit->nslots; i++)
	{
		uint32		k;

		if (audit->slot[i].hash == 0)
			continue;
		for (k = audit->slot[i].hash & (nslots - 1); slot[k].hash != 0; k = (k + 1) & (nslots - 1))
			;
		slot[k] = audit->slot[i];
	}
	if (audit->slot)
		pfree(audit->slot);
	audit->slot = slot;
	audit->nslots = nslots;
}

/*
 * Bound a form sum(coefs[i] x vars[i]) (coefs NULL: all 1), whose true value
 * is value, as a reader could: safe when the least and the greatest values
 * are at least need apart.  With exact, b gets the least and greatest
 * values (mode DC_EXACT); else the search stops as soon as the form is
 * shown safe (b then holds the values reached), and with DC_QUICK before
 * the costly programs.  A form met before (the same count in
 * several releases, a flow through unknowns that did not change...) is
 * answered from what was found then, when that answers it.
 */
void
dc_audit_form(DcAudit *audit, int n, const int *vars, const int *coefs,
			  int64 value, int need, DcAuditMode mode, DcBounds *b)
{
	MemoryContext old = MemoryContextSwitchTo(audit->cxt);
	int		   *v = palloc(Max(n, 1) * sizeof(int));
	int		   *c = palloc(Max(n, 1) * sizeof(int));
	int			k = dc_system_collect(n, vars, coefs, v, c);
	uint32		h;
	uint32		i;
	CachedForm *form;

	h = hash_bytes((const unsigned char *) v, k * sizeof(int));
	h = hash_combine(h, hash_bytes((const unsigned char *) c, k * sizeof(int)));
	if (h == 0)
		h = 1;
	if (audit->nforms * 2 >= audit->nslots)
		grow_form_slots(audit);
	for (i = h & (audit->nslots - 1); audit->slot[i].hash != 0; i = (i + 1) & (audit->nslots - 1))
	{
		form = &audit->slot[i];
		if (form->hash == h && form->n == k &&
			memcmp(form->vars, v, k * sizeof(int)) == 0 &&
			memcmp(form->coefs, c, k * sizeof(int)) == 0)
		{
			/*
			 * The same form, so the same true value: what was found answers
			 * if it was exact, or shown safe, or a search as thorough and for
			 * as wide that came short.
			 */
			if (form->mode == DC_EXACT || form->width >= need ||
				(mode != DC_EXACT && form->mode <= mode && form->need >= need))
			{
				*b = form->bounds;
				b->safe = need <= 0 || form->width >= need;
				pfree(v);
				pfree(c);
				MemoryContextSwitchTo(old);
				return;
			}
			break;
		}
	}
	if (audit->slot[i].hash == 0)
	{
		form = &audit->slot[i];
		form->hash = h;
		form->n = k;
		form->vars = v;
		form->coefs = c;
		audit->nforms++;
	}
	else
	{
		form = &audit->slot[i];
		pfree(v);
		pfree(c);
	}
	/* programs are built in the audit's memory, to last as long */
	form->width = bound_form(audit, form->n, form->vars, form->coefs, value,
							 need, mode, b);
	form->need = need;
	form->mode = mode;
	form->bounds = *b;
	MemoryContextSwitchTo(old);
}
