/*-------------------------------------------------------------------------
 *
 * disclosure_suppress.c
 *	  Which counts to withhold: the small ones (primary), then enough others
 *	  (complementary, or secondary) that the audit finds every withheld
 *	  count safe, then back whichever complements turn out not to be needed.
 *
 * Complements are chosen greedily, the audit (disclosure_audit.c) deciding
 * when enough is enough:
 *	1. in any relation (a sum the tables reveal) a lone withheld count is
 *	   pinned exactly, and children withheld under a published parent can
 *	   together be no more than their sum: so such a relation gets one more
 *	   withheld member, until none is left (cheap, no linear program);
 *	2. the audit bounds the withheld counts; each one it cannot prove safe
 *	   gets one more withheld count from one of its relations or of the
 *	   rules its row keeps (notices >= cancelled files...), each of those
 *	   tried once on its behalf, cheapest first; when all have been, from
 *	   the nearest relation reached through withheld counts;
 *	3. and again, until the audit proves every withheld count safe.  Each
 *	   round audits only the counts not yet proven safe: withholding more
 *	   can only widen what a reader derives, so a proof stays valid.
 * A complement is never zero (zeros are published, and an attacker may
 * well know them for structural) nor a figure the ministry published
 * itself.  Among the candidates, the cheapest: its value, times one plus
 * the number of its other relations it would be the first withheld count
 * of (each of which will need one more).  Withholding every non-zero count
 * is always safe (any multiple of the true tables fits what is left, so
 * nothing has an upper bound): the loop ends.
 *
 * Greed overshoots: a complement chosen early may be made unneeded by later
 * ones.  So last (4.), the complements are offered back, largest first,
 * each released if the audit still proves every withheld count safe
 * without it.  One whose release would leave a relation with a lone
 * withheld count takes that count along (a total row's last two withheld
 * outcomes go together); a release that would leave a small count alone,
 * or too little withheld under a published parent, is refused without an
 * audit.  At most DC_RELEASE_AUDITS audits are spent (fewer after other
 * releases), on the largest complements: what is released is what matters
 * most to readers.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "miscadmin.h"

#include "disclosure.h"

/*
 * The most audits spent on releasing complements: of one release alone,
 * and of a release after others (whose audits cost more, and where most
 * complements turn out needed: they protect what earlier releases showed)
 */
#define DC_RELEASE_AUDITS	200
#define DC_RELEASE_AUDITS_SERIES	4
/* The most complements released together */
#define DC_RELEASE_TOGETHER 4

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
cheapest_in(const DcModel *model, const bool *withheld, int rel,
			bool children_only, double *cost)
{
	const DcRelation *r = &model->relations[rel];
	int			best = -1;

	for (int k = children_only ? 0 : -1; k < r->nchildren; k++)
	{
		int			p = k < 0 ? r->parent : r->children[k];
		double		c;

		if (withheld[p] || !model->quantities[p].eligible)
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
	if (nwithheld > 1 && !withheld[r->parent] && children_withheld < min_count - 1)
		return EXPOSED_TOO_LITTLE;
	return EXPOSED_NOT;
}

/* Step 1: until no relation has a lone withheld member or too little */
static void
local_rules(const DcModel *model, int min_count, bool *withheld)
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
			p = cheapest_in(model, withheld, rel, exposure == EXPOSED_TOO_LITTLE,
							&cost);
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
cheapest_in_rule(const DcModel *model, const bool *withheld, int q, int r,
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

		if (p < 0 || withheld[p] || !model->quantities[p].eligible)
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
static int
complement_for(const DcModel *model, const bool *withheld, int q,
			   Bitmapset **tried)
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
		p = cheapest_in(model, withheld, rel, false, &cost);
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
		p = cheapest_in_rule(model, withheld, q, r, &cost);
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

			for (int i = 0; i < model->nmember_of[x]; i++)
			{
				int			rel = model->member_of[x][i];
				const DcRelation *r = &model->relations[rel];
				int			p = cheapest_in(model, withheld, rel, false, &cost);

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
 * Release p, and with it every complement a relation of the released counts
 * would otherwise be left with as its lone withheld count (a total row's
 * last two withheld outcomes go together), at most DC_RELEASE_TOGETHER in
 * all.  Returns how many were released, into set[]; 0, and nothing
 * released, when that leaves a count that must be withheld (forced[]) alone
 * in a relation, or too little withheld under a published parent.
 */
static int
release_closure(const DcModel *model, int min_count, bool *withheld,
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

/* qsort_arg comparator: quantities by decreasing value */
static int
cmp_value_desc(const void *a, const void *b, void *arg)
{
	const DcModel *model = arg;
	int			x = *(const int *) a;
	int			y = *(const int *) b;
	int64		vx = model->quantities[x].value;
	int64		vy = model->quantities[y].value;

	if (vx != vy)
		return vx > vy ? -1 : 1;
	return (x > y) - (x < y);
}

/*
 * Whether the audit proves safe every item of the series (near NULL), or
 * every item whose form holds an unknown near[] marks; it stops at the
 * first one it cannot prove safe.
 */
static bool
series_safe(const DcSeries *series, DcPoints *pool, const bool *near)
{
	DcItem	   *items;
	int			nitems = dc_series_items(series, &items);
	bool	   *which = palloc(Max(nitems, 1) * sizeof(bool));
	DcBounds   *bounds = palloc(Max(nitems, 1) * sizeof(DcBounds));
	int		   *vars = palloc(Max(2 * series->nvars, 2) * sizeof(int));
	int		   *coefs = palloc(Max(2 * series->nvars, 2) * sizeof(int));
	bool		safe;

	for (int i = 0; i < nitems; i++)
	{
		int64		value;
		int			need;
		int			n;

		which[i] = near == NULL;
		if (near == NULL)
			continue;
		n = dc_item_form(series, &items[i], vars, coefs, &value, &need);
		for (int k = 0; k < n && !which[i]; k++)
			which[i] = near[vars[k]];
	}
	safe = dc_series_audit(series, pool, nitems, items, which, DC_PROVE, true, bounds) < 0;
	pfree(items);
	pfree(which);
	pfree(bounds);
	pfree(vars);
	pfree(coefs);
	return safe;
}

/*
 * Step 4: release the complements (withheld counts not forced) the audit
 * proves unneeded, largest first.  Releasing one publishes a count, which
 * can only narrow what a reader derives: every item is audited again; in a
 * series of releases, where there are many, those whose forms hold its
 * unknowns at once, and all of them once all releases are made (should that
 * find one unsafe, the releases are taken back, last first, until it does
 * not).
 */
static void
release_complements(const DcSeries *series, DcPoints *pool, int target,
					const bool *forced)
{
	const DcRelease *rel = &series->releases[target];
	const DcModel *model = rel->model;
	bool	   *withheld = rel->withheld;
	int			min_count = rel->min_count;
	int		   *order = palloc(Max(model->nquantities, 1) * sizeof(int));
	int		   *released = palloc(Max(model->nquantities, 1) * sizeof(int));
	bool	   *near = palloc0(Max(series->nvars, 1) * sizeof(bool));
	int		   *vars = palloc(Max(series->nvars, 1) * sizeof(int));
	int			ncomplements = 0;
	int			audits = 0;
	int			max_audits = series->nreleases > 1 ?
		DC_RELEASE_AUDITS_SERIES : DC_RELEASE_AUDITS;
	int			nreleased = 0;

	for (int q = 0; q < model->nquantities; q++)
		if (withheld[q] && !forced[q])
			order[ncomplements++] = q;
	qsort_arg(order, ncomplements, sizeof(int), cmp_value_desc, (void *) model);

	for (int i = 0; i < ncomplements && audits < max_audits; i++)
	{
		int			set[DC_RELEASE_TOGETHER];
		int			nset;

		CHECK_FOR_INTERRUPTS();
		if (!withheld[order[i]])
			continue;			/* released with an earlier one */
		nset = release_closure(model, min_count, withheld, forced, order[i], set);
		if (nset == 0)
			continue;

		/* the unknowns the released counts pin down */
		for (int m = 0; m < nset; m++)
		{
			int			n = dc_series_quantity_vars(series, target, set[m], vars);

			for (int k = 0; k < n; k++)
				near[vars[k]] = true;
		}
		audits++;
		if (!series_safe(series, pool, series->nreleases > 1 ? near : NULL))
			for (int m = 0; m < nset; m++)
				withheld[set[m]] = true;
		else
			for (int m = 0; m < nset; m++)
				released[nreleased++] = set[m];
		memset(near, 0, Max(series->nvars, 1) * sizeof(bool));
	}

	/* every item, after all; take releases back while one is unsafe */
	while (nreleased > 0 && !series_safe(series, pool, NULL))
		withheld[released[--nreleased]] = true;
	elog(DEBUG1, "disclosure: %d of %d complements released, %d audits",
		 nreleased, ncomplements, audits);
	pfree(order);
	pfree(released);
	pfree(near);
	pfree(vars);
}

/*
 * The last resort for quantity q when its relations and rules offer
 * nothing: the cheapest count that may still be withheld among those that
 * share invitations with it, else among all; else (a change since another
 * release that only a zero gives away) a zero no release shows already.
 * Withholding every count there is ends the search.  -1 if there is none.
 */
static int
complement_anywhere(const DcModel *model, const bool *withheld,
					const bool *known, int q)
{
	const Bitmapset *set = model->sets[model->quantities[q].set];
	int			best = -1;
	bool		best_near = false;
	double		best_cost = 0.0;

	for (int pass = 0; pass < 2 && best < 0; pass++)
	{
		for (int p = 0; p < model->nquantities; p++)
		{
			bool		near;
			double		cost;

			if (withheld[p] || (pass == 0 ? !model->quantities[p].eligible :
								model->quantities[p].value != 0 || known[p]))
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
static int
complement_elsewhere(const DcSeries *series, int target, const DcItem *item)
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

		/* the same round and year in target */
		for (g = 0; g < model->ngroups; g++)
			if (model->groups[g].round_id == group->round_id &&
				model->groups[g].has_year == group->has_year &&
				model->groups[g].year == group->year)
				break;
		if (g == model->ngroups)
			continue;
		for (int q = 0; q < model->nquantities; q++)
			if (!withheld[q] && model->quantities[q].eligible &&
				covers(model, q, g, series->var_unknown[vars[i]]))
				score[q]++;
	}
	for (int q = 0; q < model->nquantities; q++)
	{
		double		cost;

		if (score[q] == 0)
			continue;
		cost = complement_cost(model, withheld, q, -1);
		if (best < 0 || score[q] > score[best] ||
			(score[q] == score[best] && cost < best_cost))
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
 * Decide which quantities release target withholds (its withheld[]), given
 * what the other releases of the series show.
 */
void
dc_series_suppress(DcSeries *series, int target)
{
	DcRelease  *rel = &series->releases[target];
	DcModel    *model = rel->model;
	int			min_count = rel->min_count;
	bool	   *withheld = rel->withheld;
	bool	   *forced = palloc0(Max(model->nquantities, 1) * sizeof(bool));
	bool	   *known = palloc0(Max(model->nquantities, 1) * sizeof(bool));
	bool	  **proven = palloc(Max(series->nreleases, 1) * sizeof(bool *));
	bool	   *flow_proven = palloc0(Max(series->nflows, 1) * sizeof(bool));
	bool	   *touched = palloc(Max(model->nrelations, 1) * sizeof(bool));
	Bitmapset **tried = palloc0(Max(model->nquantities, 1) * sizeof(Bitmapset *));
	/*
	 * Points found by one audit, kept for the next: worth it for a series,
	 * where most items are proven by them; one release's audits are quick
	 * enough without.
	 */
	DcPoints   *pool = series->nreleases > 1 ? series->pool : NULL;
	bool		thorough = series->nreleases == 1;
	bool		any = false;

	/*
	 * Primary: the small counts; and a count another release withholds
	 * unchanged (the same unknowns), which showing here would give away.
	 * A count another release shows unchanged is known: withholding it
	 * protects nothing.
	 */
	for (int q = 0; q < model->nquantities; q++)
	{
		int64		v = model->quantities[q].value;

		known[q] = dc_series_shown_elsewhere(series, target, q, false, -1);
		withheld[q] = forced[q] = (v >= 1 && v < min_count) ||
			(!known[q] && dc_series_withheld_elsewhere(series, target, q));
		any |= withheld[q];
		if (known[q])
			model->quantities[q].eligible = false;
	}
	dc_close_eligibility(model);
	/* and a count whose small change another release would show exactly */
	for (int f = 0; f < series->nflows; f++)
	{
		const DcFlow *flow = &series->flows[f];
		int			other = flow->release == target ? flow->since : flow->release;
		int			other_q = flow->release == target ? flow->since_quantity : flow->quantity;
		int			q = flow->release == target ? flow->quantity : flow->since_quantity;

		if ((flow->release == target || flow->since == target) &&
			!series->releases[other].withheld[other_q])
			withheld[q] = forced[q] = true;
		any |= flow->release == target || flow->since == target;
	}
	for (int r = 0; r < series->nreleases; r++)
	{
		proven[r] = palloc0(Max(series->releases[r].model->nquantities, 1) * sizeof(bool));
		for (int q = 0; q < series->releases[r].model->nquantities; q++)
			any |= r != target && series->releases[r].withheld[q];
	}
	if (!any)
		return;

	/*
	 * Each round audits quickly (kept points and, in a large system, small
	 * programs near each item; an item not shown safe so is taken as
	 * unsafe) the items of this release, its withheld counts and the flows
	 * into or out of it; and thoroughly, once a quick round finds nothing
	 * more to withhold, every item of every release, those of the others
	 * too (which this release's counts may narrow).  More is withheld than
	 * needed at worst, and the release of complements (step 4), which audits
	 * thoroughly, gives it back.
	 */
	for (;;)
	{
		DcItem	   *items;
		int			nitems;
		bool	   *audited;
		DcBounds   *bounds;
		int			unsafe = 0;
		int			added = 0;
		int			first_unsafe = -1;
		DcAuditMode mode = thorough ? DC_PROVE : DC_QUICK;

		/*
		 * Withholding more only widens what a reader can derive: an item once
		 * proven safe stays safe, so only the others are audited again.
		 */
		local_rules(model, min_count, withheld);
		nitems = dc_series_items(series, &items);
		audited = palloc(Max(nitems, 1) * sizeof(bool));
		bounds = palloc(Max(nitems, 1) * sizeof(DcBounds));
		for (int i = 0; i < nitems; i++)
		{
			const DcItem *item = &items[i];
			bool		ours = item->release == target ||
				(item->flow >= 0 && series->flows[item->flow].since == target);

			audited[i] = (thorough || ours) &&
				(item->flow >= 0 ? !flow_proven[item->flow] :
				 !proven[item->release][item->quantity]);
		}
		dc_series_audit(series, pool, nitems, items, audited, mode, false, bounds);

		memset(touched, 0, Max(model->nrelations, 1) * sizeof(bool));
		for (int i = 0; i < nitems; i++)
		{
			const DcItem *item = &items[i];
			bool		skip = false;
			int			q = -1;
			int			p;

			if (!audited[i])
				continue;
			if (bounds[i].safe)
			{
				if (item->flow >= 0)
					flow_proven[item->flow] = true;
				else
					proven[item->release][item->quantity] = true;
				continue;
			}
			unsafe++;
			if (first_unsafe < 0)
				first_unsafe = i;

			/* the count of release target the item is about, if any */
			if (item->release == target)
				q = item->quantity;
			else if (item->flow >= 0 && series->flows[item->flow].since == target)
				q = series->flows[item->flow].since_quantity;
			if (q >= 0 && !withheld[q])
			{
				/* a flow through a count target shows: withhold it */
				withheld[q] = forced[q] = true;
				added++;
				continue;
			}
			if (q < 0)
			{
				/* an item of other releases that target's tables narrow */
				p = complement_elsewhere(series, target, item);
				if (p < 0 || withheld[p])
					continue;
				withheld[p] = true;
				added++;
				for (int k = 0; k < model->nmember_of[p]; k++)
					touched[model->member_of[p][k]] = true;
				continue;
			}
			/* one complement per relation per round of audit */
			for (int k = 0; k < model->nmember_of[q] && !skip; k++)
				skip = touched[model->member_of[q][k]];
			if (skip)
				continue;
			p = complement_for(model, withheld, q, &tried[q]);
			if (p < 0)
				p = complement_anywhere(model, withheld, known, q);
			if (p < 0)
				continue;
			withheld[p] = true;
			added++;
			for (int k = 0; k < model->nmember_of[p]; k++)
				touched[model->member_of[p][k]] = true;
		}
		elog(DEBUG1, "disclosure: %d items unsafe, %d complements added",
			 unsafe, added);
		if (unsafe > 0 && added == 0 && thorough)
		{
			StringInfoData name;

			initStringInfo(&name);
			dc_item_name(series, &items[first_unsafe], &name);
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("could not protect %d published counts", unsafe),
					 errdetail("Withholding every count that may be withheld leaves %s "
							   "narrower than min_count - 1.", name.data),
					 errhint("Publish as of a later date, when more has changed.")));
		}
		pfree(items);
		pfree(audited);
		pfree(bounds);
		if (thorough && unsafe == 0)
			break;
		/* quick rounds while they add; then every item, thoroughly */
		thorough = series->nreleases == 1 || added == 0;
	}
	{
		DcAuditStats st = dc_audit_stats(false);

		elog(DEBUG1, "disclosure: search: %d audits, %d programs (%.0f ms), %d solves (%.0f ms), %d forms (points %d, components %d)",
			 st.audits, st.programs, st.phase1_ms, st.solves, st.solve_ms, st.forms,
			 st.by_points, st.by_component);
	}
	release_complements(series, pool, target, forced);
	{
		DcAuditStats st = dc_audit_stats(true);

		elog(DEBUG1, "disclosure: with release: %d audits, %d programs (%.0f ms), %d solves (%.0f ms), %d forms (points %d, components %d)",
			 st.audits, st.programs, st.phase1_ms, st.solves, st.solve_ms, st.forms,
			 st.by_points, st.by_component);
	}

	for (int q = 0; q < model->nquantities; q++)
		bms_free(tried[q]);
	pfree(tried);
	pfree(forced);
	pfree(flow_proven);
	pfree(touched);
}

/*
 * Decide which quantities to withhold (withheld[], one per quantity) under a
 * minimum count: one release alone.
 */
void
dc_suppress(const DcModel *model, int min_count, bool *withheld)
{
	DcRelease  *release = palloc0(sizeof(DcRelease));
	DcSeries   *series;

	release->model = (DcModel *) model;
	release->min_count = min_count;
	release->withheld = withheld;
	series = dc_series_build(1, release);
	dc_series_suppress(series, 0);
}
