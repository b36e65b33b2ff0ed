"""The job's flow end to end without Spark: golden results in, published store out (s3rver)."""
from __future__ import annotations

import json
from datetime import date, datetime, timezone

import pytest

from conftest import GLUE_DIR, all_keys, read_object
from golden import error_case_names, ok_case_names
from extract_job.arguments import parse_job_arguments
from extract_job.keys import TokenError
from extract_job.publish import ExtractStore
from extract_job.runner import SqlResults, load_views, run_extract

PREFIX = "extracts"
STARTED = datetime(2026, 11, 27, 8, 1, 2, tzinfo=timezone.utc)


def job_args(case, bucket):
    return parse_job_arguments({
        "JOB_NAME": "loan-extract", "JOB_RUN_ID": "jr_golden", "output_bucket": bucket, "output_prefix": PREFIX,
        "source_secret_id": "ods/ro", "sql_uri": f"s3://{bucket}/sql/branch_moving_average.sql",
        "extract_months": ",".join(m.label for m in case.months), "triggered_by": "pytest", "reason": "golden",
    }, date(2100, 1, 1))


def compute_from(case, calls):
    def compute(months, window, views):
        calls.append((tuple(months), window, [v.name for v in views]))
        return SqlResults(banks=case.banks, rows=case.rows, data_quality=case.data_quality)
    return compute


@pytest.mark.parametrize("golden_case", ok_case_names(), indirect=True)
def test_golden_case_publishes_the_expected_bytes(golden_case, s3_client, bucket, log):
    calls = []
    args = job_args(golden_case, bucket)
    results = run_extract(args, views=[], compute=compute_from(golden_case, calls),
                          store=ExtractStore(s3_client, bucket, PREFIX), log=log, started_at=STARTED)
    assert len(calls) == 1, "a backfill is computed in one pass"
    assert calls[0][1].start == min(m.window_start for m in golden_case.months)
    published = {k[len(PREFIX) + 1:]: read_object(s3_client, bucket, k)
                 for k in all_keys(s3_client, bucket) if k.startswith(PREFIX + "/bank_name=")}
    assert published == golden_case.files
    assert [r.month for r in results] == list(golden_case.months)
    for month in golden_case.months:
        key = f"{PREFIX}/_manifests/year={month.year:04d}/month={month.month:02d}/manifest.json"
        manifest = json.loads(read_object(s3_client, bucket, key))
        assert manifest["month"] == month.label and manifest["run_id"] == "jr_golden"
        assert manifest["started_at"] == "2026-11-27T08:01:02Z"
        assert {f["key"] for f in manifest["files"]} == {k for k in golden_case.files
                                                         if f"/year={month.year:04d}/month={month.month:02d}/" in k}
    assert not [k for k in all_keys(s3_client, bucket) if "/_staging/" in k]
    assert any(line.startswith("data quality ") for line in log.lines)
    assert any(line.startswith("rows per bank ") for line in log.lines)


@pytest.mark.parametrize("golden_case", error_case_names(), indirect=True)
def test_token_errors_fail_before_anything_is_published(golden_case, s3_client, bucket, log):
    with pytest.raises(TokenError):
        run_extract(job_args(golden_case, bucket), views=[], compute=compute_from(golden_case, []),
                    store=ExtractStore(s3_client, bucket, PREFIX), log=log, started_at=STARTED)
    assert all_keys(s3_client, bucket) == []


def test_load_views_reads_the_shared_sql_from_s3(s3_client, bucket):
    sql = (GLUE_DIR / "sql" / "branch_moving_average.sql").read_bytes()
    s3_client.put_object(Bucket=bucket, Key="sql/branch_moving_average.sql", Body=sql)
    views = load_views(s3_client, f"s3://{bucket}/sql/branch_moving_average.sql")
    assert [v.name for v in views] == ["classified_loans", "branch_moving_average", "loan_data_quality"]
