/*-------------------------------------------------------------------------
 *
 * items.h
 *	  The fifth layer of disclosure control: what must stay protected in a
 *	  series of releases (series.h), and how far a reader narrows it.
 *
 * An *item* is a withheld count of a release, or a flow between two
 * releases (series_flows.c) of 1 to min_count - 1 events either way.  Each
 * must keep what a reader of every release derives of it at least
 * dc_safe_width(min_count) wide: the one place the threshold is written.
 * items.c lists the items of a series, writes each as a form of the
 * series' unknowns, names it for messages, and bounds them with the audit
 * (audit.h).
 *
 *-------------------------------------------------------------------------
 */
#ifndef ARRIMA_ITEMS_H
#define ARRIMA_ITEMS_H

#include "lib/stringinfo.h"

#include "series.h"

/* What must stay protected: a withheld count, or a flow */
typedef struct DcItem
{
	int			release;		/* of the count; the later of a flow */
	int			quantity;
	int			flow;			/* into DcSeries.flows; -1 for a count */
} DcItem;

/*
 * The safety threshold: the least width, under a policy's min_count, of
 * what a reader can derive of a protected count or flow (its bounds,
 * rounded inward to integers): min_count - 1.  A count of 1 to
 * min_count - 1 is then never pinned down to where it is small.
 */
static inline int
dc_safe_width(int min_count)
{
	return min_count - 1;
}

extern int	dc_items_collect(const DcSeries *series, DcItem **items);
extern int	dc_item_form(const DcSeries *series, const DcItem *item, int *vars,
						 int *coefs, int64 *value, int *need);
extern void dc_item_name(const DcSeries *series, const DcItem *item,
						 StringInfo buf);
extern int	dc_items_audit(const DcSeries *series, DcPoints *pool,
						   int nitems, const DcItem *items, const bool *which,
						   DcAuditMode mode, bool first, DcBounds *bounds);

#endif							/* ARRIMA_ITEMS_H */
