/*-------------------------------------------------------------------------
 *
 * disclosure.h
 *	  Disclosure control of the published tables: the model of what they
 *	  show, the audit that bounds each withheld count, and the choice of
 *	  the counts to withhold.
 *
 * The finest counts behind every published figure are those of a *group*:
 * the invitations of one round dated in one year (a round's invitations
 * nearly always share a year, but need not).  A group has twelve unknowns
 * for an attacker, its ten outcomes and its two notice grounds; every
 * published count is the sum, over a set of groups, of one *measure* (one
 * unknown, or the invitations = the ten outcomes, or the notices = both
 * grounds).  A count shown in several tables (a year of annual_summary and
 * that year's subtotal in category_summary, a round alone in its category
 * and year...) is one *quantity*, withheld everywhere or nowhere.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ARRIMA_DISCLOSURE_H
#define ARRIMA_DISCLOSURE_H

#include "access/tupdesc.h"
#include "nodes/bitmapset.h"
#include "utils/date.h"

#include "tally.h"

/* The unknowns of a group: the tally's counters after invitations */
#define DC_NVARS		(NUM_OUTCOMES + NUM_GROUNDS)
#define DC_VAR_OUTCOME(o)	(o)
#define DC_VAR_GROUND(g)	(NUM_OUTCOMES + (g))

/*
 * Measures: the tally's thirteen counters in their order, then the notices
 * of both grounds (annual_summary's and category_summary's "notices").
 */
#define DC_MEASURE_INVITATIONS	0
#define DC_MEASURE_OUTCOME(o)	(1 + (o))
#define DC_MEASURE_GROUND(g)	(1 + NUM_OUTCOMES + (g))
#define DC_MEASURE_NOTICES		(1 + NUM_OUTCOMES + NUM_GROUNDS)
#define DC_NMEASURES			(DC_MEASURE_NOTICES + 1)
#define DC_MEASURE_OF_VAR(v)	(1 + (v))	/* the measure of one unknown */

typedef enum DcTable
{
	DC_ROUND_DASHBOARD,
	DC_ANNUAL_SUMMARY,
	DC_CATEGORY_SUMMARY
} DcTable;

#define DC_NTABLES	(DC_CATEGORY_SUMMARY + 1)

/*
 * The rules every invitation keeps, over the unknowns of any set of
 * invitations: sum(plus) - sum(minus) >= 0.  They follow from the CHECK
 * constraints of the invitation table: cancelled_needs_notice and a notice
 * that precedes any decision (a cancelled or cancellation_pending file has a
 * notice), and notice_needs_application (a notice is on a file with an
 * application).
 */
typedef struct DcRule
{
	int			nplus;
	int			plus[NUM_OUTCOMES];
	int			nminus;
	int			minus[NUM_OUTCOMES];
	const char *plus_name;		/* what the sides count, for messages */
	const char *minus_name;
	const char *why;
} DcRule;

#define DC_NRULES	2
extern const DcRule dc_rules[DC_NRULES];

extern const char *const dc_table_names[DC_NTABLES];
extern const char *const dc_measure_names[DC_NMEASURES];
extern bool dc_table_shows(DcTable table, int measure);

/* The invitations of one round dated in one year */
typedef struct DcGroup
{
	int32		round_id;
	bool		has_year;		/* false: a round with no invitation yet */
	int32		year;
	int			category;		/* index into DcModel.categories */
	bool		in_dashboard;	/* the round is held by as_of */
	bool		has_published;	/* the ministry's figure for the round */
	int64		invitations_published;
	int64		var[DC_NVARS];
} DcGroup;

/* A row of a published table */
typedef struct DcRow
{
	DcTable		table;
	bool		has_round;		/* round_dashboard: false in the total row */
	int32		round_id;
	bool		has_year;		/* false: all years */
	int32		year;
	int			category;		/* -1: all categories (or not a column) */
	int			set;			/* index of its set of groups */
} DcRow;

/* A published count, wherever it is shown */
typedef struct DcQuantity
{
	int			set;
	int			measure;
	int64		value;
	bool		eligible;		/* may be withheld to protect another */
} DcQuantity;

/* One published figure: a row and a column, showing a quantity */
typedef struct DcCell
{
	int			row;
	int			measure;
	int			quantity;
} DcCell;

/* What publication reveals: parent = the sum of the children */
typedef struct DcRelation
{
	int			parent;
	int			nchildren;
	int		   *children;
} DcRelation;

typedef struct DcModel
{
	int			ngroups;
	DcGroup    *groups;
	int			ncategories;
	char	  **categories;		/* sorted */
	int			nsets;
	Bitmapset **sets;			/* distinct sets of groups */
	int		   *set_quantity;	/* nsets x DC_NMEASURES: quantity or -1 */
	int			nrows;
	DcRow	   *rows;
	int			nquantities;
	DcQuantity *quantities;
	int			ncells;
	DcCell	   *cells;
	int			nrelations;
	DcRelation *relations;
	int		   *nmember_of;		/* per quantity: how many relations ... */
	int		  **member_of;		/* ... and which */
} DcModel;

/* disclosure_args.c: the arguments of the SQL functions, checked */
#define DC_NGROUP_ARGS	6		/* the group arrays, first */
extern DcModel *dc_model_from_args(FunctionCallInfo fcinfo);
extern int	dc_min_count_arg(FunctionCallInfo fcinfo, int n);
extern void dc_withheld_args(FunctionCallInfo fcinfo, int first,
							 const DcModel *model, bool *listed);
typedef struct NamedCell NamedCell;

extern void dc_check_group(const DcGroup *group, const Tally *tally);
extern DcModel *dc_model_from_groups(int ngroups, DcGroup *groups, char **categories);
extern NamedCell *dc_cell_finder(const DcModel *model);
extern int	dc_find_cell(const DcModel *model, const NamedCell *finder,
						 const char *publication, const char *row_key,
						 const char *measure);
extern void dc_withheld_from_listed(const DcModel *model, const bool *listed,
									bool *withheld);

/* disclosure_model.c */
extern DcModel *dc_model_build(int ngroups, DcGroup *groups,
							   int ncategories, char **categories);
extern int	dc_measure_vars(int measure, int *vars);
extern char *dc_row_key(const DcModel *model, const DcRow *row);
extern void dc_close_eligibility(DcModel *model);

/* disclosure_system.c: what a reader knows, and how far it narrows a form */
typedef struct DcSystem DcSystem;
typedef struct DcAudit DcAudit;

typedef struct DcBounds
{
	double		lower;			/* -INFINITY: no lower bound */
	double		upper;			/* INFINITY: no upper bound */
	bool		safe;
} DcBounds;

extern DcSystem *dc_system_create(int nvars, const int64 *truth);
extern void dc_system_add_row(DcSystem *sys, bool eq, int n, const int *vars,
							  const int *coefs, int64 rhs);
extern int	dc_system_collect(int n, const int *vars, const int *coefs,
							  int *out_vars, int *out_coefs);
extern DcSystem *dc_system_copy(const DcSystem *from);
typedef struct DcAuditStats
{
	int			audits;			/* systems audited */
	int			programs;		/* components solved for a first vertex */
	int			solves;			/* objectives maximized */
	int			forms;			/* forms bounded, not from the cache */
	int			by_points;		/* ... proven safe by kept points */
	int			by_component;	/* ... bounded by whole components */
	double		phase1_ms;
	double		solve_ms;
} DcAuditStats;

typedef struct DcPoints DcPoints;

extern DcAuditStats dc_audit_stats(bool reset);
extern DcPoints *dc_points_create(int nvars, int max_points);
extern void dc_points_add(DcPoints *pool, int n, const int *vars,
						  const double *changes);
extern int	dc_points_count(const DcPoints *pool);
extern int	dc_points_used(const DcPoints *pool, int k, const int **vars,
						   const double **changes);
extern DcAudit *dc_audit_begin(const DcSystem *sys, DcPoints *pool);
/* What an audit of a form is for */
typedef enum DcAuditMode
{
	DC_EXACT,					/* the least and greatest values */
	DC_PROVE,					/* whether it is safe */
	DC_QUICK					/* whether it is quickly shown safe: not being
								 * so shown does not make it unsafe */
} DcAuditMode;

extern void dc_audit_form(DcAudit *audit, int n, const int *vars,
						  const int *coefs, int64 value, int need,
						  DcAuditMode mode, DcBounds *b);

/* disclosure_series.c: a series of releases, as one reader holds them */
typedef struct DcRelease
{
	int32		release_id;
	DateADT		as_of;
	int			min_count;
	DcModel    *model;
	bool	   *withheld;		/* per quantity of the model */
	int		   *var;			/* per group and unknown: the series' unknown */
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
	int			need;			/* min_count - 1 of the later-made release */
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
	/* points for its audits, and the unknowns by key to offer points to */
	DcPoints   *pool;
	struct HTAB *unknowns;
} DcSeries;

#define DC_SERIES_POINTS	8192	/* the most points a series keeps */

/* What must stay protected: a withheld count, or a flow */
typedef struct DcItem
{
	int			release;		/* of the count; the later of a flow */
	int			quantity;
	int			flow;			/* into DcSeries.flows; -1 for a count */
} DcItem;

extern int	dc_quantity_vars(const DcModel *model, int q, int *vars);
extern void dc_rule_rows(DcSystem *sys, const int *group_vars);
extern DcSeries *dc_series_build(int nreleases, DcRelease *releases);
extern int	dc_series_find(const DcSeries *series, int32 release_id);
extern int	dc_series_quantity_vars(const DcSeries *series, int r, int q, int *vars);
extern DcSystem *dc_series_system(const DcSeries *series);

/* series_flows.c: the flows, and the counts several releases show */
extern bool dc_measure_grows(int measure);
extern void dc_find_flows(DcSeries *series);
extern int	dc_flow_form(const DcSeries *series, const DcFlow *flow, int *vars,
						 int *coefs);
extern void dc_find_classes(DcSeries *series);
extern bool dc_series_shown_elsewhere(const DcSeries *series, int r, int q,
									  bool made_before, int except);
extern bool dc_series_withheld_elsewhere(const DcSeries *series, int r, int q);

/* series_audit.c: the items of a series, their audit, the points kept */
extern void dc_item_name(const DcSeries *series, const DcItem *item,
						 struct StringInfoData *buf);
extern int	dc_series_items(const DcSeries *series, DcItem **items);
extern int	dc_item_form(const DcSeries *series, const DcItem *item, int *vars,
						 int *coefs, int64 *value, int *need);
extern int	dc_series_audit(const DcSeries *series, DcPoints *pool,
							int nitems, const DcItem *items, const bool *which,
							DcAuditMode mode, bool first, DcBounds *bounds);
extern void dc_unknown_key(const DcSeries *series, int v, int32 *round_id,
						   bool *has_year, int32 *year, int16 *unknown,
						   int32 *since);
extern void dc_series_offer_point(DcSeries *series, int n, const int32 *round_id,
								  const bool *has_year, const int32 *year,
								  const int16 *unknown, const int32 *since,
								  const double *changes);

/* disclosure.c: what the SQL functions return */
#define DC_CELL_COLUMNS	7		/* dc_cell_columns(): where a cell is, its value */

extern struct Tuplestorestate *dc_materialize(FunctionCallInfo fcinfo,
											  TupleDesc *tupdesc);
extern void dc_cell_columns(const DcModel *model, const DcCell *cell,
							Datum *values, bool *nulls);

/* disclosure_suppress.c */
extern void dc_suppress(const DcModel *model, int min_count, bool *withheld);
extern void dc_series_suppress(DcSeries *series, int target);

/* suppress_complements.c: the complements disclosure_suppress.c chooses */
#define DC_RELEASE_TOGETHER	4	/* the most complements released together */

extern void dc_local_rules(const DcModel *model, int min_count, bool *withheld);
extern int	dc_complement_for(const DcModel *model, const bool *withheld, int q,
							  Bitmapset **tried);
extern int	dc_complement_anywhere(const DcModel *model, const bool *withheld,
								   const bool *known, int q);
extern int	dc_complement_elsewhere(const DcSeries *series, int target,
									const DcItem *item);
extern int	dc_release_closure(const DcModel *model, int min_count, bool *withheld,
							   const bool *forced, int p, int *set);

#endif							/* ARRIMA_DISCLOSURE_H */
