/*-------------------------------------------------------------------------
 *
 * series.h
 *	  The fourth layer of disclosure control: a series of releases, as one
 *	  reader holds them all.
 *
 * Each release is a model (model.h) of the tables it showed, with what it
 * withheld.  The series numbers the unknowns of every release's groups
 * (series_unknowns.c: one unknown for a run of releases where a group's
 * count keeps its value, a *segment*), writes what the reader knows as the
 * rows of a system of the audit (series.c: the counts shown, the rules,
 * and that some counts never go down), finds the *flows* (the change of a
 * count between two releases) and the *classes* of counts that add up the
 * same unknowns in several releases (series_flows.c), and keeps the
 * points that proved releases safe from one refresh to the next
 * (series_proof.c).
 *
 *-------------------------------------------------------------------------
 */
#ifndef ARRIMA_SERIES_H
#define ARRIMA_SERIES_H

#include "utils/date.h"

#include "audit.h"
#include "model.h"

typedef struct DcRelease
{
	int32		release_id;
	DateADT		as_of;
	int			min_count;
	DcModel    *model;
	bool	   *withheld;		/* per quantity of the model */
	/* per quantity, the interval published with it when withheld (NULL: the
	 * release publishes none, as before 0.6.0) */
	bool	   *has_interval;
	int64	   *lower;
	int64	   *upper;			/* -1: unbounded */
	int		   *var;			/* per group and unknown: the series' unknown */
	int		   *invitations;	/* per group: the segment of its invitations */
	int		   *class;			/* per quantity: its class in the series */
} DcRelease;

/* The change of a published count between two releases of the series */
typedef struct DcFlow
{
	int			since;			/* the earlier release, in series order */
	int			since_quantity;
	int			release;		/* the later */
	int			quantity;
	int			cell;			/* the cell of the later release it is named by */
	int64		value;			/* later minus earlier */
	int			min_count;		/* of the later-made release: it answers
								 * for the flow */
} DcFlow;

typedef struct DcSeries
{
	int			nreleases;
	DcRelease  *releases;		/* in the order of as_of, then release_id */
	int			nvars;			/* the unknowns, one per segment */
	int64	   *truth;
	const DcGroup **var_group;	/* the group an unknown belongs to ... */
	int		   *var_unknown;	/* ... which of its twelve it is ... */
	int32	   *var_since;		/* ... and the release its segment starts at */
	DcSystem   *fixed;			/* the rows that do not depend on withheld */
	int			nflows;
	DcFlow	   *flows;
	/* classes of quantities that add up the same unknowns */
	int			nclasses;
	int		   *class_start;	/* nclasses + 1, into: */
	int		   *class_release;
	int		   *class_quantity;
	/*
	 * Whether its systems hold the intervals published with withheld counts
	 * (true but while the withholding of the latest release is chosen:
	 * suppress.c)
	 */
	bool		intervals_known;
	/* points for its audits, and the unknowns by key to offer points to */
	DcPoints   *pool;
	struct HTAB *unknowns;
} DcSeries;

#define DC_SERIES_POINTS	8192	/* the most points a series keeps */

/*
 * The most unknowns a point kept for the next refresh changes (what a
 * neighbourhood's program moves, audit_near.c).  A vertex of a whole
 * component's program changes nearly all of them: the next release's rows,
 * over the unknowns that did not change since, hardly ever keep it (over
 * the demo's weekly releases, storing them saved nothing), and a year of
 * releases would write megabytes of them at every refresh.
 */
#define DC_PROOF_CHANGES	256

/* series.c */
extern DcSeries *dc_series_build(int nreleases, DcRelease *releases);
extern int	dc_series_find(const DcSeries *series, int32 release_id);
extern DcSystem *dc_series_system(const DcSeries *series);

/* series_unknowns.c */
extern void dc_series_number_unknowns(DcSeries *series);
extern int	dc_series_quantity_vars(const DcSeries *series, int r, int q,
									int *vars);

/* series_flows.c: the flows, and the counts several releases show */
extern void dc_find_flows(DcSeries *series);
extern int	dc_flow_form(const DcSeries *series, const DcFlow *flow, int *vars,
						 int *coefs);
extern void dc_find_classes(DcSeries *series);
extern bool dc_series_shown_elsewhere(const DcSeries *series, int r, int q,
									  bool made_before, int except);
extern bool dc_series_withheld_elsewhere(const DcSeries *series, int r, int q);

/* series_proof.c: points kept from one refresh to the next */
extern void dc_unknown_key(const DcSeries *series, int v, int32 *round_id,
						   bool *has_year, int32 *year, int16 *unknown,
						   int32 *since);
extern void dc_series_offer_point(DcSeries *series, int n, const int32 *round_id,
								  const bool *has_year, const int32 *year,
								  const int16 *unknown, const int32 *since,
								  const double *changes, int32 id);

#endif							/* ARRIMA_SERIES_H */
