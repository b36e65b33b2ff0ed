"""Loading golden vectors (docs/extract-store.md, "Golden vectors") shared with the C# tests.

The shared cases live in ``testdata/golden/<case>/`` at the repository root. Until they land,
and as a self-check of this loader, one small case of our own is written to a temp folder in
the same layout (``write_local_case``); it is used only when no shared case exists.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from conftest import REPO_ROOT
from extract_job.csv_render import ExtractRow
from extract_job.keys import Bank
from extract_job.months import ExtractMonth

SHARED_DIR = REPO_ROOT / "testdata" / "golden"
LOCAL_CASE = "local-worked-example"
LOCAL_ERROR_CASE = "local-token-collision"


@dataclass(frozen=True)
class GoldenCase:
    name: str
    months: tuple[ExtractMonth, ...]
    banks: list[Bank]
    rows: list[ExtractRow]
    data_quality: list[dict[str, Any]]
    error: Optional[dict[str, Any]]
    files: dict[str, bytes]


def shared_case_names() -> list[str]:
    if not SHARED_DIR.is_dir():
        return []
    return sorted(p.name for p in SHARED_DIR.iterdir() if (p / "case.json").is_file())


def _has_error(name: str) -> bool:
    return json.loads((SHARED_DIR / name / "case.json").read_text(encoding="utf-8")).get("error") is not None


def ok_case_names() -> list[str]:
    """Cases that publish files: the shared vectors, or our own case while there are none."""
    shared = shared_case_names()
    return [n for n in shared if not _has_error(n)] if shared else [LOCAL_CASE]


def error_case_names() -> list[str]:
    """Cases that must fail before publishing anything."""
    shared = shared_case_names()
    return [n for n in shared if _has_error(n)] if shared else [LOCAL_ERROR_CASE]


def load_case(folder: Path) -> GoldenCase:
    case = json.loads((folder / "case.json").read_text(encoding="utf-8"))
    ods = json.loads((folder / "ods.json").read_text(encoding="utf-8"))
    expected = folder / "expected"
    rows_path, dq_path = expected / "rows.json", expected / "data_quality.json"
    rows = json.loads(rows_path.read_text(encoding="utf-8")) if rows_path.exists() else []
    quality = json.loads(dq_path.read_text(encoding="utf-8")) if dq_path.exists() else []
    files_dir = expected / "files"
    files = {}
    if files_dir.is_dir():
        files = {p.relative_to(files_dir).as_posix(): p.read_bytes() for p in files_dir.rglob("*") if p.is_file()}
    return GoldenCase(
        name=folder.name,
        months=tuple(sorted(ExtractMonth.parse(m) for m in case["months"])),
        banks=[Bank(int(b["idbank"]), b["name"]) for b in ods["bank"]],
        rows=[ExtractRow.from_mapping(r) for r in rows],
        data_quality=quality,
        error=case.get("error"),
        files=files,
    )


HEADER = ("bank_name,branch_id,branch_address,month,loan_count,loan_amount,loan_count_3m,"
          "loan_amount_3m,moving_avg_loan_amount_3m,avg_loan_amount_3m\n")


def write_local_case(folder: Path) -> Path:
    """Our own small case: the spec's worked example plus an empty branch and an empty bank.

    The expected bytes are written out by hand here, not by the renderer under test.
    """
    case = folder / LOCAL_CASE
    (case / "expected" / "files").mkdir(parents=True)
    (case / "case.json").write_text(json.dumps({"description": "worked example", "months": ["2026-03"], "error": None}))
    (case / "ods.json").write_text(json.dumps({
        "bank": [{"idbank": 1, "name": "Coral Bank & Trust", "capitalization": 0},
                 {"idbank": 2, "name": "Empty Bank", "capitalization": 0}],
        "branch": [{"idbranch": 7, "bank_idbank": 1, "address": "1 Main St, Suite \"B\""},
                   {"idbranch": 8, "bank_idbank": 1, "address": ""}],
        "client": [], "account": [], "loans": [],
    }))
    common = {"month": "2026-03", "bank_id": 1, "bank_name": "Coral Bank & Trust"}
    rows = [
        {**common, "branch_id": 7, "branch_address": "1 Main St, Suite \"B\"", "loan_count": 1, "loan_amount": 50,
         "loan_count_3m": 3, "loan_amount_3m": 350, "moving_avg_loan_amount_3m": "116.67", "avg_loan_amount_3m": "116.67"},
        {**common, "branch_id": 8, "branch_address": "", "loan_count": 0, "loan_amount": 0,
         "loan_count_3m": 0, "loan_amount_3m": 0, "moving_avg_loan_amount_3m": "0.00", "avg_loan_amount_3m": None},
    ]
    (case / "expected" / "rows.json").write_text(json.dumps(rows))
    (case / "expected" / "data_quality.json").write_text(json.dumps([{
        "month": "2026-03", "loans_read": 5, "loans_used": 3, "null_amount": 1, "null_loan_date": 1,
        "orphan_account": 0, "orphan_client": 0, "orphan_branch": 0, "orphan_bank": 0}]))
    coral = case / "expected" / "files" / "bank_name=CoralBankTrust/year=2026/month=03/CoralBankTrust_20260331.csv"
    empty = case / "expected" / "files" / "bank_name=EmptyBank/year=2026/month=03/EmptyBank_20260331.csv"
    for path in (coral, empty):
        path.parent.mkdir(parents=True)
    coral.write_bytes((HEADER
                       + 'Coral Bank & Trust,7,"1 Main St, Suite ""B""",2026-03,1,50,3,350,116.67,116.67\n'
                       + "Coral Bank & Trust,8,,2026-03,0,0,0,0,0.00,\n").encode())
    empty.write_bytes(HEADER.encode())
    return case


def write_local_error_case(folder: Path) -> Path:
    """Our own error case: two banks whose names give one token."""
    case = folder / LOCAL_ERROR_CASE
    (case / "expected").mkdir(parents=True)
    (case / "case.json").write_text(json.dumps({
        "description": "token collision", "months": ["2026-03"],
        "error": {"kind": "token_collision", "message_contains": ["Bank A", "Bank-A"]}}))
    (case / "ods.json").write_text(json.dumps({
        "bank": [{"idbank": 1, "name": "Bank A", "capitalization": 0},
                 {"idbank": 2, "name": "Bank-A", "capitalization": 0}],
        "branch": [], "client": [], "account": [], "loans": []}))
    (case / "expected" / "rows.json").write_text("[]")
    return case
