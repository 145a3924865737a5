/*-------------------------------------------------------------------------
 *
 * series_unknowns.c
 *	  The unknowns of a series of releases (series.h): those of every group
 *	  of every release, but one unknown of a group whose true value is the
 *	  same in two releases next to each other is one unknown of the
 *	  series, not two (a *segment*).
 *
 * That grants the reader a little more than the tables show (which of the
 * finest counts did not change between two releases), so what the audit
 * proves safe is safe against the reader of the contract, and a year of
 * releases is a system of the size of the counts that changed, not of the
 * number of releases.  Likewise each group's invitations (its ten outcomes
 * together) have a segment of their own, for the classes of the counts of
 * invitations (series_flows.c): a round invites once, and a reader who saw
 * its invitations takes them as unchanged, whatever became of them (the
 * reader is granted that too: series.c).  The releases must be in series
 * order (series.c).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "series.h"

/* A group's invitations: its ten outcomes together */
static int64
group_invitations(const DcGroup *group)
{
	int64		sum = 0;

	for (int o = 0; o < NUM_OUTCOMES; o++)
		sum += group->var[DC_VAR_OUTCOME(o)];
	return sum;
}

/*
 * The unknowns: each release's groups' twelve, one unknown for a run of
 * releases next to each other where a group's count keeps its value; and
 * the segments of the groups' invitations likewise.
 */
void
dc_series_number_unknowns(DcSeries *series)
{
	int			maxvars = 0;
	int			nvars = 0;
	int			ninvitations = 0;

	for (int r = 0; r < series->nreleases; r++)
		maxvars += series->releases[r].model->ngroups * DC_NVARS;
	series->truth = palloc(Max(maxvars, 1) * sizeof(int64));
	series->var_group = palloc(Max(maxvars, 1) * sizeof(DcGroup *));
	series->var_unknown = palloc(Max(maxvars, 1) * sizeof(int));
	series->var_since = palloc(Max(maxvars, 1) * sizeof(int32));

	for (int r = 0; r < series->nreleases; r++)
	{
		DcRelease  *rel = &series->releases[r];
		const DcModel *model = rel->model;

		rel->var = palloc(Max(model->ngroups * DC_NVARS, 1) * sizeof(int));
		rel->invitations = palloc(Max(model->ngroups, 1) * sizeof(int));
		for (int g = 0; g < model->ngroups; g++)
		{
			const DcGroup *group = &model->groups[g];
			int			prev = -1;

			if (r > 0)
				prev = dc_model_find_group(series->releases[r - 1].model, group);
			if (prev >= 0 &&
				group_invitations(&series->releases[r - 1].model->groups[prev]) ==
				group_invitations(group))
				rel->invitations[g] = series->releases[r - 1].invitations[prev];
			else
				rel->invitations[g] = ninvitations++;
			for (int k = 0; k < DC_NVARS; k++)
			{
				int			v;

				if (prev >= 0 &&
					series->truth[series->releases[r - 1].var[prev * DC_NVARS + k]] == group->var[k])
					v = series->releases[r - 1].var[prev * DC_NVARS + k];
				else
				{
					v = nvars++;
					series->truth[v] = group->var[k];
					series->var_group[v] = group;
					series->var_unknown[v] = k;
					series->var_since[v] = rel->release_id;
				}
				rel->var[g * DC_NVARS + k] = v;
			}
		}
	}
	series->nvars = nvars;
}

/* The unknowns of release r's quantity q, into vars[]; returns how many */
int
dc_series_quantity_vars(const DcSeries *series, int r, int q, int *vars)
{
	const DcRelease *rel = &series->releases[r];
	int			n = dc_quantity_vars(rel->model, q, vars);

	for (int i = 0; i < n; i++)
		vars[i] = rel->var[vars[i]];
	return n;
}
