/*-------------------------------------------------------------------------
 *
 * suppress_complements.c
 *	  The choices of the search for complements (suppress.c):
 *	  which count to withhold next, and which complements must be released
 *	  together.
 *
 * A complement is not zero (zeros are published, and an attacker may well
 * know them for structural), but as the last resort of
 * dc_complement_anywhere() when only a zero can protect a change, nor a
 * figure the ministry published itself.  The headline figures (the
 * invitations of the total row and of each year) are candidates only when
 * nothing else is (headline_too).  Among the candidates, the cheapest: its
 * value, times one plus the number of its other relations it would be the
 * first withheld count of (each of which will need one more).
 *
 * Step 1 of the search is dc_local_rules(); step 2 takes a complement from
 * dc_complement_for(), else dc_complement_anywhere(), and for an item of
 * another release from dc_complement_elsewhere(); step 4 releases a
 * complement with what dc_release_closure() takes along.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"

#include "suppress.h"

/*
 * Whether p may be withheld as a complement (headline figures only when
 * headline_too: they are the last resort)
 */
static inline bool
may_complement(const DcModel *model, const bool *eligible, const bool *withheld,
			   int p, bool headline_too)
{
	return !withheld[p] && eligible[p] &&
		(headline_too || !model->quantities[p].headline);
}

/* What withholding p costs, as a complement within relation rel */
static double
complement_cost(const DcModel *model, const bool *withheld, int p, int rel)
{
	int			fresh = 0;

	for (int i = 0; i < model->nmember_of[p]; i++)
	{
		const DcRelation *r = &model->relations[model->member_of[p][i]];
		bool		any = withheld[r->parent];

		if (model->member_of[p][i] == rel)
			continue;
		for (int k = 0; k < r->nchildren && !any; k++)
			any = withheld[r->children[k]];
		fresh += !any;
	}
	return (double) model->quantities[p].value * (1 + fresh);
}

/*
 * The cheapest count of relation rel that may still be withheld (children
 * only, if children_only), or -1.
 */
static int
cheapest_in(const DcModel *model, const bool *eligible, const bool *withheld,
			int rel, bool children_only, bool headline_too, double *cost)
{
	const DcRelation *r = &model->relations[rel];
	int			best = -1;

	for (int k = children_only ? 0 : -1; k < r->nchildren; k++)
	{
		int			p = k < 0 ? r->parent : r->children[k];
		double		c;

		if (!may_complement(model, eligible, withheld, p, headline_too))
			continue;
		c = complement_cost(model, withheld, p, rel);
		if (best < 0 || c < *cost)
		{
			best = p;
			*cost = c;
		}
	}
	return best;
}

/* How a relation gives its withheld members away */
typedef enum Exposure
{
	EXPOSED_NOT,				/* none withheld, or enough */
	EXPOSED_LONE,				/* one alone: pinned exactly */
	EXPOSED_TOO_LITTLE			/* children withheld under a published parent
								 * add up to less than min_count - 1: each is
								 * at most their sum */
} Exposure;

/* How relation rel exposes its withheld members; *lone: the lone one */
static Exposure
relation_exposure(const DcModel *model, const bool *withheld, int min_count,
				  int rel, int *lone)
{
	const DcRelation *r = &model->relations[rel];
	int			nwithheld = 0;
	int64		children_withheld = 0;

	if (withheld[r->parent])
	{
		nwithheld++;
		*lone = r->parent;
	}
	for (int k = 0; k < r->nchildren; k++)
	{
		if (withheld[r->children[k]])
		{
			nwithheld++;
			*lone = r->children[k];
			children_withheld += model->quantities[r->children[k]].value;
		}
	}
	if (nwithheld == 1)
		return EXPOSED_LONE;
	if (nwithheld > 1 && !withheld[r->parent] &&
		children_withheld < dc_safe_width(min_count))
		return EXPOSED_TOO_LITTLE;
	return EXPOSED_NOT;
}

/* Step 1: until no relation has a lone withheld member or too little */
void
dc_local_rules(const DcModel *model, const bool *eligible, int min_count,
			   bool *withheld)
{
	bool		changed = true;

	while (changed)
	{
		changed = false;
		CHECK_FOR_INTERRUPTS();
		for (int rel = 0; rel < model->nrelations; rel++)
		{
			int			lone;
			Exposure	exposure = relation_exposure(model, withheld, min_count,
													 rel, &lone);
			double		cost;
			int			p;

			if (exposure == EXPOSED_NOT)
				continue;
			/* one more member; a child, if the parent is not what is missing */
			p = cheapest_in(model, eligible, withheld, rel,
							exposure == EXPOSED_TOO_LITTLE, false, &cost);
			if (p < 0)
				p = cheapest_in(model, eligible, withheld, rel,
								exposure == EXPOSED_TOO_LITTLE, true, &cost);
			if (p >= 0)
			{
				withheld[p] = true;
				changed = true;
			}
		}
	}
}

/* The k-th unknown of a rule: its larger side, then its smaller */
static inline int
rule_var(const DcRule *rule, int k)
{
	return k < rule->nplus ? rule->plus[k] : rule->minus[k - rule->nplus];
}

/*
 * The cheapest count that may still be withheld among those rule r of the
 * contract links to quantity q in its own set of groups, or -1 (also when
 * the rule does not involve q).
 */
static int
cheapest_in_rule(const DcModel *model, const bool *eligible,
				 const bool *withheld, int q, int r, bool headline_too,
				 double *cost)
{
	const DcQuantity *quantity = &model->quantities[q];
	const DcRule *rule = &dc_rules[r];
	const int  *sq = &model->set_quantity[quantity->set * DC_NMEASURES];
	int			vars[DC_NVARS];
	int			nvars = dc_measure_vars(quantity->measure, vars);
	bool		involved = false;
	int			best = -1;

	for (int i = 0; i < nvars && !involved; i++)
		for (int k = 0; k < rule->nplus + rule->nminus && !involved; k++)
			involved = vars[i] == rule_var(rule, k);
	if (!involved)
		return -1;

	for (int k = 0; k < rule->nplus + rule->nminus; k++)
	{
		int			p = sq[DC_MEASURE_OF_VAR(rule_var(rule, k))];
		double		c;

		if (p < 0 || !may_complement(model, eligible, withheld, p, headline_too))
			continue;
		c = complement_cost(model, withheld, p, -1);
		if (best < 0 || c < *cost)
		{
			best = p;
			*cost = c;
		}
	}
	return best;
}

/*
 * Step 2: a complement for quantity q: the cheapest in the relations and
 * rules of q not yet tried on its behalf (tried: relation numbers, then
 * nrelations + rule number), which is then marked tried; else the cheapest
 * in the relations of the withheld counts those reach, breadth first.  -1
 * if there is none at all.
 */
int
dc_complement_for(const DcModel *model, const bool *eligible,
				  const bool *withheld, int q, Bitmapset **tried,
				  bool headline_too)
{
	int		   *queue;
	bool	   *seen;
	int			head = 0;
	int			tail = 0;
	int			best = -1;
	int			best_tried = -1;
	double		best_cost = 0.0;
	double		cost;

	for (int i = 0; i < model->nmember_of[q]; i++)
	{
		int			rel = model->member_of[q][i];
		int			p;

		if (bms_is_member(rel, *tried))
			continue;
		p = cheapest_in(model, eligible, withheld, rel, false, headline_too, &cost);
		if (p >= 0 && (best < 0 || cost < best_cost))
		{
			best = p;
			best_cost = cost;
			best_tried = rel;
		}
	}
	for (int r = 0; r < DC_NRULES; r++)
	{
		int			p;

		if (bms_is_member(model->nrelations + r, *tried))
			continue;
		p = cheapest_in_rule(model, eligible, withheld, q, r, headline_too, &cost);
		if (p >= 0 && (best < 0 || cost < best_cost))
		{
			best = p;
			best_cost = cost;
			best_tried = model->nrelations + r;
		}
	}
	if (best >= 0)
	{
		*tried = bms_add_member(*tried, best_tried);
		return best;
	}

	queue = palloc(model->nquantities * sizeof(int));
	seen = palloc0(model->nquantities * sizeof(bool));
	queue[tail++] = q;
	seen[q] = true;
	while (head < tail && best < 0)
	{
		int			layer_end = tail;

		for (; head < layer_end; head++)
		{
			int			x = queue[head];

			CHECK_FOR_INTERRUPTS();

			for (int i = 0; i < model->nmember_of[x]; i++)
			{
				int			rel = model->member_of[x][i];
				const DcRelation *r = &model->relations[rel];
				int			p = cheapest_in(model, eligible, withheld, rel, false,
											headline_too, &cost);

				if (p >= 0 && (best < 0 || cost < best_cost))
				{
					best = p;
					best_cost = cost;
				}
				for (int k = -1; k < r->nchildren; k++)
				{
					int			y = k < 0 ? r->parent : r->children[k];

					if (withheld[y] && !seen[y])
					{
						seen[y] = true;
						queue[tail++] = y;
					}
				}
			}
		}
	}
	pfree(queue);
	pfree(seen);
	return best;
}

/*
 * The last resort for quantity q when its relations and rules offer
 * nothing: the cheapest count that may still be withheld among those that
 * share invitations with it, else among all; else (a change since another
 * release that only a zero gives away) a zero no release shows already.
 * Withholding every count there is ends the search.  -1 if there is none.
 */
int
dc_complement_anywhere(const DcModel *model, const bool *eligible,
					   const bool *withheld, const bool *known, int q,
					   bool headline_too)
{
	const Bitmapset *set = model->sets[model->quantities[q].set];
	int			best = -1;
	bool		best_near = false;
	double		best_cost = 0.0;

	for (int pass = 0; pass < 2 && best < 0; pass++)
	{
		CHECK_FOR_INTERRUPTS();
		for (int p = 0; p < model->nquantities; p++)
		{
			bool		near;
			double		cost;

			if (pass == 0 ? !may_complement(model, eligible, withheld, p, headline_too) :
				(withheld[p] || model->quantities[p].value != 0 || known[p]))
				continue;
			near = bms_overlap(set, model->sets[model->quantities[p].set]);
			cost = complement_cost(model, withheld, p, -1);
			if (best < 0 || (near && !best_near) ||
				(near == best_near && cost < best_cost))
			{
				best = p;
				best_near = near;
				best_cost = cost;
			}
		}
	}
	return best;
}

/*
 * Whether release target's quantity q covers unknown k of group g of
 * another release (the same round and year)
 */
static bool
covers(const DcModel *model, int q, int g, int k)
{
	const DcQuantity *quantity = &model->quantities[q];
	int			vars[DC_NVARS];
	int			nvars;

	if (!bms_is_member(g, model->sets[quantity->set]))
		return false;
	nvars = dc_measure_vars(quantity->measure, vars);
	for (int i = 0; i < nvars; i++)
		if (vars[i] == k)
			return true;
	return false;
}

/*
 * A count of release target to withhold for an item of another release
 * that target's tables narrow: of the shown counts that cover unknowns of
 * the item, one covering the most of them, the cheapest of those; -1 if
 * there is none.
 */
int
dc_complement_elsewhere(const DcSeries *series, int target,
						const bool *eligible, const DcItem *item)
{
	const DcModel *model = series->releases[target].model;
	const bool *withheld = series->releases[target].withheld;
	int		   *vars = palloc(Max(2 * series->nvars, 2) * sizeof(int));
	int		   *coefs = palloc(Max(2 * series->nvars, 2) * sizeof(int));
	int		   *score = palloc0(Max(model->nquantities, 1) * sizeof(int));
	int64		value;
	int			need;
	int			n = dc_item_form(series, item, vars, coefs, &value, &need);
	int			best = -1;
	double		best_cost = 0.0;

	for (int i = 0; i < n; i++)
	{
		const DcGroup *group = series->var_group[vars[i]];
		int			g;

		CHECK_FOR_INTERRUPTS();
		/* the same round and year in target */
		for (g = 0; g < model->ngroups; g++)
			if (model->groups[g].round_id == group->round_id &&
				model->groups[g].has_year == group->has_year &&
				model->groups[g].year == group->year)
				break;
		if (g == model->ngroups)
			continue;
		for (int q = 0; q < model->nquantities; q++)
			if (may_complement(model, eligible, withheld, q, true) &&
				covers(model, q, g, series->var_unknown[vars[i]]))
				score[q]++;
	}
	for (int q = 0; q < model->nquantities; q++)
	{
		double		cost;

		if (score[q] == 0)
			continue;
		cost = complement_cost(model, withheld, q, -1);
		if (best < 0 ||
			(model->quantities[best].headline && !model->quantities[q].headline) ||
			(model->quantities[best].headline == model->quantities[q].headline &&
			 (score[q] > score[best] ||
			  (score[q] == score[best] && cost < best_cost))))
		{
			best = q;
			best_cost = cost;
		}
	}
	pfree(vars);
	pfree(coefs);
	pfree(score);
	return best;
}

/*
 * Release p, and with it every complement a relation of the released counts
 * would otherwise be left with as its lone withheld count (a total row's
 * last two withheld outcomes go together), at most DC_RELEASE_TOGETHER in
 * all.  Returns how many were released, into set[]; 0, and nothing
 * released, when that leaves a count that must be withheld (forced[]) alone
 * in a relation, or too little withheld under a published parent.
 */
int
dc_release_closure(const DcModel *model, int min_count, bool *withheld,
				   const bool *forced, int p, int *set)
{
	int			n = 0;
	bool		changed = true;

	set[n++] = p;
	withheld[p] = false;
	while (changed)
	{
		changed = false;
		for (int i = 0; i < n; i++)
		{
			for (int j = 0; j < model->nmember_of[set[i]]; j++)
			{
				int			lone;
				Exposure	exposure = relation_exposure(model, withheld, min_count,
														 model->member_of[set[i]][j],
														 &lone);

				if (exposure == EXPOSED_TOO_LITTLE)
					goto refuse;
				if (exposure == EXPOSED_LONE)
				{
					if (forced[lone] || n == DC_RELEASE_TOGETHER)
						goto refuse;
					set[n++] = lone;
					withheld[lone] = false;
					changed = true;
				}
			}
		}
	}
	return n;

refuse:
	for (int i = 0; i < n; i++)
		withheld[set[i]] = true;
	return 0;
}
