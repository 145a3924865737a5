/*-------------------------------------------------------------------------
 *
 * suppress.h
 *	  The sixth layer of disclosure control: the withholding.  Which counts
 *	  a release withholds, given the releases kept before it: the small
 *	  ones, then complements until the audit of every item (items.h) proves
 *	  them safe, then back whichever complements are not needed.
 *
 * suppress.c runs the search; suppress_complements.c makes its choices
 * (which count to withhold next, which to release together).  What may be
 * withheld as a complement is the model's eligibility (DcQuantity.eligible)
 * less the counts another release shows: the search keeps that in an
 * array of its own and never writes into the model.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ARRIMA_SUPPRESS_H
#define ARRIMA_SUPPRESS_H

#include "items.h"

/* suppress.c */
extern void dc_suppress(DcModel *model, int min_count, bool *withheld);
extern void dc_series_suppress(DcSeries *series, int target);

/* suppress_complements.c */
#define DC_RELEASE_TOGETHER	4	/* the most complements released together */

extern void dc_local_rules(const DcModel *model, const bool *eligible,
						   int min_count, bool *withheld);
extern int	dc_complement_for(const DcModel *model, const bool *eligible,
							  const bool *withheld, int q, Bitmapset **tried,
							  bool headline_too);
extern int	dc_complement_anywhere(const DcModel *model, const bool *eligible,
								   const bool *withheld, const bool *known,
								   int q, bool headline_too);
extern int	dc_complement_elsewhere(const DcSeries *series, int target,
									const bool *eligible, const DcItem *item);
extern int	dc_release_closure(const DcModel *model, int min_count,
							   bool *withheld, const bool *forced, int p,
							   int *set);

#endif							/* ARRIMA_SUPPRESS_H */
