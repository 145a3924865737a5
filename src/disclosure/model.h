/*-------------------------------------------------------------------------
 *
 * model.h
 *	  The third layer of disclosure control: the model of what the three
 *	  published tables show, as sums over groups of invitations.
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
 * Its files: model_measures.c (the tables' columns, the rules every
 * invitation keeps, which counts never go down), model_groups.c (groups
 * from tallies, checked), model.c (rows, quantities, cells and the
 * relations publication reveals) and model_cells.c (cells by name).  It
 * needs nothing of the audit: the series (series.h) turns models into the
 * rows of a system.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ARRIMA_MODEL_H
#define ARRIMA_MODEL_H

#include "nodes/bitmapset.h"

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
	bool		headline;		/* the invitations of the total row or a year */
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

/*
 * A bad argument of disclosure control: SQLSTATE 22023
 * (invalid_parameter_value), the detail naming the rule.
 */
#define dc_bad_input(message, detail) \
	ereport(ERROR, \
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE), \
			 errmsg_internal("%s", (message)), \
			 errdetail_internal("%s", (detail))))
#define dc_bad_groups(detail) \
	dc_bad_input("invalid groups of invitations for disclosure control", (detail))

/* model_measures.c */
extern const char *const dc_table_names[DC_NTABLES];
extern const char *const dc_measure_names[DC_NMEASURES];
extern bool dc_table_shows(DcTable table, int measure);
extern int	dc_measure_vars(int measure, int *vars);
extern bool dc_measure_grows(int measure);

/* model_groups.c */
extern void dc_group_set_tally(DcGroup *group, const Tally *tally);
extern DcModel *dc_model_from_groups(int ngroups, DcGroup *groups,
									 char **categories);

/* model_rows.c: the rows, and the level at which each may partition another */
typedef enum DcRowLevel
{
	DC_LEVEL_NONE,				/* totals, and annual_summary (= the years) */
	DC_LEVEL_ROUND,
	DC_LEVEL_CELL,
	DC_LEVEL_YEAR,
	DC_LEVEL_CATEGORY
} DcRowLevel;

#define DC_NUM_LEVELS	(DC_LEVEL_CATEGORY + 1)

extern DcRowLevel *dc_model_rows(DcModel *model);

/* model.c */
extern DcModel *dc_model_build(int ngroups, DcGroup *groups,
							   int ncategories, char **categories);
extern void dc_close_eligibility(const DcModel *model, const bool *withheld,
								 bool *eligible);
extern int	dc_quantity_vars(const DcModel *model, int q, int *vars);
extern int	dc_model_find_group(const DcModel *model, const DcGroup *key);
extern void dc_withheld_from_listed(const DcModel *model, const bool *listed,
									bool *withheld);

/* model_cells.c */
typedef struct NamedCell NamedCell;

extern char *dc_row_key(const DcModel *model, const DcRow *row);
extern NamedCell *dc_cell_finder(const DcModel *model);
extern int	dc_find_cell(const DcModel *model, const NamedCell *finder,
						 const char *publication, const char *row_key,
						 const char *measure);

#endif							/* ARRIMA_MODEL_H */
