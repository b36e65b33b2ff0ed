"""From the SQL's result rows to the month's files: group, render, checksum, total.

This is the host's side of "hosts never compute a figure themselves: they render, count and
checksum". Every bank gets a file for every month (a bank without branches gets the header
alone), which is why the bank list is an input next to the rows.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

from . import ExtractJobError
from .csv_render import ExtractRow, render_csv
from .keys import Bank, check_tokens, extract_key
from .manifest import CONTROL_TOTAL_COLUMNS, FileEntry
from .months import ExtractMonth


@dataclass(frozen=True)
class RenderedFile:
    """One extract file, rendered and ready to publish."""

    bank: Bank
    key: str
    body: bytes
    rows: int
    sha256: str
    control_totals: Mapping[str, int]

    def entry(self) -> FileEntry:
        """The manifest's description of this file."""
        return FileEntry(
            bank_id=self.bank.bank_id,
            bank_name=self.bank.name or "",
            token=self.bank.token,
            key=self.key,
            rows=self.rows,
            bytes=len(self.body),
            sha256=self.sha256,
            control_totals=self.control_totals,
        )


def render_file(bank: Bank, month: ExtractMonth, rows: Sequence[ExtractRow]) -> RenderedFile:
    """The bank's file for month M from its rows (ordered by ``branch_id`` here too)."""
    ordered = sorted(rows, key=lambda r: r.branch_id)
    body = render_csv(ordered)
    totals = {c: sum(getattr(r, c) for r in ordered) for c in CONTROL_TOTAL_COLUMNS}
    return RenderedFile(
        bank=bank,
        key=extract_key(bank.token, month),
        body=body,
        rows=len(ordered),
        sha256=hashlib.sha256(body).hexdigest(),
        control_totals=totals,
    )


def render_months(
    months: Sequence[ExtractMonth], banks: Iterable[Bank], rows: Iterable[ExtractRow]
) -> dict[ExtractMonth, list[RenderedFile]]:
    """Every file of every month, ordered by key; token problems fail before anything else.

    Rows of a month or bank the run does not know are an inconsistency between the inputs and
    the SQL result, and fail the run rather than being dropped.
    """
    banks = sorted(banks, key=lambda b: b.bank_id)
    check_tokens(banks)
    by_id = {b.bank_id: b for b in banks}
    by_label = {m.label: m for m in months}
    grouped: dict[tuple[str, int], list[ExtractRow]] = {}
    for row in rows:
        if row.month not in by_label:
            raise ExtractJobError(f"the SQL returned a row for month {row.month!r}, not requested")
        if row.bank_id not in by_id:
            raise ExtractJobError(f"the SQL returned a row for unknown bank id {row.bank_id}")
        grouped.setdefault((row.month, row.bank_id), []).append(row)
    result: dict[ExtractMonth, list[RenderedFile]] = {}
    for month in months:
        files = [render_file(b, month, grouped.get((month.label, b.bank_id), [])) for b in banks]
        result[month] = sorted(files, key=lambda f: f.key)
    return result


def data_quality_by_month(
    months: Sequence[ExtractMonth], rows: Iterable[Mapping[str, Any]]
) -> dict[ExtractMonth, Mapping[str, Any]]:
    """The ``loan_data_quality`` row of each month; a month without one fails the run."""
    by_label = {str(r["month"]): r for r in rows}
    missing = [m.label for m in months if m.label not in by_label]
    if missing:
        raise ExtractJobError(f"loan_data_quality has no row for month(s) {', '.join(missing)}")
    return {m: by_label[m.label] for m in months}
