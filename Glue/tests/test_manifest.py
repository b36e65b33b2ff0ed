"""The manifest JSON: documented keys in documented order, types, file order, location."""
import json
from datetime import datetime, timedelta, timezone

from extract_job.manifest import FileEntry, build_manifest, manifest_bytes, manifest_keys, timestamp
from extract_job.months import ExtractMonth

DQ_ROW = {"month": "2026-03", "loans_read": 7, "loans_used": 3, "null_amount": 1, "null_loan_date": 1,
          "orphan_account": 1, "orphan_client": 0, "orphan_branch": 0, "orphan_bank": 1}


def entry(token, key_month="03", bank_id=1):
    return FileEntry(bank_id=bank_id, bank_name=f"{token} Bank", token=token,
                     key=f"bank_name={token}/year=2026/month={key_month}/{token}_20260331.csv",
                     rows=2, bytes=123, sha256="a" * 64,
                     control_totals={"loan_count": 1, "loan_amount": 50, "loan_count_3m": 3, "loan_amount_3m": 350})


def build():
    return build_manifest(
        run_id="jr_abc", month=ExtractMonth(2026, 3), triggered_by="operator@example", reason="monthly schedule",
        started_at=datetime(2026, 11, 27, 8, 1, 2, 999, tzinfo=timezone.utc),
        published_at=datetime(2026, 11, 27, 9, 1, 5, tzinfo=timezone(timedelta(hours=1))),
        files=[entry("Zeta", bank_id=2), entry("Alpha", bank_id=3)], data_quality=DQ_ROW,
    )


def test_manifest_has_the_documented_shape_and_order():
    doc = build()
    assert list(doc) == ["manifest_version", "run_id", "engine", "month", "window_start", "window_end",
                         "triggered_by", "reason", "started_at", "published_at", "files", "data_quality"]
    assert doc["manifest_version"] == 1 and doc["engine"] == "glue" and doc["month"] == "2026-03"
    assert (doc["window_start"], doc["window_end"]) == ("2026-01-01", "2026-04-01")
    assert (doc["started_at"], doc["published_at"]) == ("2026-11-27T08:01:02Z", "2026-11-27T08:01:05Z")
    assert [f["token"] for f in doc["files"]] == ["Alpha", "Zeta"]
    assert list(doc["files"][0]) == ["bank_id", "bank_name", "token", "key", "rows", "bytes", "sha256", "control_totals"]
    assert doc["files"][0]["control_totals"] == {"loan_count": 1, "loan_amount": 50, "loan_count_3m": 3, "loan_amount_3m": 350}
    assert doc["data_quality"] == {
        "loans_read": 7, "loans_used": 3,
        "excluded": {"null_amount": 1, "null_loan_date": 1, "orphan_account": 1,
                     "orphan_client": 0, "orphan_branch": 0, "orphan_bank": 1},
    }


def test_manifest_bytes_are_utf8_json_with_two_space_indent():
    doc = build()
    doc["files"][0]["bank_name"] = "Crédit & Co"
    body = manifest_bytes(doc)
    assert json.loads(body.decode("utf-8")) == doc
    assert body.startswith(b'{\n  "manifest_version": 1,\n  "run_id": "jr_abc",')
    assert "Crédit & Co".encode("utf-8") in body


def test_manifest_keys():
    assert manifest_keys(ExtractMonth(2026, 3), "jr_abc") == (
        "_manifests/year=2026/month=03/runs/jr_abc.json", "_manifests/year=2026/month=03/manifest.json")


def test_timestamp_is_utc_seconds():
    assert timestamp(datetime(2026, 1, 2, 3, 4, 5, 678, tzinfo=timezone.utc)) == "2026-01-02T03:04:05Z"
