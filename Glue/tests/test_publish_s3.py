"""The publishing protocol against a real S3-compatible server (s3rver on 127.0.0.1).

Covers what the consumer relies on: a complete publish, an idempotent re-run, a run failing
mid-publish leaving the previous month intact with nothing temporary under ``bank_name=``, and
stale-object removal limited to the published month.
"""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from decimal import Decimal

import pytest

from conftest import all_keys, read_object
from extract_job.csv_render import ExtractRow
from extract_job.keys import Bank
from extract_job.manifest import build_manifest
from extract_job.month_files import render_months
from extract_job.months import ExtractMonth
from extract_job.publish import (
    STEP_COPIED,
    STEP_STAGED,
    STEP_STALE_REMOVED,
    ExtractStore,
    PublishError,
    publish_month,
)

MARCH = ExtractMonth(2026, 3)
FEBRUARY = ExtractMonth(2026, 2)
PREFIX = "extracts/prod"
BANKS = [Bank(1, "Coral Bank & Trust"), Bank(2, "Bank Two")]
DQ = {"month": "2026-03", "loans_read": 3, "loans_used": 3, "null_amount": 0, "null_loan_date": 0,
      "orphan_account": 0, "orphan_client": 0, "orphan_branch": 0, "orphan_bank": 0}
FIXED = datetime(2026, 11, 27, 8, 0, 0, tzinfo=timezone.utc)


def rows(month: ExtractMonth, amount: int = 350) -> list[ExtractRow]:
    return [ExtractRow(month.label, 1, "Coral Bank & Trust", 7, "1 Main St", 1, 50, 3, amount,
                       Decimal(amount) / 3, Decimal(amount) / 3),
            ExtractRow(month.label, 2, "Bank Two", 9, "x", 0, 0, 0, 0, Decimal(0), None)]


def files_for(month: ExtractMonth, banks=BANKS, amount: int = 350):
    return render_months([month], banks, rows(month, amount) if banks is BANKS else [])[month]


def publish(store, run_id, month, files, log, hook=None):
    def make_manifest(published_at):
        return build_manifest(run_id=run_id, month=month, triggered_by="t", reason="r", started_at=FIXED,
                              published_at=published_at, files=[f.entry() for f in files],
                              data_quality={**DQ, "month": month.label})
    return publish_month(store, run_id=run_id, month=month, files=files, make_manifest=make_manifest,
                         log=log, hook=hook, clock=lambda: FIXED)


def extract_keys(s3_client, bucket):
    return [k for k in all_keys(s3_client, bucket) if k.startswith(PREFIX + "/bank_name=")]


@pytest.fixture
def store(s3_client, bucket):
    return ExtractStore(s3_client, bucket, PREFIX, kms_key_id="alias/extracts")


def test_successful_publish_writes_files_manifests_and_no_staging(store, s3_client, bucket, log):
    files = files_for(MARCH)
    result = publish(store, "jr_1", MARCH, files, log)
    assert all_keys(s3_client, bucket) == sorted([
        f"{PREFIX}/bank_name=BankTwo/year=2026/month=03/BankTwo_20260331.csv",
        f"{PREFIX}/bank_name=CoralBankTrust/year=2026/month=03/CoralBankTrust_20260331.csv",
        f"{PREFIX}/_manifests/year=2026/month=03/manifest.json",
        f"{PREFIX}/_manifests/year=2026/month=03/runs/jr_1.json",
    ])
    for f in files:
        assert read_object(s3_client, bucket, f"{PREFIX}/{f.key}") == f.body
        head = s3_client.head_object(Bucket=bucket, Key=f"{PREFIX}/{f.key}")
        assert head["ContentType"].startswith("text/csv")
    current = read_object(s3_client, bucket, f"{PREFIX}/_manifests/year=2026/month=03/manifest.json")
    assert current == read_object(s3_client, bucket, f"{PREFIX}/_manifests/year=2026/month=03/runs/jr_1.json")
    manifest = json.loads(current)
    assert manifest["run_id"] == "jr_1" and manifest["engine"] == "glue"
    for entry in manifest["files"]:
        body = read_object(s3_client, bucket, f"{PREFIX}/{entry['key']}")
        assert (entry["bytes"], entry["sha256"]) == (len(body), hashlib.sha256(body).hexdigest())
    assert result.bytes_written == sum(len(f.body) for f in files) and result.stale_removed == []
    assert any("staged and verified 2 file(s)" in line for line in log.lines)


def test_rerun_gives_the_same_bytes_and_no_duplicates(store, s3_client, bucket, log):
    files = files_for(MARCH)
    publish(store, "jr_1", MARCH, files, log)
    before = {k: read_object(s3_client, bucket, k) for k in extract_keys(s3_client, bucket)}
    publish(store, "jr_2", MARCH, files_for(MARCH), log)
    after = {k: read_object(s3_client, bucket, k) for k in extract_keys(s3_client, bucket)}
    assert after == before
    manifests = [k for k in all_keys(s3_client, bucket) if "/_manifests/" in k]
    assert manifests == sorted([f"{PREFIX}/_manifests/year=2026/month=03/manifest.json",
                                f"{PREFIX}/_manifests/year=2026/month=03/runs/jr_1.json",
                                f"{PREFIX}/_manifests/year=2026/month=03/runs/jr_2.json"])
    assert json.loads(read_object(s3_client, bucket, manifests[0]))["run_id"] == "jr_2"
    assert not [k for k in all_keys(s3_client, bucket) if "/_staging/" in k]


@pytest.mark.parametrize("failing_step", [STEP_STAGED])
def test_failure_before_the_switch_leaves_the_previous_month_intact(store, s3_client, bucket, log, failing_step):
    publish(store, "jr_1", MARCH, files_for(MARCH), log)
    snapshot = {k: read_object(s3_client, bucket, k) for k in all_keys(s3_client, bucket)}
    new_files = files_for(MARCH, amount=999)  # different bytes: a changed ODS
    assert new_files[1].body != snapshot[f"{PREFIX}/{new_files[1].key}"]

    seen_during_run: list[str] = []

    def fail(step):
        seen_during_run.extend(all_keys(s3_client, bucket))
        if step == failing_step:
            raise RuntimeError("injected failure between steps")

    with pytest.raises(RuntimeError, match="injected"):
        publish(store, "jr_2", MARCH, new_files, log, hook=fail)
    # staged objects existed during the run, but only outside bank_name=
    assert any("/_staging/jr_2/" in k for k in seen_during_run)
    assert not [k for k in seen_during_run if k.startswith(PREFIX + "/bank_name=") and "_staging" in k]
    # afterwards: exactly the previous publication, byte for byte, and the staging area is gone
    assert {k: read_object(s3_client, bucket, k) for k in all_keys(s3_client, bucket)} == snapshot


def test_stale_objects_of_that_month_only_are_removed(store, s3_client, bucket, log):
    publish(store, "jr_feb", FEBRUARY, files_for(FEBRUARY), log)
    old_march = f"{PREFIX}/bank_name=OldName/year=2026/month=03/OldName_20260331.csv"
    stray = f"{PREFIX}/bank_name=CoralBankTrust/year=2026/month=03/leftover.tmp"
    old_feb = f"{PREFIX}/bank_name=OldName/year=2026/month=02/OldName_20260228.csv"
    other_root = "other/bank_name=OldName/year=2026/month=03/OldName_20260331.csv"
    for key in (old_march, stray, old_feb, other_root):
        s3_client.put_object(Bucket=bucket, Key=key, Body=b"old")
    result = publish(store, "jr_mar", MARCH, files_for(MARCH), log)
    keys = all_keys(s3_client, bucket)
    assert old_march not in keys and stray not in keys
    assert old_feb in keys and other_root in keys
    assert result.stale_removed == sorted([old_march, stray])
    feb_files = [k for k in keys if "/month=02/" in k and "bank_name=" in k and "OldName" not in k]
    assert len(feb_files) == 2


def test_hook_sees_each_step_in_order(store, log):
    steps: list[str] = []
    publish(store, "jr_1", MARCH, files_for(MARCH), log, hook=steps.append)
    assert steps == [STEP_STAGED, STEP_COPIED, STEP_STALE_REMOVED, "manifests_written"]


def test_a_bank_without_branches_is_published_as_header_only(store, s3_client, bucket, log):
    files = render_months([MARCH], [Bank(5, "Quiet Bank")], [])[MARCH]
    publish(store, "jr_1", MARCH, files, log)
    body = read_object(s3_client, bucket, f"{PREFIX}/bank_name=QuietBank/year=2026/month=03/QuietBank_20260331.csv")
    assert body.count(b"\n") == 1 and body.startswith(b"bank_name,branch_id,")


def test_s3_errors_become_publish_errors_naming_month_and_step(s3_client, log):
    missing = ExtractStore(s3_client, "no-such-bucket-here", PREFIX)
    with pytest.raises(PublishError, match=r"publishing 2026-03 failed during step 'staged'"):
        publish(missing, "jr_1", MARCH, files_for(MARCH), log)


def test_keys_of_another_month_are_refused_before_any_write(store, s3_client, bucket, log):
    with pytest.raises(PublishError, match="not an extract key of this month"):
        publish(store, "jr_1", MARCH, files_for(FEBRUARY), log)
    assert all_keys(s3_client, bucket) == []


def test_sse_kms_arguments():
    assert ExtractStore(None, "b", "p").encryption() == {"ServerSideEncryption": "aws:kms"}
    assert ExtractStore(None, "b", "p", "alias/k").encryption() == {
        "ServerSideEncryption": "aws:kms", "SSEKMSKeyId": "alias/k"}
