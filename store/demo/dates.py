"""The demo's calendar: everything is fixed relative to `DEMO_AS_OF`, never to today."""

from __future__ import annotations

import datetime as dt
import random

DEMO_AS_OF: dt.date = dt.date(2026, 11, 1)
"""The demo's history runs up to this date; reports and golden tests use it as 'today'."""

HISTORY_YEARS = 3

HISTORY_START = DEMO_AS_OF.replace(year=DEMO_AS_OF.year - HISTORY_YEARS)


def work_day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    """A working day between `start` and `end` (inclusive, moved off weekends)."""
    day = dt.date.fromordinal(rng.randint(start.toordinal(), end.toordinal()))
    if day.weekday() >= 5:
        day -= dt.timedelta(days=day.weekday() - 4)
    return max(day, start)


def months_between(first: dt.date, last: dt.date) -> list[str]:
    """Every month from `first` to `last`, inclusive, as YYYY-MM."""
    out, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out
