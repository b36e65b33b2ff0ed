"""Month parsing and the 3-month windows, including year boundaries and leap years."""
from datetime import date

import pytest

from extract_job import ExtractJobError
from extract_job.months import (
    ExtractMonth,
    Window,
    combined_window,
    extract_params_rows,
    month_range,
)


def test_parse_and_label_round_trip():
    m = ExtractMonth.parse("2026-03")
    assert (m.year, m.month, m.label, str(m)) == (2026, 3, "2026-03", "2026-03")


@pytest.mark.parametrize("bad", ["2026-3", "2026-13", "2026-00", "26-03", "2026/03", "2026-03-01", "", "abcd-ef", " 2026-03x"])
def test_parse_rejects_malformed(bad):
    with pytest.raises(ExtractJobError, match="invalid month"):
        ExtractMonth.parse(bad)


@pytest.mark.parametrize(
    "month, start, window_start, window_end, last_day",
    [
        ("2026-03", date(2026, 3, 1), date(2026, 1, 1), date(2026, 4, 1), date(2026, 3, 31)),
        ("2026-01", date(2026, 1, 1), date(2025, 11, 1), date(2026, 2, 1), date(2026, 1, 31)),
        ("2026-02", date(2026, 2, 1), date(2025, 12, 1), date(2026, 3, 1), date(2026, 2, 28)),
        ("2024-02", date(2024, 2, 1), date(2023, 12, 1), date(2024, 3, 1), date(2024, 2, 29)),
        ("2025-12", date(2025, 12, 1), date(2025, 10, 1), date(2026, 1, 1), date(2025, 12, 31)),
        ("2000-02", date(2000, 2, 1), date(1999, 12, 1), date(2000, 3, 1), date(2000, 2, 29)),
        ("1900-02", date(1900, 2, 1), date(1899, 12, 1), date(1900, 3, 1), date(1900, 2, 28)),
    ],
)
def test_windows(month, start, window_start, window_end, last_day):
    m = ExtractMonth.parse(month)
    assert m.month_start == start
    assert m.window_start == window_start
    assert m.window_end == window_end
    assert m.last_day == last_day


def test_has_ended_is_true_from_the_first_day_of_the_next_month():
    m = ExtractMonth.parse("2026-02")
    assert not m.has_ended(date(2026, 2, 28))
    assert m.has_ended(date(2026, 3, 1))


def test_shifted_crosses_years_both_ways():
    assert ExtractMonth(2026, 1).shifted(-1) == ExtractMonth(2025, 12)
    assert ExtractMonth(2025, 12).shifted(1) == ExtractMonth(2026, 1)
    assert ExtractMonth(2026, 5).shifted(-29) == ExtractMonth(2023, 12)


def test_month_range_spans_a_year_boundary():
    months = month_range(ExtractMonth(2025, 11), ExtractMonth(2026, 2))
    assert [m.label for m in months] == ["2025-11", "2025-12", "2026-01", "2026-02"]


def test_month_range_rejects_reversed():
    with pytest.raises(ExtractJobError, match="empty month range"):
        month_range(ExtractMonth(2026, 2), ExtractMonth(2025, 11))


def test_combined_window_covers_every_month_of_a_backfill():
    months = [ExtractMonth(2026, 2), ExtractMonth(2025, 12), ExtractMonth(2026, 1)]
    assert combined_window(months) == Window(date(2025, 10, 1), date(2026, 3, 1))


def test_combined_window_needs_a_month():
    with pytest.raises(ExtractJobError):
        combined_window([])


def test_extract_params_rows_are_sorted_and_typed():
    rows = extract_params_rows([ExtractMonth(2026, 1), ExtractMonth(2025, 12)])
    assert rows == [
        ("2025-12", date(2025, 12, 1), date(2025, 10, 1), date(2026, 1, 1)),
        ("2026-01", date(2026, 1, 1), date(2025, 11, 1), date(2026, 2, 1)),
    ]
