/*-------------------------------------------------------------------------
 *
 * disclosure_system.c
 *	  What a reader knows, as a system of linear constraints over
 *	  non-negative integer unknowns, and how far it lets the reader narrow
 *	  a linear form of them: a withheld count, or the change of a count
 *	  between two releases.
 *
 * A system is built row by row: equations (a published count is the sum
 * of its unknowns) and inequalities (the rules every invitation keeps; a
 * count never goes down from one release to a later one).  Identical rows
 * are kept once: a series of releases repeats most of its rows.  Every
 * unknown has a true value, and the true values satisfy every row.
 *
 * The audit then proceeds in three steps:
 *	1. bound propagation: integer bounds on every unknown, tightened from
 *	   the rows until nothing changes; an unknown whose bounds meet is
 *	   known exactly (a published zero, a sum with one unknown left, a
 *	   count squeezed between two equal published values...);
 *	2. the unknowns left free fall into components, sets no row links to
 *	   one another: a reader's knowledge of one says nothing of the others,
 *	   so a form's range is the sum of the ranges of its parts;
 *	3. each part is bounded by linear programming (lp.c) over its
 *	   component, the program built and solved for a first vertex only
 *	   once a form needs it.
 * Soundness first: a form is called safe only on the strength of points
 * (and rays, for "no upper bound") checked against the rows themselves.
 * Every point found is kept (up to a few per component), and the true
 * values are the first: a form whose parts the kept points already show
 * wide enough needs no program at all, which is how most forms of a long
 * series are proven.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "common/hashfn.h"
#include "miscadmin.h"
#include "portability/instr_time.h"
#include "utils/memutils.h"

#include "disclosure.h"
#include "lp.h"

#define EPS_BOUND	1e-7		/* slack when rounding a bound to an integer */
#define NO_BOUND	PG_INT64_MAX	/* an unknown with no upper bound */
#define MAX_POINTS	48			/* points kept per component */
#define LP_CAP		1e12		/* no count comes near: the cap of an unknown
								 * nothing else bounds */

/* What the audits of this backend cost, for DEBUG messages */
static DcAuditStats stats;

struct DcSystem
{
	int			nvars;
	int64	   *truth;
	int			nrows;
	int			maxrows;
	bool	   *row_eq;			/* an equation, else sum >= rhs */
	int64	   *row_rhs;
	int		   *row_start;		/* nrows + 1 */
	int			nterms;
	int			maxterms;
	int		   *term_var;
	int		   *term_coef;
	/* identical rows are kept once: open addressing on a hash of the row */
	int			nslots;
	int		   *slot;			/* row + 1, or 0 */
	uint32	   *row_hash;
};

/* A set of free unknowns no row links to the others, and its program */
typedef struct Component
{
	int			nfree;			/* its unknowns are columns 0 .. nfree - 1 */
	int		   *vars;
	int			nrows;
	int		   *rows;			/* rows of the system */
	bool		built;
	bool		usable;			/* a first feasible basis was found */
	int		   *prog_start;		/* the program, kept to check points */
	int		   *prog_col;
	double	   *prog_coef;
	double	   *prog_rhs;
	bool	   *prog_eq;
	Lp		   *lp;
	double	   *objective;		/* nfree */
	double	   *point;			/* nfree */
	int			npoints;		/* kept points, nfree values each */
	int			next_point;
	double	   *points;
} Component;

/*
 * Points of a system kept from one audit to the next (the caller's), as
 * whole vectors: a later audit of a system with more or other rows uses
 * those that keep its rows.
 */
struct DcPoints
{
	int			nvars;
	int			npoints;
	int			next;
	double	   *points;			/* MAX_POINTS x nvars */
};

struct DcAudit
{
	const DcSystem *sys;
	DcPoints   *pool;			/* NULL: none */
	bool	   *pool_ok;		/* per pooled point: it keeps every row */
	MemoryContext cxt;
	int64	   *lo;
	int64	   *hi;				/* NO_BOUND: none */
	int		   *component;		/* of each unknown; -1 when known exactly */
	int		   *column;			/* of a free unknown in its component */
	int			ncomponents;
	Component  *components;
	/* forms already bounded: open addressing on a hash of the form */
	int			nforms;
	int			nslots;
	struct CachedForm *slot;
	/* scratch for a form */
	double	   *pmax;			/* per component */
	double	   *pmin;
	bool	   *inpart;
	int		   *parts;
};

/* A form bounded before, with what was found */
typedef struct CachedForm
{
	uint32		hash;			/* 0: an empty slot */
	int			n;
	int		   *vars;
	int		   *coefs;
	int			need;			/* the width it was searched for */
	bool		exact;
	DcBounds	bounds;
	double		width;
} CachedForm;

/* ----------------------------------------------------------------------
 * Building a system
 * ----------------------------------------------------------------------
 */

DcSystem *
dc_system_create(int nvars, const int64 *truth)
{
	DcSystem   *sys = palloc0(sizeof(DcSystem));

	sys->nvars = nvars;
	sys->truth = palloc(Max(nvars, 1) * sizeof(int64));
	memcpy(sys->truth, truth, nvars * sizeof(int64));
	sys->maxrows = 64;
	sys->row_eq = palloc(sys->maxrows * sizeof(bool));
	sys->row_rhs = palloc(sys->maxrows * sizeof(int64));
	sys->row_hash = palloc(sys->maxrows * sizeof(uint32));
	sys->row_start = palloc((sys->maxrows + 1) * sizeof(int));
	sys->row_start[0] = 0;
	sys->maxterms = 256;
	sys->term_var = palloc(sys->maxterms * sizeof(int));
	sys->term_coef = palloc(sys->maxterms * sizeof(int));
	sys->nslots = 256;
	sys->slot = palloc0(sys->nslots * sizeof(int));
	return sys;
}

/* A copy of a system, to add more rows to */
DcSystem *
dc_system_copy(const DcSystem *from)
{
	DcSystem   *sys = palloc(sizeof(DcSystem));

	*sys = *from;
	sys->truth = palloc(Max(sys->nvars, 1) * sizeof(int64));
	memcpy(sys->truth, from->truth, sys->nvars * sizeof(int64));
	sys->row_eq = palloc(sys->maxrows * sizeof(bool));
	memcpy(sys->row_eq, from->row_eq, sys->nrows * sizeof(bool));
	sys->row_rhs = palloc(sys->maxrows * sizeof(int64));
	memcpy(sys->row_rhs, from->row_rhs, sys->nrows * sizeof(int64));
	sys->row_hash = palloc(sys->maxrows * sizeof(uint32));
	memcpy(sys->row_hash, from->row_hash, sys->nrows * sizeof(uint32));
	sys->row_start = palloc((sys->maxrows + 1) * sizeof(int));
	memcpy(sys->row_start, from->row_start, (sys->nrows + 1) * sizeof(int));
	sys->term_var = palloc(sys->maxterms * sizeof(int));
	memcpy(sys->term_var, from->term_var, sys->nterms * sizeof(int));
	sys->term_coef = palloc(sys->maxterms * sizeof(int));
	memcpy(sys->term_coef, from->term_coef, sys->nterms * sizeof(int));
	sys->slot = palloc(sys->nslots * sizeof(int));
	memcpy(sys->slot, from->slot, sys->nslots * sizeof(int));
	return sys;
}

int
dc_system_nvars(const DcSystem *sys)
{
	return sys->nvars;
}

int
dc_system_nrows(const DcSystem *sys)
{
	return sys->nrows;
}

typedef struct Term
{
	int			var;
	int			coef;
} Term;

static int
cmp_term(const void *a, const void *b)
{
	int			x = ((const Term *) a)->var;
	int			y = ((const Term *) b)->var;

	return (x > y) - (x < y);
}

/*
 * Terms (vars[i] with coefficient coefs[i], NULL for all 1) added up into
 * sorted distinct unknowns with non-zero coefficients, into out_vars and
 * out_coefs (room for n each); returns how many.
 */
int
dc_system_collect(int n, const int *vars, const int *coefs,
				  int *out_vars, int *out_coefs)
{
	Term	   *terms = palloc(Max(n, 1) * sizeof(Term));
	int			k = 0;

	for (int i = 0; i < n; i++)
	{
		terms[i].var = vars[i];
		terms[i].coef = coefs ? coefs[i] : 1;
	}
	qsort(terms, n, sizeof(Term), cmp_term);
	for (int i = 0; i < n; i++)
	{
		if (k > 0 && out_vars[k - 1] == terms[i].var)
			out_coefs[k - 1] += terms[i].coef;
		else
		{
			if (k > 0 && out_coefs[k - 1] == 0)
				k--;			/* cancelled out */
			out_vars[k] = terms[i].var;
			out_coefs[k++] = terms[i].coef;
		}
	}
	if (k > 0 && out_coefs[k - 1] == 0)
		k--;
	pfree(terms);
	return k;
}

static uint32
row_hash(bool eq, int64 rhs, int n, const int *vars, const int *coefs)
{
	uint32		h = hash_bytes_uint32((uint32) eq);

	h = hash_combine(h, hash_bytes((const unsigned char *) &rhs, sizeof(rhs)));
	h = hash_combine(h, hash_bytes((const unsigned char *) vars, n * sizeof(int)));
	return hash_combine(h, hash_bytes((const unsigned char *) coefs, n * sizeof(int)));
}

static bool
row_equals(const DcSystem *sys, int r, bool eq, int64 rhs, int n,
		   const int *vars, const int *coefs)
{
	int			start = sys->row_start[r];

	return sys->row_eq[r] == eq && sys->row_rhs[r] == rhs &&
		sys->row_start[r + 1] - start == n &&
		memcmp(&sys->term_var[start], vars, n * sizeof(int)) == 0 &&
		memcmp(&sys->term_coef[start], coefs, n * sizeof(int)) == 0;
}

static void
grow_slots(DcSystem *sys)
{
	int			nslots = sys->nslots * 2;
	int		   *slot = palloc0(nslots * sizeof(int));

	for (int r = 0; r < sys->nrows; r++)
	{
		uint32		i = sys->row_hash[r] & (nslots - 1);

		while (slot[i] != 0)
			i = (i + 1) & (nslots - 1);
		slot[i] = r + 1;
	}
	pfree(sys->slot);
	sys->slot = slot;
	sys->nslots = nslots;
}

/*
 * Add a row: sum(coefs[i] x vars[i]) = rhs (eq) or >= rhs.  The terms are
 * added up first (an unknown may come twice, coefficients may cancel); a
 * row with no term left is dropped (it holds: the true values satisfy it),
 * as is a row the system already has.
 */
void
dc_system_add_row(DcSystem *sys, bool eq, int n, const int *vars,
				  const int *coefs, int64 rhs)
{
	int		   *v = palloc(Max(n, 1) * sizeof(int));
	int		   *c = palloc(Max(n, 1) * sizeof(int));
	int			k = dc_system_collect(n, vars, coefs, v, c);
	uint32		h;
	uint32		i;

	if (k == 0)
		goto done;
	h = row_hash(eq, rhs, k, v, c);
	for (i = h & (sys->nslots - 1); sys->slot[i] != 0; i = (i + 1) & (sys->nslots - 1))
		if (sys->row_hash[sys->slot[i] - 1] == h &&
			row_equals(sys, sys->slot[i] - 1, eq, rhs, k, v, c))
			goto done;

	if (sys->nrows == sys->maxrows)
	{
		sys->maxrows *= 2;
		sys->row_eq = repalloc(sys->row_eq, sys->maxrows * sizeof(bool));
		sys->row_rhs = repalloc(sys->row_rhs, sys->maxrows * sizeof(int64));
		sys->row_hash = repalloc(sys->row_hash, sys->maxrows * sizeof(uint32));
		sys->row_start = repalloc(sys->row_start, (sys->maxrows + 1) * sizeof(int));
	}
	while (sys->nterms + k > sys->maxterms)
	{
		sys->maxterms *= 2;
		sys->term_var = repalloc(sys->term_var, sys->maxterms * sizeof(int));
		sys->term_coef = repalloc(sys->term_coef, sys->maxterms * sizeof(int));
	}
	memcpy(&sys->term_var[sys->nterms], v, k * sizeof(int));
	memcpy(&sys->term_coef[sys->nterms], c, k * sizeof(int));
	sys->nterms += k;
	sys->row_eq[sys->nrows] = eq;
	sys->row_rhs[sys->nrows] = rhs;
	sys->row_hash[sys->nrows] = h;
	sys->row_start[sys->nrows + 1] = sys->nterms;
	sys->slot[i] = ++sys->nrows;
	if (sys->nrows * 2 > sys->nslots)
		grow_slots(sys);
done:
	pfree(v);
	pfree(c);
}

/* ----------------------------------------------------------------------
 * Step 1: bound propagation
 * ----------------------------------------------------------------------
 */

/* floor and ceiling of a / b, b != 0 */
static int64
div_floor(int64 a, int64 b)
{
	int64		q = a / b;

	return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

static int64
div_ceil(int64 a, int64 b)
{
	int64		q = a / b;

	return (a % b != 0 && ((a < 0) == (b < 0))) ? q + 1 : q;
}

/*
 * Tighten x's bounds to lo <= x (lower) or x <= hi; returns whether they
 * changed.
 */
static bool
tighten(DcAudit *audit, int v, bool lower, int64 bound)
{
	if (lower ? bound <= audit->lo[v] :
		(audit->hi[v] != NO_BOUND && bound >= audit->hi[v]))
		return false;
	if (lower)
		audit->lo[v] = bound;
	else
		audit->hi[v] = bound;
	/* the true values satisfy every row: bounds never pass them */
	if (audit->lo[v] > audit->sys->truth[v] ||
		(audit->hi[v] != NO_BOUND && audit->hi[v] < audit->sys->truth[v]))
		elog(ERROR, "disclosure audit: bounds of an unknown exclude its true value");
	return true;
}

/*
 * The least and greatest sum of a row's terms but one's, from the bounds:
 * (*min, *max), with *ninf_min and *ninf_max the number of unbounded terms.
 */
static void
row_sums(const DcAudit *audit, int r, int64 *min, int *ninf_min,
		 int64 *max, int *ninf_max)
{
	const DcSystem *sys = audit->sys;

	*min = *max = 0;
	*ninf_min = *ninf_max = 0;
	for (int t = sys->row_start[r]; t < sys->row_start[r + 1]; t++)
	{
		int			v = sys->term_var[t];
		int64		a = sys->term_coef[t];
		bool		unbounded = audit->hi[v] == NO_BOUND;

		if (a > 0)
		{
			*min += a * audit->lo[v];
			if (unbounded)
				(*ninf_max)++;
			else
				*max += a * audit->hi[v];
		}
		else
		{
			*max += a * audit->lo[v];
			if (unbounded)
				(*ninf_min)++;
			else
				*min += a * audit->hi[v];
		}
	}
}

/* What row r tells of each of its unknowns; returns whether any changed */
static bool
propagate_row(DcAudit *audit, int r, int *changed, int *nchanged)
{
	const DcSystem *sys = audit->sys;
	int64		min;
	int64		max;
	int			ninf_min;
	int			ninf_max;
	int64		rhs = sys->row_rhs[r];
	bool		any = false;

	row_sums(audit, r, &min, &ninf_min, &max, &ninf_max);
	for (int t = sys->row_start[r]; t < sys->row_start[r + 1]; t++)
	{
		int			v = sys->term_var[t];
		int64		a = sys->term_coef[t];
		bool		unbounded = audit->hi[v] == NO_BOUND;
		int64		own_min;
		int64		own_max;
		bool		own_inf_min;
		bool		own_inf_max;
		bool		moved = false;

		/* this term's share of the sums */
		if (a > 0)
		{
			own_min = a * audit->lo[v];
			own_inf_min = false;
			own_inf_max = unbounded;
			own_max = unbounded ? 0 : a * audit->hi[v];
		}
		else
		{
			own_max = a * audit->lo[v];
			own_inf_max = false;
			own_inf_min = unbounded;
			own_min = unbounded ? 0 : a * audit->hi[v];
		}

		/* a x >= rhs - (the others' greatest sum) */
		if (ninf_max - own_inf_max == 0)
		{
			int64		b = rhs - (max - own_max);

			moved |= a > 0 ? tighten(audit, v, true, div_ceil(b, a)) :
				tighten(audit, v, false, div_floor(b, a));
		}
		/* in an equation, a x <= rhs - (the others' least sum) */
		if (sys->row_eq[r] && ninf_min - own_inf_min == 0)
		{
			int64		b = rhs - (min - own_min);

			moved |= a > 0 ? tighten(audit, v, false, div_floor(b, a)) :
				tighten(audit, v, true, div_ceil(b, a));
		}
		if (moved)
		{
			changed[(*nchanged)++] = v;
			any = true;
			/* the sums changed under us: recompute */
			row_sums(audit, r, &min, &ninf_min, &max, &ninf_max);
		}
	}
	return any;
}

static void
propagate(DcAudit *audit)
{
	const DcSystem *sys = audit->sys;
	int		   *nvar_rows = palloc0(Max(sys->nvars, 1) * sizeof(int));
	int		  **var_rows = palloc(Max(sys->nvars, 1) * sizeof(int *));
	int		   *queue = palloc(Max(sys->nrows, 1) * sizeof(int));
	bool	   *queued = palloc(Max(sys->nrows, 1) * sizeof(bool));
	int		   *changed = palloc(Max(sys->nvars, 1) * sizeof(int));
	int			head = 0;
	int			count = sys->nrows;
	long		budget = 50L * sys->nrows + 1000;

	/* the rows of each unknown */
	for (int t = 0; t < sys->nterms; t++)
		nvar_rows[sys->term_var[t]]++;
	for (int v = 0; v < sys->nvars; v++)
	{
		var_rows[v] = palloc(Max(nvar_rows[v], 1) * sizeof(int));
		nvar_rows[v] = 0;
	}
	for (int r = 0; r < sys->nrows; r++)
		for (int t = sys->row_start[r]; t < sys->row_start[r + 1]; t++)
			var_rows[sys->term_var[t]][nvar_rows[sys->term_var[t]]++] = r;

	/* a ring of the rows to look at again */
	for (int r = 0; r < sys->nrows; r++)
	{
		queue[r] = r;
		queued[r] = true;
	}
	while (count > 0 && budget-- > 0)
	{
		int			r = queue[head];
		int			nchanged = 0;

		head = (head + 1) % sys->nrows;
		count--;
		queued[r] = false;
		if ((budget & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
		if (!propagate_row(audit, r, changed, &nchanged))
			continue;
		for (int i = 0; i < nchanged; i++)
		{
			int			v = changed[i];

			for (int k = 0; k < nvar_rows[v]; k++)
			{
				int			s = var_rows[v][k];

				if (queued[s])
					continue;
				queued[s] = true;
				queue[(head + count) % sys->nrows] = s;
				count++;
			}
		}
	}
	/* stopping early is no harm: the programs hold every row anyway */
}

/* ----------------------------------------------------------------------
 * Step 2: components
 * ----------------------------------------------------------------------
 */

static int
find_root(int *parent, int x)
{
	while (parent[x] != x)
	{
		parent[x] = parent[parent[x]];
		x = parent[x];
	}
	return x;
}

static void
split_components(DcAudit *audit)
{
	const DcSystem *sys = audit->sys;
	int		   *parent = palloc(Max(sys->nvars, 1) * sizeof(int));
	int		   *index = palloc(Max(sys->nvars, 1) * sizeof(int));
	int		   *row_comp = palloc(Max(sys->nrows, 1) * sizeof(int));

	for (int v = 0; v < sys->nvars; v++)
		parent[v] = v;
	for (int r = 0; r < sys->nrows; r++)
	{
		int			first = -1;

		for (int t = sys->row_start[r]; t < sys->row_start[r + 1]; t++)
		{
			int			v = sys->term_var[t];

			if (audit->lo[v] == audit->hi[v])
				continue;
			if (first < 0)
				first = find_root(parent, v);
			else
			{
				int			root = find_root(parent, v);

				if (root != first)
					parent[root] = first;
			}
		}
	}

	/* number the components, and the columns within each */
	audit->ncomponents = 0;
	for (int v = 0; v < sys->nvars; v++)
		index[v] = -1;
	for (int v = 0; v < sys->nvars; v++)
	{
		int			root;

		audit->component[v] = -1;
		if (audit->lo[v] == audit->hi[v])
			continue;
		root = find_root(parent, v);
		if (index[root] < 0)
			index[root] = audit->ncomponents++;
		audit->component[v] = index[root];
	}
	audit->components = palloc0(Max(audit->ncomponents, 1) * sizeof(Component));
	for (int v = 0; v < sys->nvars; v++)
		if (audit->component[v] >= 0)
			audit->components[audit->component[v]].nfree++;
	for (int c = 0; c < audit->ncomponents; c++)
	{
		audit->components[c].vars = palloc(audit->components[c].nfree * sizeof(int));
		audit->components[c].nfree = 0;
	}
	for (int v = 0; v < sys->nvars; v++)
	{
		Component  *comp;

		if (audit->component[v] < 0)
			continue;
		comp = &audit->components[audit->component[v]];
		audit->column[v] = comp->nfree;
		comp->vars[comp->nfree++] = v;
	}

	/* the rows of each component: those with a free unknown */
	for (int r = 0; r < sys->nrows; r++)
	{
		row_comp[r] = -1;
		for (int t = sys->row_start[r]; t < sys->row_start[r + 1] && row_comp[r] < 0; t++)
			row_comp[r] = audit->component[sys->term_var[t]];
		if (row_comp[r] >= 0)
			audit->components[row_comp[r]].nrows++;
	}
	for (int c = 0; c < audit->ncomponents; c++)
	{
		audit->components[c].rows = palloc(Max(audit->components[c].nrows, 1) * sizeof(int));
		audit->components[c].nrows = 0;
	}
	for (int r = 0; r < sys->nrows; r++)
	{
		if (row_comp[r] >= 0)
		{
			Component  *comp = &audit->components[row_comp[r]];

			comp->rows[comp->nrows++] = r;
		}
	}
	pfree(parent);
	pfree(index);
	pfree(row_comp);
}

/* ----------------------------------------------------------------------
 * Step 3: the programs
 * ----------------------------------------------------------------------
 */

/* Keep a point (its first nfree values) among the component's points */
static void
keep_point(Component *comp, const double *x)
{
	int			k;

	if (comp->npoints < MAX_POINTS)
		k = comp->npoints++;
	else
	{
		/* the truth, point 0, stays */
		k = 1 + comp->next_point;
		comp->next_point = (comp->next_point + 1) % (MAX_POINTS - 1);
	}
	memcpy(&comp->points[(size_t) k * comp->nfree], x, comp->nfree * sizeof(double));
}

/* An empty set of points for audits of systems over nvars unknowns */
DcPoints *
dc_points_create(int nvars)
{
	DcPoints   *pool = palloc0(sizeof(DcPoints));

	pool->nvars = nvars;
	pool->points = palloc((size_t) MAX_POINTS * Max(nvars, 1) * sizeof(double));
	return pool;
}

/* Whether a whole point keeps every row of a system, and x >= 0 */
static bool
keeps_rows(const DcSystem *sys, const double *x)
{
	for (int v = 0; v < sys->nvars; v++)
		if (x[v] < -1e-9)
			return false;
	for (int r = 0; r < sys->nrows; r++)
	{
		double		sum = 0.0;
		double		size = 1.0;
		double		rhs = (double) sys->row_rhs[r];
		double		tolerance;

		for (int t = sys->row_start[r]; t < sys->row_start[r + 1]; t++)
		{
			sum += sys->term_coef[t] * x[sys->term_var[t]];
			size += fabs(x[sys->term_var[t]]);
		}
		tolerance = 1e-9 * (size + fabs(rhs));
		if (sys->row_eq[r] ? fabs(sum - rhs) > tolerance : sum < rhs - tolerance)
			return false;
	}
	return true;
}

/*
 * Keep a point of component comp (its free values) in the caller's pool,
 * as a whole point: the true values elsewhere, which with it keep every
 * row (no row links two components; the unknowns known exactly are at
 * their true values).
 */
static void
pool_point(DcAudit *audit, const Component *comp, const double *x)
{
	DcPoints   *pool = audit->pool;
	double	   *whole;
	int			k;

	if (pool == NULL)
		return;
	if (pool->npoints < MAX_POINTS)
		k = pool->npoints++;
	else
	{
		k = pool->next;
		pool->next = (pool->next + 1) % MAX_POINTS;
	}
	whole = &pool->points[(size_t) k * pool->nvars];
	for (int v = 0; v < pool->nvars; v++)
		whole[v] = (double) audit->sys->truth[v];
	for (int c = 0; c < comp->nfree; c++)
		whole[comp->vars[c]] = x[c];
}

/*
 * Build the program of a component (its free unknowns, at most the bound
 * propagation found and LP_CAP; the unknowns known exactly moved to the
 * right-hand side), find a first vertex, and keep the true values as its
 * first point.
 */
static void
build_component(DcAudit *audit, Component *comp)
{
	const DcSystem *sys = audit->sys;
	int			nnz = 0;
	int			n = 0;
	double	   *col_upper;
	double	   *truth;

	comp->built = true;
	for (int i = 0; i < comp->nrows; i++)
	{
		int			r = comp->rows[i];

		nnz += sys->row_start[r + 1] - sys->row_start[r];
	}
	comp->prog_start = palloc((comp->nrows + 1) * sizeof(int));
	comp->prog_col = palloc(Max(nnz, 1) * sizeof(int));
	comp->prog_coef = palloc(Max(nnz, 1) * sizeof(double));
	comp->prog_rhs = palloc(Max(comp->nrows, 1) * sizeof(double));
	comp->prog_eq = palloc(Max(comp->nrows, 1) * sizeof(bool));
	for (int i = 0; i < comp->nrows; i++)
	{
		int			r = comp->rows[i];
		int64		rest = sys->row_rhs[r];

		comp->prog_start[i] = n;
		for (int t = sys->row_start[r]; t < sys->row_start[r + 1]; t++)
		{
			int			v = sys->term_var[t];

			if (audit->component[v] < 0)
				rest -= sys->term_coef[t] * audit->lo[v];
			else
			{
				comp->prog_col[n] = audit->column[v];
				comp->prog_coef[n++] = sys->term_coef[t];
			}
		}
		comp->prog_rhs[i] = (double) rest;
		comp->prog_eq[i] = sys->row_eq[r];
	}
	comp->prog_start[comp->nrows] = n;

	col_upper = palloc(comp->nfree * sizeof(double));
	for (int k = 0; k < comp->nfree; k++)
	{
		int			v = comp->vars[k];

		col_upper[k] = audit->hi[v] == NO_BOUND ? LP_CAP : Min((double) audit->hi[v], LP_CAP);
	}
	{
		instr_time	start;
		instr_time	duration;

		INSTR_TIME_SET_CURRENT(start);
		comp->lp = lp_create(comp->nfree, col_upper, comp->nrows,
							 comp->prog_start, comp->prog_col, comp->prog_coef,
							 comp->prog_rhs, comp->prog_eq);
		comp->usable = lp_feasible(comp->lp);
		INSTR_TIME_SET_CURRENT(duration);
		INSTR_TIME_SUBTRACT(duration, start);
		stats.phase1_ms += INSTR_TIME_GET_MILLISEC(duration);
		stats.programs++;
	}
	elog(DEBUG2, "disclosure audit: a program of %d rows over %d unknowns",
		 comp->nrows, comp->nfree);
	pfree(col_upper);
	comp->objective = palloc0(comp->nfree * sizeof(double));
	comp->point = palloc(comp->nfree * sizeof(double));

	/* the true values: a point of every component */
	comp->points = palloc((size_t) MAX_POINTS * comp->nfree * sizeof(double));
	truth = palloc(comp->nfree * sizeof(double));
	for (int k = 0; k < comp->nfree; k++)
		truth[k] = (double) sys->truth[comp->vars[k]];
	keep_point(comp, truth);
	/* and the points of earlier audits that keep the rows of this one */
	for (int k = 0; audit->pool != NULL && k < audit->pool->npoints; k++)
	{
		const double *whole = &audit->pool->points[(size_t) k * audit->pool->nvars];

		if (!audit->pool_ok[k])
			continue;
		for (int c = 0; c < comp->nfree; c++)
			truth[c] = whole[comp->vars[c]];
		keep_point(comp, truth);
	}
	pfree(truth);
}

/*
 * Check a point (ray: a direction, the rows' right-hand sides taken as 0)
 * against every row of the program and x >= 0, each within a tolerance.  (The bounds propagation found are implied by the rows: a
 * point that keeps the rows is one a reader cannot rule out.)
 */
static bool
verify(const Component *comp, const double *x, bool ray)
{
	for (int c = 0; c < comp->nfree; c++)
		if (x[c] < -1e-9)
			return false;
	for (int i = 0; i < comp->nrows; i++)
	{
		double		sum = 0.0;
		double		size = 1.0;
		double		rhs = ray ? 0.0 : comp->prog_rhs[i];
		double		tolerance;

		for (int k = comp->prog_start[i]; k < comp->prog_start[i + 1]; k++)
		{
			sum += comp->prog_coef[k] * x[comp->prog_col[k]];
			size += fabs(x[comp->prog_col[k]]);
		}
		tolerance = 1e-9 * (size + fabs(rhs));
		if (comp->prog_eq[i] ? fabs(sum - rhs) > tolerance : sum < rhs - tolerance)
			return false;
	}
	return true;
}

static double
objective_at(const Component *comp, const double *x, double sign)
{
	double		sum = 0.0;

	for (int c = 0; c < comp->nfree; c++)
		sum += sign * comp->objective[c] * x[c];
	return sum;
}

/*
 * The greatest value of sign x (the component's part of the form, in
 * comp->objective), or as much of it as reaching target takes, proven by a
 * checked point, which is kept; INFINITY when the point reaches the cap no
 * count comes near.  False if nothing could be proven.
 */
static bool
extreme(DcAudit *audit, Component *comp, double sign, double target,
		double *best)
{
	LpResult	result;
	instr_time	start;
	instr_time	duration;

	if (!comp->usable)
		return false;
	for (int c = 0; c < comp->nfree; c++)
		comp->objective[c] *= sign;
	INSTR_TIME_SET_CURRENT(start);
	result = lp_maximize(comp->lp, comp->objective,
						 isinf(target) ? LP_INFINITY : target, comp->point);
	INSTR_TIME_SET_CURRENT(duration);
	INSTR_TIME_SUBTRACT(duration, start);
	stats.solve_ms += INSTR_TIME_GET_MILLISEC(duration);
	stats.solves++;
	for (int c = 0; c < comp->nfree; c++)
		comp->objective[c] *= sign;

	if (result == LP_UNBOUNDED)
	{
		double	   *ray = palloc(comp->nfree * sizeof(double));
		bool		proven;

		lp_ray(comp->lp, ray);
		proven = verify(comp, ray, true) && objective_at(comp, ray, sign) > 1e-9;
		pfree(ray);
		if (proven)
		{
			*best = INFINITY;
			return true;
		}
		/* fall back on the vertex the ray starts from */
	}
	else if (result == LP_FAILED)
		return false;
	if (!verify(comp, comp->point, false))
		return false;
	keep_point(comp, comp->point);
	pool_point(audit, comp, comp->point);
	*best = objective_at(comp, comp->point, sign);
	if (*best >= LP_CAP / 2)
		*best = INFINITY;
	return true;
}

/* What the audits cost so far; reset with reset */
DcAuditStats
dc_audit_stats(bool reset)
{
	DcAuditStats result = stats;

	if (reset)
		memset(&stats, 0, sizeof(stats));
	return result;
}

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
	if (pool != NULL)
	{
		Assert(pool->nvars == sys->nvars);
		audit->pool_ok = palloc(Max(pool->npoints, 1) * sizeof(bool));
		for (int k = 0; k < pool->npoints; k++)
			audit->pool_ok[k] = keeps_rows(sys, &pool->points[(size_t) k * pool->nvars]);
	}
	audit->lo = palloc0(Max(sys->nvars, 1) * sizeof(int64));
	audit->hi = palloc(Max(sys->nvars, 1) * sizeof(int64));
	for (int v = 0; v < sys->nvars; v++)
		audit->hi[v] = NO_BOUND;
	audit->component = palloc(Max(sys->nvars, 1) * sizeof(int));
	audit->column = palloc(Max(sys->nvars, 1) * sizeof(int));
	stats.audits++;
	propagate(audit);
	split_components(audit);
	elog(DEBUG2, "disclosure audit: %d unknowns, %d rows, %d components",
		 sys->nvars, sys->nrows, audit->ncomponents);
	audit->pmax = palloc(Max(audit->ncomponents, 1) * sizeof(double));
	audit->pmin = palloc(Max(audit->ncomponents, 1) * sizeof(double));
	audit->inpart = palloc0(Max(audit->ncomponents, 1) * sizeof(bool));
	audit->parts = palloc(Max(audit->ncomponents, 1) * sizeof(int));
	MemoryContextSwitchTo(old);
	return audit;
}

void
dc_audit_end(DcAudit *audit)
{
	MemoryContextDelete(audit->cxt);
}

/* Whether the audit knows an unknown exactly (after propagation) */
bool
dc_audit_known(const DcAudit *audit, int var)
{
	return audit->component[var] < 0;
}

/* The component of a free unknown, -1 if known exactly */
int
dc_audit_component(const DcAudit *audit, int var)
{
	return audit->component[var];
}

/* The value at kept point k of the part of a form in component c */
static double
part_at(const DcAudit *audit, int c, int k, int n, const int *vars,
		const int *coefs)
{
	const Component *comp = &audit->components[c];
	const double *x = &comp->points[(size_t) k * comp->nfree];
	double		sum = 0.0;

	for (int i = 0; i < n; i++)
		if (audit->component[vars[i]] == c)
			sum += (coefs ? coefs[i] : 1) * x[audit->column[vars[i]]];
	return sum;
}

/*
 * The width the parts' ranges are known to have, rounded inward as an
 * integer reader would: floor(known + sum of maxima) - ceil(known + sum of
 * minima); INFINITY when a part has no upper bound.
 */
static double
known_width(const DcAudit *audit, int nparts, double known)
{
	double		max = known;
	double		min = known;

	for (int i = 0; i < nparts; i++)
	{
		max += audit->pmax[audit->parts[i]];
		min += audit->pmin[audit->parts[i]];
	}
	if (isinf(max))
		return INFINITY;
	return floor(max + EPS_BOUND) - ceil(min - EPS_BOUND);
}

/* Put the part of a form in component c into its objective */
static void
set_objective(const DcAudit *audit, Component *comp, int c, int n,
			  const int *vars, const int *coefs)
{
	memset(comp->objective, 0, comp->nfree * sizeof(double));
	for (int i = 0; i < n; i++)
		if (audit->component[vars[i]] == c)
			comp->objective[audit->column[vars[i]]] += coefs ? coefs[i] : 1;
}

/*
 * Bound a form of sorted distinct unknowns (dc_audit_form); returns the
 * width proven.
 */
static double
bound_form(DcAudit *audit, int n, const int *vars, const int *coefs,
		   int64 value, int need, bool exact, DcBounds *b)
{
	double		known = 0.0;
	int			nparts = 0;
	double		width;

	/* the parts: one per component the form reaches */
	for (int i = 0; i < n; i++)
	{
		int			c = audit->component[vars[i]];

		if (c < 0)
			known += (double) (coefs ? coefs[i] : 1) * audit->lo[vars[i]];
		else if (!audit->inpart[c])
		{
			audit->inpart[c] = true;
			audit->parts[nparts++] = c;
		}
	}
	for (int i = 0; i < nparts; i++)
		audit->inpart[audit->parts[i]] = false;

	/* what the kept points already show */
	for (int i = 0; i < nparts; i++)
	{
		int			c = audit->parts[i];
		Component  *comp = &audit->components[c];

		if (!comp->built)
			build_component(audit, comp);
		audit->pmax[c] = -INFINITY;
		audit->pmin[c] = INFINITY;
		for (int k = 0; k < comp->npoints; k++)
		{
			double		p = part_at(audit, c, k, n, vars, coefs);

			audit->pmax[c] = Max(audit->pmax[c], p);
			audit->pmin[c] = Min(audit->pmin[c], p);
		}
	}

	stats.forms++;
	width = known_width(audit, nparts, known);
	if (exact || width < need)
	{
		/* programs: each part's maximum, then minimum, until safe */
		for (int side = 0; side < 2; side++)
		{
			double		sign = side == 0 ? 1.0 : -1.0;

			for (int i = 0; i < nparts; i++)
			{
				int			c = audit->parts[i];
				Component  *comp = &audit->components[c];
				double		reached = side == 0 ? audit->pmax[c] : -audit->pmin[c];
				double		target = exact ? INFINITY :
					reached + (need - width) + EPS_BOUND;
				double		best;

				if (!exact && width >= need)
					break;
				CHECK_FOR_INTERRUPTS();
				set_objective(audit, comp, c, n, vars, coefs);
				if (!extreme(audit, comp, sign, target, &best))
					continue;	/* unproven: the width stays what it is */
				best = Max(best, reached);
				if (side == 0)
					audit->pmax[c] = best;
				else
					audit->pmin[c] = -best;
				width = known_width(audit, nparts, known);
			}
		}
	}

	/* every value comes from a checked point or ray: width is proven */
	b->lower = b->upper = (double) value;
	if (nparts > 0)
	{
		double		max = known;
		double		min = known;

		for (int i = 0; i < nparts; i++)
		{
			max += audit->pmax[audit->parts[i]];
			min += audit->pmin[audit->parts[i]];
		}
		b->upper = isinf(max) ? INFINITY : floor(max + EPS_BOUND);
		b->lower = isinf(min) ? -INFINITY : ceil(min - EPS_BOUND);
	}
	b->safe = need <= 0 || width >= need;
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
 * values; without, the search stops as soon as the form is shown safe (b
 * then holds the values reached).  A form met before (the same count in
 * several releases, a flow through unknowns that did not change...) is
 * answered from what was found then, when that answers it.
 */
void
dc_audit_form(DcAudit *audit, int n, const int *vars, const int *coefs,
			  int64 value, int need, bool exact, DcBounds *b)
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
			/* the same form: its true value is the same too */
			if (form->exact || (!exact && (form->width >= need || form->need >= need)))
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
							 need, exact, b);
	form->need = Max(form->need, need);
	form->exact |= exact;
	form->bounds = *b;
	MemoryContextSwitchTo(old);
}
