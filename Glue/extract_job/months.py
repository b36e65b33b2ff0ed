"""Extract months and their 3-month windows (extract-spec.md, "What is computed").

The window of month M runs from the first day of M-2 (inclusive) to the first day of M+1
(exclusive). These dates feed ``extract_params`` and the JDBC pushdown predicate, so they are
computed once here, from ``datetime.date`` objects, never from user strings.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import Iterable, Sequence

from . import ExtractJobError

_MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def _shift(year: int, month: int, delta: int) -> tuple[int, int]:
    """Move (year, month) by ``delta`` calendar months, crossing year boundaries."""
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


@dataclass(frozen=True, order=True)
class ExtractMonth:
    """One calendar month M, ordered chronologically."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12 or not 1 <= self.year <= 9998:
            raise ExtractJobError(f"invalid month {self.year:04d}-{self.month:02d}")

    @classmethod
    def parse(cls, text: str) -> "ExtractMonth":
        """Parse ``YYYY-MM`` strictly (two-digit month, no surrounding text)."""
        match = _MONTH_RE.match(text.strip())
        if not match:
            raise ExtractJobError(f"invalid month {text!r}: expected YYYY-MM, e.g. 2026-03")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def containing(cls, day: date) -> "ExtractMonth":
        """The month that ``day`` falls in."""
        return cls(day.year, day.month)

    @property
    def label(self) -> str:
        """``YYYY-MM``, the ``month`` column of the extract."""
        return f"{self.year:04d}-{self.month:02d}"

    def shifted(self, delta: int) -> "ExtractMonth":
        """The month ``delta`` months later (earlier when negative)."""
        return ExtractMonth(*_shift(self.year, self.month, delta))

    @property
    def month_start(self) -> date:
        """First day of M."""
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        """Last day of M: the ``YYYYMMDD`` of the file name, so a re-run writes the same key."""
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def window_start(self) -> date:
        """First day of M-2: the window's inclusive start."""
        return self.shifted(-2).month_start

    @property
    def window_end(self) -> date:
        """First day of M+1: the window's exclusive end (and the day M has ended)."""
        return self.shifted(1).month_start

    def has_ended(self, today: date) -> bool:
        """True once the whole month lies in the past, i.e. ``today`` is in M+1 or later."""
        return today >= self.window_end

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class Window:
    """A half-open date range ``[start, end)``."""

    start: date
    end: date


def combined_window(months: Iterable[ExtractMonth]) -> Window:
    """The smallest window covering every month's window: one JDBC read for a whole backfill."""
    ordered = sorted(months)
    if not ordered:
        raise ExtractJobError("no extract month given")
    return Window(ordered[0].window_start, ordered[-1].window_end)


def month_range(first: ExtractMonth, last: ExtractMonth) -> list[ExtractMonth]:
    """Every month from ``first`` to ``last`` inclusive."""
    if last < first:
        raise ExtractJobError(f"empty month range {first}..{last}: the first month is after the last")
    count = (last.year - first.year) * 12 + (last.month - first.month) + 1
    return [first.shifted(i) for i in range(count)]


def labels(months: Sequence[ExtractMonth]) -> str:
    """Months as a short comma list for log lines."""
    return ",".join(m.label for m in months)


#: Schema of the ``extract_params`` view the SQL joins against (one row per extract month).
EXTRACT_PARAMS_SCHEMA = "month STRING, month_start DATE, window_start DATE, window_end DATE"


def extract_params_rows(months: Iterable[ExtractMonth]) -> list[tuple[str, date, date, date]]:
    """The ``extract_params`` rows, in ``EXTRACT_PARAMS_SCHEMA`` column order."""
    return [(m.label, m.month_start, m.window_start, m.window_end) for m in sorted(months)]
