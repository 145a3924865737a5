/*-------------------------------------------------------------------------
 *
 * audit_propagate.c
 *	  The first two steps of the disclosure audit: bound propagation, and
 *	  the split of the unknowns left free into independent components.
 *
 * Propagation tightens integer bounds on every unknown from the rows until
 * nothing changes: an unknown whose bounds meet is known exactly (a
 * published zero, a sum with one unknown left, a count squeezed between
 * two equal published values...).  Every bound follows from the rows, so
 * a program may leave them out and still be exact.
 *
 * The unknowns left free fall into components, sets no row links to one
 * another: a reader's knowledge of one says nothing of the others, so a
 * form's range is the sum of the ranges of its parts.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"

#include "audit.h"

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
 * A term's share of a row's least and greatest sums (row_sums), from the
 * bounds of its unknown: *inf_min, *inf_max when that side is unbounded
 * (its share then 0).
 */
static inline void
term_share(const DcAudit *audit, int v, int64 a, int64 *min, bool *inf_min,
		   int64 *max, bool *inf_max)
{
	bool		unbounded = audit->hi[v] == NO_BOUND;

	if (a > 0)
	{
		*min = a * audit->lo[v];
		*inf_min = false;
		*inf_max = unbounded;
		*max = unbounded ? 0 : a * audit->hi[v];
	}
	else
	{
		*max = a * audit->lo[v];
		*inf_max = false;
		*inf_min = unbounded;
		*min = unbounded ? 0 : a * audit->hi[v];
	}
}

/*
 * The least and greatest sum of a row's terms, from the bounds: (*min,
 * *max), with *ninf_min and *ninf_max the number of unbounded terms.
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
		int64		share_min;
		int64		share_max;
		bool		inf_min;
		bool		inf_max;

		term_share(audit, sys->term_var[t], sys->term_coef[t],
				   &share_min, &inf_min, &share_max, &inf_max);
		*min += share_min;
		*max += share_max;
		*ninf_min += inf_min;
		*ninf_max += inf_max;
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
		int64		own_min;
		int64		own_max;
		bool		own_inf_min;
		bool		own_inf_max;
		bool		moved = false;

		/* this term's share of the sums */
		term_share(audit, v, a, &own_min, &own_inf_min, &own_max, &own_inf_max);

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
			int64		new_min;
			int64		new_max;
			bool		new_inf_min;
			bool		new_inf_max;

			changed[(*nchanged)++] = v;
			any = true;
			/* the sums changed under us: this term's share, anew */
			term_share(audit, v, a, &new_min, &new_inf_min, &new_max, &new_inf_max);
			min += new_min - own_min;
			max += new_max - own_max;
			ninf_min += (int) new_inf_min - (int) own_inf_min;
			ninf_max += (int) new_inf_max - (int) own_inf_max;
		}
	}
	return any;
}

/*
 * Propagate bounds until nothing changes (or a budget of row visits is
 * spent: stopping early is no harm, the programs hold every row anyway).
 * Also builds the index of the rows of each unknown.
 */
void
audit_propagate(DcAudit *audit)
{
	const DcSystem *sys = audit->sys;
	int		   *queue = palloc(Max(sys->nrows, 1) * sizeof(int));
	bool	   *queued = palloc(Max(sys->nrows, 1) * sizeof(bool));
	int		   *changed = palloc(Max(sys->nvars, 1) * sizeof(int));
	int		   *fill = palloc0(Max(sys->nvars, 1) * sizeof(int));
	int			head = 0;
	int			count = sys->nrows;
	long		budget = 50L * sys->nrows + 1000;

	/* the rows of each unknown */
	audit->var_start = palloc0((sys->nvars + 1) * sizeof(int));
	audit->var_row = palloc(Max(sys->nterms, 1) * sizeof(int));
	for (int t = 0; t < sys->nterms; t++)
		audit->var_start[sys->term_var[t] + 1]++;
	for (int v = 0; v < sys->nvars; v++)
		audit->var_start[v + 1] += audit->var_start[v];
	for (int r = 0; r < sys->nrows; r++)
		for (int t = sys->row_start[r]; t < sys->row_start[r + 1]; t++)
		{
			int			v = sys->term_var[t];

			audit->var_row[audit->var_start[v] + fill[v]++] = r;
		}

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
		/* a row may hold every unknown of a release: look at each */
		CHECK_FOR_INTERRUPTS();
		if (!propagate_row(audit, r, changed, &nchanged))
			continue;
		for (int i = 0; i < nchanged; i++)
		{
			int			v = changed[i];

			for (int k = audit->var_start[v]; k < audit->var_start[v + 1]; k++)
			{
				int			s = audit->var_row[k];

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

void
audit_split(DcAudit *audit)
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

	/* number the components, and list the unknowns of each */
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
		audit->position[v] = comp->nfree;
		comp->vars[comp->nfree++] = v;
	}

	/* the rows of each component: those with a free unknown */
	audit->row_free = palloc0(Max(sys->nrows, 1) * sizeof(int));
	for (int r = 0; r < sys->nrows; r++)
	{
		row_comp[r] = -1;
		for (int t = sys->row_start[r]; t < sys->row_start[r + 1]; t++)
		{
			int			c = audit->component[sys->term_var[t]];

			if (c >= 0)
			{
				row_comp[r] = c;
				audit->row_free[r]++;
			}
		}
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
			comp->nineq += !sys->row_eq[r];
		}
	}
	pfree(parent);
	pfree(index);
	pfree(row_comp);
}

