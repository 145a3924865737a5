/*-------------------------------------------------------------------------
 *
 * series_proof.c
 *	  The points that proved a series of releases safe, kept from one
 *	  refresh to the next (release_proof): each unknown of a point by a key
 *	  a later series knows it by, and points offered back by those keys.
 *
 * The unknowns are keyed by round, year, which of a group's twelve, and
 * the release their segment starts at (series_unknowns.c).  A point is a
 * hint, never trusted: each is checked against the rows of every audit
 * that uses it (audit_points.c).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "utils/hsearch.h"

#include "series.h"

/* An unknown as a later series knows it: it starts at the same release */
typedef struct UnknownKey
{
	int32		round_id;
	int32		year;
	int32		has_year;
	int32		unknown;
	int32		since;			/* release_id of the segment's first release */
} UnknownKey;

typedef struct UnknownEntry
{
	UnknownKey	key;
	int			var;
} UnknownEntry;

static UnknownKey
unknown_key(const DcSeries *series, int v)
{
	UnknownKey	key;

	memset(&key, 0, sizeof(key));
	key.round_id = series->var_group[v]->round_id;
	key.has_year = series->var_group[v]->has_year;
	key.year = key.has_year ? series->var_group[v]->year : 0;
	key.unknown = series->var_unknown[v];
	key.since = series->var_since[v];
	return key;
}

/* The key of series unknown v, for storing a point */
void
dc_unknown_key(const DcSeries *series, int v, int32 *round_id, bool *has_year,
			   int32 *year, int16 *unknown, int32 *since)
{
	UnknownKey	key = unknown_key(series, v);

	*round_id = key.round_id;
	*has_year = key.has_year;
	*year = key.year;
	*unknown = (int16) key.unknown;
	*since = key.since;
}

/*
 * Offer the series points stored by an earlier audit, each given by the
 * keys of the unknowns it changes and the changes, and the number it was
 * stored under (0 if none).  A point whose unknowns
 * this series no longer has (a release made in between, by date) is left
 * out; the others are checked against the rows of every audit that uses
 * them, so a stale or forged point proves nothing.
 */
void
dc_series_offer_point(DcSeries *series, int n, const int32 *round_id,
					  const bool *has_year, const int32 *year,
					  const int16 *unknown, const int32 *since,
					  const double *changes, int32 id)
{
	int		   *vars = palloc(Max(n, 1) * sizeof(int));

	if (series->unknowns == NULL)
	{
		HASHCTL		ctl;

		memset(&ctl, 0, sizeof(ctl));
		ctl.keysize = sizeof(UnknownKey);
		ctl.entrysize = sizeof(UnknownEntry);
		ctl.hcxt = CurrentMemoryContext;
		series->unknowns = hash_create("disclosure unknowns", Max(series->nvars, 16),
									   &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
		for (int v = 0; v < series->nvars; v++)
		{
			UnknownKey	key = unknown_key(series, v);
			UnknownEntry *entry = hash_search(series->unknowns, &key, HASH_ENTER, NULL);

			entry->var = v;
		}
	}
	for (int i = 0; i < n; i++)
	{
		UnknownKey	key;
		UnknownEntry *entry;

		memset(&key, 0, sizeof(key));
		key.round_id = round_id[i];
		key.has_year = has_year[i];
		key.year = has_year[i] ? year[i] : 0;
		key.unknown = unknown[i];
		key.since = since[i];
		entry = hash_search(series->unknowns, &key, HASH_FIND, NULL);
		if (entry == NULL)
		{
			pfree(vars);
			return;
		}
		vars[i] = entry->var;
	}
	dc_points_add(series->pool, n, vars, changes, id);
	pfree(vars);
}
