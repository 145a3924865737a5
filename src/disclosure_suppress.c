/*-------------------------------------------------------------------------
 *
 * disclosure_suppress.c
 *	  Which counts to withhold: the small ones (primary), then enough others
 *	  (complementary, or secondary) that the audit finds every withheld
 *	  count safe.
 *
 * Complements are chosen greedily, the audit (disclosure_audit.c) deciding
 * when enough is enough:
 *	1. in any relation (a sum the tables reveal) a lone withheld count is
 *	   pinned exactly, and children withheld under a published parent can
 *	   together be no more than their sum: so such a relation gets one more
 *	   withheld member, until none is left (cheap, no linear program);
 *	2. the audit bounds every withheld count; each one it cannot prove safe
 *	   gets one more withheld count in one of its relations, or if all of
 *	   those are withheld already, in the nearest relation reached through
 *	   withheld counts;
 *	3. and again, until the audit proves every withheld count safe.
 * A complement is never zero (zeros are published, and an attacker may
 * well know them for structural) nor a figure the ministry published
 * itself.  Among the candidates, the cheapest: its value, times one plus
 * the number of its other relations it would be the first withheld count
 * of (each of which will need one more).  Withholding every non-zero count
 * is always safe (any multiple of the true tables fits what is left, so
 * nothing has an upper bound): the loop ends.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"

#include "disclosure.h"

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
			const DcRelation *r = &model->relations[rel];
			int			nwithheld = withheld[r->parent];
			int64		children_withheld = 0;
			double		cost;
			int			p;

			for (int k = 0; k < r->nchildren; k++)
			{
				if (withheld[r->children[k]])
				{
					nwithheld++;
					children_withheld += model->quantities[r->children[k]].value;
				}
			}
			if (nwithheld == 0)
				continue;
			if (nwithheld == 1)
				p = cheapest_in(model, withheld, rel, false, &cost);
			else if (!withheld[r->parent] && children_withheld < min_count - 1)
				p = cheapest_in(model, withheld, rel, true, &cost);
			else
				continue;
			if (p >= 0)
			{
				withheld[p] = true;
				changed = true;
			}
		}
	}
}

/*
 * Step 2: a complement for quantity q: the cheapest in the relations of q,
 * else in those of the withheld counts they reach, breadth first.  -1 if
 * there is none at all.
 */
static int
complement_for(const DcModel *model, const bool *withheld, int q)
{
	int		   *queue = palloc(model->nquantities * sizeof(int));
	bool	   *seen = palloc0(model->nquantities * sizeof(bool));
	int			head = 0;
	int			tail = 0;
	int			best = -1;
	double		best_cost = 0.0;

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
				double		cost;
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
 * Decide which quantities to withhold (withheld[], one per quantity) under a
 * minimum count.
 */
void
dc_suppress(const DcModel *model, int min_count, bool *withheld)
{
	DcBounds   *bounds = palloc(Max(model->nquantities, 1) * sizeof(DcBounds));
	bool	   *audited = palloc(Max(model->nquantities, 1) * sizeof(bool));
	bool	   *touched = palloc(Max(model->nrelations, 1) * sizeof(bool));
	bool		any = false;

	for (int q = 0; q < model->nquantities; q++)
	{
		int64		v = model->quantities[q].value;

		withheld[q] = v >= 1 && v < min_count;
		any |= withheld[q];
	}
	if (!any)
		return;

	for (;;)
	{
		int			unsafe = 0;
		int			added = 0;

		local_rules(model, min_count, withheld);
		dc_audit(model, withheld, min_count, false, bounds);
		memcpy(audited, withheld, model->nquantities * sizeof(bool));
		memset(touched, 0, Max(model->nrelations, 1) * sizeof(bool));
		for (int q = 0; q < model->nquantities; q++)
		{
			bool		skip = false;
			int			p;

			if (!audited[q] || bounds[q].safe)
				continue;
			unsafe++;
			/* one complement per relation per round of audit */
			for (int i = 0; i < model->nmember_of[q] && !skip; i++)
				skip = touched[model->member_of[q][i]];
			if (skip)
				continue;
			p = complement_for(model, withheld, q);
			if (p < 0)
				continue;
			withheld[p] = true;
			added++;
			for (int i = 0; i < model->nmember_of[p]; i++)
				touched[model->member_of[p][i]] = true;
		}
		if (unsafe == 0)
			break;
		if (added == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INTERNAL_ERROR),
					 errmsg("could not protect %d withheld counts", unsafe),
					 errdetail("Every count that could be withheld is withheld, "
							   "yet the audit cannot prove them all safe.")));
	}
	pfree(bounds);
	pfree(audited);
	pfree(touched);
}
