/*-------------------------------------------------------------------------
 *
 * audit_system.c
 *	  What a reader knows, as a system of linear rows over non-negative
 *	  integer unknowns: equations (a published count is the sum of its
 *	  unknowns) and inequalities (the rules every invitation keeps; a count
 *	  never goes down from one release to a later one).
 *
 * A system is built row by row.  The terms of a row are added up (an
 * unknown may come twice, coefficients may cancel); identical rows are
 * kept once, since a series of releases repeats most of its rows.  Every
 * unknown has a true value, and the true values keep every row.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "common/hashfn.h"

#include "audit.h"

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

/*
 * Say that a system's rows chain many copies of its unknowns (the releases
 * of a series): its programs past the dense tableau's rows go to Clp.
 */
void
dc_system_set_chained(DcSystem *sys, bool chained)
{
	sys->chained = chained;
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

