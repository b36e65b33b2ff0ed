"""The run manifest JSON of docs/extract-store.md ("Manifest JSON").

The same document is written twice per published month: once as ``runs/<run_id>.json`` (the
audit trail, never rewritten) and once as ``manifest.json`` (what is published now). The portal
and the auditors read it, so key names and order follow the documented example exactly.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Mapping, Sequence

from .keys import month_folder_suffix
from .months import ExtractMonth

MANIFEST_VERSION = 1
ENGINE = "glue"
DATA_QUALITY_REASONS: tuple[str, ...] = (
    "null_amount",
    "null_loan_date",
    "orphan_account",
    "orphan_client",
    "orphan_branch",
    "orphan_bank",
)
CONTROL_TOTAL_COLUMNS: tuple[str, ...] = ("loan_count", "loan_amount", "loan_count_3m", "loan_amount_3m")


@dataclass(frozen=True)
class FileEntry:
    """One published extract file as the manifest lists it."""

    bank_id: int
    bank_name: str
    token: str
    key: str
    rows: int
    bytes: int
    sha256: str
    control_totals: Mapping[str, int]

    def to_json(self) -> dict[str, Any]:
        return {
            "bank_id": self.bank_id,
            "bank_name": self.bank_name,
            "token": self.token,
            "key": self.key,
            "rows": self.rows,
            "bytes": self.bytes,
            "sha256": self.sha256,
            "control_totals": {c: int(self.control_totals[c]) for c in CONTROL_TOTAL_COLUMNS},
        }


def timestamp(moment: datetime) -> str:
    """``YYYY-MM-DDTHH:MM:SSZ`` in UTC."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def data_quality_json(row: Mapping[str, Any]) -> dict[str, Any]:
    """A ``loan_data_quality`` row in the manifest's nested shape."""
    return {
        "loans_read": int(row["loans_read"]),
        "loans_used": int(row["loans_used"]),
        "excluded": {reason: int(row[reason]) for reason in DATA_QUALITY_REASONS},
    }


def build_manifest(
    *,
    run_id: str,
    month: ExtractMonth,
    triggered_by: str,
    reason: str,
    started_at: datetime,
    published_at: datetime,
    files: Sequence[FileEntry],
    data_quality: Mapping[str, Any],
    engine: str = ENGINE,
) -> dict[str, Any]:
    """The manifest document for one published month; ``files`` are ordered by key."""
    return {
        "manifest_version": MANIFEST_VERSION,
        "run_id": run_id,
        "engine": engine,
        "month": month.label,
        "window_start": month.window_start.isoformat(),
        "window_end": month.window_end.isoformat(),
        "triggered_by": triggered_by,
        "reason": reason,
        "started_at": timestamp(started_at),
        "published_at": timestamp(published_at),
        "files": [f.to_json() for f in sorted(files, key=lambda f: f.key)],
        "data_quality": data_quality_json(data_quality),
    }


def manifest_bytes(manifest: Mapping[str, Any]) -> bytes:
    """UTF-8 JSON with 2-space indentation, non-ASCII bank names kept as they are."""
    return json.dumps(manifest, indent=2, ensure_ascii=False).encode("utf-8")


def manifest_keys(month: ExtractMonth, run_id: str) -> tuple[str, str]:
    """(``runs/<run_id>.json``, ``manifest.json``) under ``_manifests/year=/month=/``."""
    folder = "_manifests/" + month_folder_suffix(month)
    return folder + f"runs/{run_id}.json", folder + "manifest.json"
