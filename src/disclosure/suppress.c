/*-------------------------------------------------------------------------
 *
 * suppress.c
 *	  Which counts to withhold: the small ones (primary), then enough others
 *	  (complementary, or secondary) that the audit finds every withheld
 *	  count safe, then back whichever complements turn out not to be needed.
 *
 * Complements are chosen greedily, the audit of the items (items.h)
 * deciding when enough is enough:
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
 * Which count each step withholds or releases is chosen in
 * suppress_complements.c.  Withholding every non-zero count is always safe
 * (any multiple of the true tables fits what is left, so nothing has an
 * upper bound): the loop ends.
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

#include <math.h>

#include "miscadmin.h"

#include "suppress.h"

/*
 * The most audits spent on releasing complements: of one release alone,
 * and of a release after others (whose audits cost more, and where most
 * complements turn out needed: they protect what earlier releases showed)
 */
#define DC_RELEASE_AUDITS	200
#define DC_RELEASE_AUDITS_SERIES	4

/* Slack when rounding a bound outward: no closer to an integer is one */
#define EPS_INTERVAL	1e-7

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
	int			nitems = dc_items_collect(series, &items);
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
	safe = dc_items_audit(series, pool, nitems, items, which, DC_PROVE, true, bounds) < 0;
	pfree(items);
	pfree(which);
	pfree(bounds);
	pfree(vars);
	pfree(coefs);
	return safe;
}

/*
 * Which counts of release target may be withheld as complements
 * (eligible[]): the model's eligible counts, less those another release
 * shows unchanged (known[]: withholding one protects nothing), closed over
 * the relations given what is withheld so far.  Worked out again when the
 * search withholds a count that was not eligible (a zero, as a last resort;
 * a count a flow forces): a relation's one eligible member, known while the
 * others were, may now protect it.
 */
static void
series_eligibility(const DcModel *model, const bool *known,
				   const bool *withheld, bool *eligible)
{
	for (int q = 0; q < model->nquantities; q++)
		eligible[q] = model->quantities[q].eligible && !known[q];
	dc_close_eligibility(model, withheld, eligible);
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
		nset = dc_release_closure(model, min_count, withheld, forced, order[i], set);
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
 * The intervals release target publishes with its withheld counts: what a
 * reader of every release derives of each, the exact bounds of the linear
 * program over everything published, rounded outward where one is not an
 * integer (the audit's own verdicts round inward: a reader may do as
 * much).  So each interval is implied by the figures published with it:
 * published, it tells a reader of the linear bounds nothing more, and stays
 * implied as later releases add to what readers hold.
 */
static void
series_intervals(DcSeries *series, int target, DcPoints *pool)
{
	DcRelease  *rel = &series->releases[target];
	int			nitems = 0;
	DcItem	   *items = palloc(Max(rel->model->nquantities, 1) * sizeof(DcItem));
	DcBounds   *bounds;

	for (int q = 0; q < rel->model->nquantities; q++)
	{
		rel->has_interval[q] = false;
		if (!rel->withheld[q])
			continue;
		items[nitems].release = target;
		items[nitems].quantity = q;
		items[nitems++].flow = -1;
	}
	bounds = palloc(Max(nitems, 1) * sizeof(DcBounds));
	dc_items_audit(series, pool, nitems, items, NULL, DC_EXACT, false, bounds);
	for (int i = 0; i < nitems; i++)
	{
		int			q = items[i].quantity;
		const DcBounds *b = &bounds[i];

		rel->has_interval[q] = true;
		rel->lower[q] = (int64) Max(floor(b->least + EPS_INTERVAL), 0.0);
		rel->upper[q] = isinf(b->greatest) ? -1 : (int64) ceil(b->greatest - EPS_INTERVAL);
	}
	pfree(items);
	pfree(bounds);
}

/*
 * Decide which quantities release target withholds (its withheld[]), given
 * what the other releases of the series show.
 */
void
dc_series_suppress(DcSeries *series, int target)
{
	DcRelease  *rel = &series->releases[target];
	const DcModel *model = rel->model;
	int			min_count = rel->min_count;
	bool	   *withheld = rel->withheld;
	bool	   *forced = palloc0(Max(model->nquantities, 1) * sizeof(bool));
	bool	   *known = palloc0(Max(model->nquantities, 1) * sizeof(bool));
	bool	   *eligible = palloc(Max(model->nquantities, 1) * sizeof(bool));
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
	bool		reclose = false;

	(void) dc_audit_stats(true);

	/*
	 * Each interval a kept release published was implied by what readers
	 * held then (series_intervals), and still is while nothing is put
	 * between the releases it was audited with: their rows would only cost
	 * the audits time.  The last gate audits with all of them.
	 */
	series->intervals_known = target < series->nreleases - 1;

	/*
	 * Primary: the small counts; and a count another release withholds
	 * unchanged (the same unknowns), which showing here would give away.
	 * A count another release shows unchanged is known: withholding it
	 * protects nothing, so it is no complement (eligible[]: the model's
	 * eligibility, less what the other releases show).
	 */
	for (int q = 0; q < model->nquantities; q++)
	{
		int64		v = model->quantities[q].value;

		known[q] = dc_series_shown_elsewhere(series, target, q, false, -1);
		withheld[q] = forced[q] = (v >= 1 && v < min_count) ||
			(!known[q] && dc_series_withheld_elsewhere(series, target, q));
		any |= withheld[q];
	}
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
	series_eligibility(model, known, withheld, eligible);
	for (int r = 0; r < series->nreleases; r++)
	{
		proven[r] = palloc0(Max(series->releases[r].model->nquantities, 1) * sizeof(bool));
		for (int q = 0; q < series->releases[r].model->nquantities; q++)
			any |= r != target && series->releases[r].withheld[q];
	}
	if (!any)
	{
		series->intervals_known = true;
		return;
	}

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

		CHECK_FOR_INTERRUPTS();
		if (reclose)
			series_eligibility(model, known, withheld, eligible);
		reclose = false;

		/*
		 * Withholding more only widens what a reader can derive: an item once
		 * proven safe stays safe, so only the others are audited again.
		 */
		dc_local_rules(model, eligible, min_count, withheld);
		nitems = dc_items_collect(series, &items);
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
		dc_items_audit(series, pool, nitems, items, audited, mode, false, bounds);

		memset(touched, 0, Max(model->nrelations, 1) * sizeof(bool));
		for (int i = 0; i < nitems; i++)
		{
			const DcItem *item = &items[i];
			bool		skip = false;
			int			q = -1;
			int			p;

			if (!audited[i])
				continue;
			CHECK_FOR_INTERRUPTS();
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
				reclose |= !eligible[q];
				added++;
				continue;
			}
			if (q < 0)
			{
				/* an item of other releases that target's tables narrow */
				p = dc_complement_elsewhere(series, target, eligible, item);
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
			p = dc_complement_for(model, eligible, withheld, q, &tried[q], false);
			if (p < 0)
				p = dc_complement_anywhere(model, eligible, withheld, known, q, false);
			if (p < 0)
				p = dc_complement_for(model, eligible, withheld, q, &tried[q], true);
			if (p < 0)
				p = dc_complement_anywhere(model, eligible, withheld, known, q, true);
			if (p < 0)
				continue;
			withheld[p] = true;
			reclose |= !eligible[p];
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
	dc_audit_stats_log("search", false);
	release_complements(series, pool, target, forced);
	dc_audit_stats_log("with release (before intervals)", false);
	if (rel->has_interval != NULL)
		series_intervals(series, target, pool);
	series->intervals_known = true;
	dc_audit_stats_log("with release", true);

	for (int q = 0; q < model->nquantities; q++)
		bms_free(tried[q]);
	pfree(tried);
	pfree(forced);
	pfree(eligible);
	pfree(flow_proven);
	pfree(touched);
}

/*
 * Decide which quantities to withhold (withheld[], one per quantity) under a
 * minimum count: one release alone.
 */
void
dc_suppress(DcModel *model, int min_count, bool *withheld)
{
	DcRelease  *release = palloc0(sizeof(DcRelease));
	DcSeries   *series;

	release->model = model;
	release->min_count = min_count;
	release->withheld = withheld;
	series = dc_series_build(1, release);
	dc_series_suppress(series, 0);
}
