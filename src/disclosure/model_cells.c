/*-------------------------------------------------------------------------
 *
 * model_cells.c
 *	  The cells of a model (model.h) by name: a row's key, as the published
 *	  views show it, and the cell (publication, row_key, measure) a caller
 *	  lists, refused with SQLSTATE 22023 and a detail when there is none.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "lib/stringinfo.h"

#include "model.h"

/* The key of a row, unique within its table, as the published views show it */
char *
dc_row_key(const DcModel *model, const DcRow *row)
{
	switch (row->table)
	{
		case DC_ROUND_DASHBOARD:
			return row->has_round ? psprintf("%d", row->round_id) : pstrdup("total");
		case DC_ANNUAL_SUMMARY:
			return psprintf("%d", row->year);
		case DC_CATEGORY_SUMMARY:
			return psprintf("%s/%s",
							row->has_year ? psprintf("%d", row->year) : "",
							row->category >= 0 ? model->categories[row->category] : "");
	}
	return NULL;
}

/* A cell's name, to find the cells a caller lists */
static char *
cell_name(const char *publication, const char *row_key, const char *measure)
{
	return psprintf("%s\x1f%s\x1f%s", publication, row_key, measure);
}

struct NamedCell
{
	char	   *name;
	int			cell;
};

static int
cmp_named(const void *a, const void *b)
{
	return strcmp(((const NamedCell *) a)->name, ((const NamedCell *) b)->name);
}

/* Why no cell of the model is (publication, row_key, measure) */
static char *
no_cell_detail(const char *publication, const char *row_key, const char *measure)
{
	int			table = -1;
	int			m = -1;
	StringInfoData buf;

	for (int t = 0; t < DC_NTABLES; t++)
		if (strcmp(publication, dc_table_names[t]) == 0)
			table = t;
	if (table < 0)
		return psprintf("The publications are %s, %s and %s.", dc_table_names[0],
						dc_table_names[1], dc_table_names[2]);
	for (int i = 0; i < DC_NMEASURES; i++)
		if (strcmp(measure, dc_measure_names[i]) == 0)
			m = i;
	if (m >= 0 && dc_table_shows(table, m))
		return psprintf("%s has no row with the key \"%s\".", publication, row_key);
	initStringInfo(&buf);
	appendStringInfo(&buf, "%s has no column %s; its counts are", publication, measure);
	for (int i = 0, shown = 0; i < DC_NMEASURES; i++)
		if (dc_table_shows(table, i))
			appendStringInfo(&buf, "%s %s", shown++ ? "," : "", dc_measure_names[i]);
	appendStringInfoChar(&buf, '.');
	return buf.data;
}

/* The cells of a model by name, for dc_find_cell() */
NamedCell *
dc_cell_finder(const DcModel *model)
{
	NamedCell  *named = palloc(Max(model->ncells, 1) * sizeof(NamedCell));

	for (int c = 0; c < model->ncells; c++)
	{
		const DcCell *cell = &model->cells[c];
		const DcRow *row = &model->rows[cell->row];

		named[c].name = cell_name(dc_table_names[row->table],
								  dc_row_key(model, row),
								  dc_measure_names[cell->measure]);
		named[c].cell = c;
	}
	qsort(named, model->ncells, sizeof(NamedCell), cmp_named);
	return named;
}

/* The cell (publication, row_key, measure) of a model; refused if none */
int
dc_find_cell(const DcModel *model, const NamedCell *finder,
			 const char *publication, const char *row_key, const char *measure)
{
	NamedCell	key;
	const NamedCell *found;

	key.name = cell_name(publication, row_key, measure);
	found = bsearch(&key, finder, model->ncells, sizeof(NamedCell), cmp_named);
	if (found == NULL)
		dc_bad_input(psprintf("%s has no cell (%s, %s)", publication, row_key, measure),
					 no_cell_detail(publication, row_key, measure));
	pfree(key.name);
	return found->cell;
}

