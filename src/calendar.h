/*-------------------------------------------------------------------------
 *
 * calendar.h
 *	  The outcome calendar: how one invitation's tally changes from day to
 *	  day, stepped through its own dates with tally_count (tally.h), that is
 *	  with classify_facts (outcome.h): one copy of the rules.
 *
 * As a function of as_of, classify_facts compares as_of with the
 * invitation's dates only: as_of < invited_on, declined_on <= as_of,
 * application_on > as_of, response_due_on < as_of, decided_on <= as_of,
 * notice_on <= as_of.  So its tally can change only on invited_on,
 * declined_on, application_on, the day after response_due_on, notice_on
 * and decided_on, its step days.  The change on a day d is its tally as of
 * d less its tally as of d - 1, both counted by tally_count; the sum of its
 * changes on the days up to a date is its tally as of that date (the tally
 * is zero before invited_on).  calendar_agg.c adds these changes up per
 * round, year of invitation and day.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ARRIMA_CALENDAR_H
#define ARRIMA_CALENDAR_H

#include "datatype/timestamp.h"
#include "utils/date.h"

#include "tally.h"

/* invited_on, declined_on, application_on, response_due_on + 1, notice_on, decided_on */
#define CALENDAR_MAX_STEPS 6

/* The last finite date, 5874897-12-31 */
#define CALENDAR_LAST_DATE ((DateADT) (DATE_END_JULIAN - POSTGRES_EPOCH_JDATE - 1))

/*
 * The day after a finite date: 'infinity' after the last finite date, so
 * that an invitation due on 5874897-12-31 still expires as of 'infinity',
 * as classify_facts says.
 */
static inline DateADT
calendar_day_after(DateADT day)
{
	return day >= CALENDAR_LAST_DATE ? DATEVAL_NOEND : day + 1;
}

/* The day before a step day: the last finite date before 'infinity' */
static inline DateADT
calendar_day_before(DateADT day)
{
	return day == DATEVAL_NOEND ? CALENDAR_LAST_DATE : day - 1;
}

/*
 * The step days of an invitation, sorted, each once, into days[]; returns
 * how many.  Its dates must be finite (the invitation table's rule
 * dates_are_finite; calendar_agg.c checks it).
 */
static inline int
calendar_step_days(const InvitationFacts *f, DateADT days[CALENDAR_MAX_STEPS])
{
	DateADT		all[CALENDAR_MAX_STEPS];
	int			nall = 0;
	int			n = 0;

	all[nall++] = f->invited_on;
	if (f->has_declined)
		all[nall++] = f->declined_on;
	if (f->has_application)
		all[nall++] = f->application_on;
	all[nall++] = calendar_day_after(f->response_due_on);
	if (f->has_notice)
		all[nall++] = f->notice_on;
	if (f->has_decision)
		all[nall++] = f->decided_on;

	/* insertion sort, dropping repeats */
	for (int i = 0; i < nall; i++)
	{
		int			j = n;
		bool		repeat = false;

		for (int k = 0; k < n; k++)
			if (days[k] == all[i])
				repeat = true;
		if (repeat)
			continue;
		while (j > 0 && days[j - 1] > all[i])
		{
			days[j] = days[j - 1];
			j--;
		}
		days[j] = all[i];
		n++;
	}
	return n;
}

/*
 * The change of an invitation's tally on a day: its tally as of that day
 * less its tally as of the day before.  False when nothing changes.
 */
static inline bool
calendar_step(const InvitationFacts *f, DateADT day, TallyChange *change)
{
	Tally		now = {0};
	Tally		before = {0};
	const int64 *after_count = (const int64 *) &now;
	const int64 *before_count = (const int64 *) &before;
	int64	   *delta = (int64 *) change;
	bool		changed = false;

	tally_count(&now, f, day);
	tally_count(&before, f, calendar_day_before(day));
	for (int i = 0; i < TALLY_NCOUNTERS; i++)
	{
		delta[i] = after_count[i] - before_count[i];
		changed |= delta[i] != 0;
	}
	return changed;
}

#endif							/* ARRIMA_CALENDAR_H */
