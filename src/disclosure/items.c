/*-------------------------------------------------------------------------
 *
 * items.c
 *	  What must stay protected in a series of releases (items.h): the
 *	  *items*, each as a form of the series' unknowns, and how far a reader
 *	  of every release narrows them (the audit, audit.h).
 *
 * The items: every withheld count of every release, and every flow
 * (series_flows.c), each at least dc_safe_width(min_count) wide.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"
#include "utils/memutils.h"

#include "items.h"

/* What an item is, for a message: "the selected of round_dashboard row 7 in release 3" */
void
dc_item_name(const DcSeries *series, const DcItem *item, StringInfo buf)
{
	const DcRelease *rel = &series->releases[item->release];
	const DcModel *model = rel->model;
	const DcQuantity *quantity = &model->quantities[item->quantity];

	/* a cell showing the quantity, to name it */
	for (int c = 0; c < model->ncells; c++)
	{
		if (model->cells[c].quantity != item->quantity)
			continue;
		appendStringInfo(buf, "the %s of %s row %s",
						 dc_measure_names[quantity->measure],
						 dc_table_names[model->rows[model->cells[c].row].table],
						 dc_row_key(model, &model->rows[model->cells[c].row]));
		break;
	}
	if (series->nreleases > 1)
		appendStringInfo(buf, " in release %d", rel->release_id);
	if (item->flow >= 0)
		appendStringInfo(buf, " (its change since release %d)",
						 series->releases[series->flows[item->flow].since].release_id);
}

/*
 * Every item of the series into *items: the withheld quantities of every
 * release, in series order, then the flows.  Returns how many.
 */
int
dc_items_collect(const DcSeries *series, DcItem **items)
{
	int			n = series->nflows;
	int			k = 0;

	for (int r = 0; r < series->nreleases; r++)
		for (int q = 0; q < series->releases[r].model->nquantities; q++)
			n += series->releases[r].withheld[q];
	*items = palloc(Max(n, 1) * sizeof(DcItem));
	for (int r = 0; r < series->nreleases; r++)
	{
		CHECK_FOR_INTERRUPTS();
		for (int q = 0; q < series->releases[r].model->nquantities; q++)
		{
			/*
			 * A count a release made before showed, unchanged, was public
			 * before this release withheld it (under a stricter policy):
			 * nothing this release does can protect it.
			 */
			if (!series->releases[r].withheld[q] ||
				dc_series_shown_elsewhere(series, r, q, true, -1))
				continue;
			(*items)[k].release = r;
			(*items)[k].quantity = q;
			(*items)[k++].flow = -1;
		}
	}
	for (int f = 0; f < series->nflows; f++)
	{
		(*items)[k].release = series->flows[f].release;
		(*items)[k].quantity = series->flows[f].quantity;
		(*items)[k++].flow = f;
	}
	return k;
}

/*
 * The form of an item into vars[] and coefs[] (room for twice the largest
 * quantity), its true value and the width it needs; returns its length.
 */
int
dc_item_form(const DcSeries *series, const DcItem *item, int *vars, int *coefs,
			 int64 *value, int *need)
{
	const DcRelease *rel = &series->releases[item->release];
	int			n;

	if (item->flow >= 0)
	{
		const DcFlow *flow = &series->flows[item->flow];

		*value = flow->value;
		*need = dc_safe_width(flow->min_count);
		return dc_flow_form(series, flow, vars, coefs);
	}
	*value = rel->model->quantities[item->quantity].value;
	*need = dc_safe_width(rel->min_count);
	n = dc_series_quantity_vars(series, item->release, item->quantity, vars);
	for (int i = 0; i < n; i++)
		coefs[i] = 1;
	return n;
}

/*
 * Bound items of a series as a reader of every release could: those which[]
 * marks (all if NULL), into bounds[] (one per item), as mode asks
 * (dc_audit_form).  pool, if not NULL, keeps points from one audit of the
 * series to the next.  Returns the index of an item that cannot be shown
 * safe (the first, with first: the audit stops there), or -1.
 */
int
dc_items_audit(const DcSeries *series, DcPoints *pool, int nitems,
			   const DcItem *items, const bool *which, DcAuditMode mode,
			   bool first, DcBounds *bounds)
{
	MemoryContext cxt = AllocSetContextCreate(CurrentMemoryContext,
											  "disclosure audit of a series",
											  ALLOCSET_DEFAULT_SIZES);
	MemoryContext old = MemoryContextSwitchTo(cxt);
	DcAudit    *audit = dc_audit_begin(dc_series_system(series), pool);
	int		   *vars = palloc(Max(2 * series->nvars, 2) * sizeof(int));
	int		   *coefs = palloc(Max(2 * series->nvars, 2) * sizeof(int));
	int			unsafe = -1;

	for (int i = 0; i < nitems && (unsafe < 0 || !first); i++)
	{
		int64		value;
		int			need;
		int			n;

		if (which != NULL && !which[i])
			continue;
		CHECK_FOR_INTERRUPTS();
		n = dc_item_form(series, &items[i], vars, coefs, &value, &need);
		dc_audit_form(audit, n, vars, coefs, value, need, mode, &bounds[i]);
		if (!bounds[i].safe && unsafe < 0)
			unsafe = i;
	}
	MemoryContextSwitchTo(old);
	MemoryContextDelete(cxt);
	return unsafe;
}
