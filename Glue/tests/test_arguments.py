"""Job arguments: defaults, the three month forms, and every refusal with a clear message."""
from datetime import date

import pytest

from extract_job import ExtractJobError
from extract_job.arguments import (
    DEFAULT_JDBC_PARTITIONS,
    parse_job_arguments,
    parse_months,
    present_options,
    split_s3_uri,
    validate_prefix,
)
from extract_job.months import ExtractMonth

TODAY = date(2026, 11, 27)
GOOD = {
    "JOB_NAME": "loan-extract",
    "JOB_RUN_ID": "jr_0123abcd",
    "output_bucket": "acme-extracts-prod",
    "output_prefix": "extracts",
    "source_secret_id": "ods/readonly",
    "sql_uri": "s3://acme-glue-scripts/sql/branch_moving_average.sql",
}


def labels(months):
    return [m.label for m in months]


def test_default_is_the_previous_calendar_month():
    assert labels(parse_months(None, TODAY)) == ["2026-10"]
    assert labels(parse_months("", date(2026, 1, 15))) == ["2025-12"]


def test_single_month_list_and_range():
    assert labels(parse_months("2026-03", TODAY)) == ["2026-03"]
    assert labels(parse_months("2026-03,2025-12,2026-03", TODAY)) == ["2025-12", "2026-03"]
    assert labels(parse_months("2025-11..2026-02", TODAY)) == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert labels(parse_months(" 2026-01 , 2026-02 ", TODAY)) == ["2026-01", "2026-02"]


@pytest.mark.parametrize("text", ["2026-11", "2026-12", "2026-10..2026-11", "2026-01,2027-01"])
def test_refuses_a_month_that_has_not_ended(text):
    with pytest.raises(ExtractJobError, match="has not ended yet"):
        parse_months(text, TODAY)


def test_last_day_of_month_is_still_not_ended():
    with pytest.raises(ExtractJobError, match="2026-02 has not ended"):
        parse_months("2026-02", date(2026, 2, 28))
    assert labels(parse_months("2026-02", date(2026, 3, 1))) == ["2026-02"]


@pytest.mark.parametrize("text", ["2026-3", "2026-03..", "2026-01..2026-02..2026-03", "2026-01..2026-02,2026-04", "march", "2026-02..2025-12"])
def test_refuses_malformed_months(text):
    with pytest.raises(ExtractJobError):
        parse_months(text, TODAY)


def test_refuses_an_overlong_backfill():
    with pytest.raises(ExtractJobError, match="at most"):
        parse_months("2000-01..2026-01", TODAY)


def test_parse_job_arguments_good_with_defaults():
    args = parse_job_arguments(GOOD, TODAY)
    assert labels(args.months) == ["2026-10"]
    assert args.output_prefix == "extracts"
    assert args.triggered_by == "schedule" and args.reason == "monthly schedule"
    assert args.jdbc_num_partitions == DEFAULT_JDBC_PARTITIONS
    assert args.run_id == "jr_0123abcd"
    assert args.glue_connection_name is None and args.kms_key_id is None
    assert args.as_manifest_arguments()["extract_months"] == "2026-10"


def test_parse_job_arguments_all_given():
    args = parse_job_arguments(
        {**GOOD, "extract_months": "2026-01..2026-03", "output_prefix": "a/b=c/", "triggered_by": "op@example",
         "reason": "re-run after ODS fix", "glue_connection_name": "ods-conn", "kms_key_id": "alias/extracts",
         "jdbc_num_partitions": "16"},
        TODAY,
    )
    assert labels(args.months) == ["2026-01", "2026-02", "2026-03"]
    assert args.output_prefix == "a/b=c"
    assert (args.triggered_by, args.reason) == ("op@example", "re-run after ODS fix")
    assert (args.glue_connection_name, args.kms_key_id, args.jdbc_num_partitions) == ("ods-conn", "alias/extracts", 16)


@pytest.mark.parametrize(
    "change, message",
    [
        ({"output_bucket": "Bad_Bucket"}, "--output_bucket"),
        ({"output_bucket": ""}, "--output_bucket"),
        ({"output_bucket": "a..b"}, "--output_bucket"),
        ({"output_prefix": "/extracts"}, "must not start with '/'"),
        ({"output_prefix": "extracts/../other"}, "'..'"),
        ({"output_prefix": "a//b"}, "--output_prefix"),
        ({"output_prefix": ""}, "--output_prefix is required"),
        ({"output_prefix": "a b"}, "--output_prefix"),
        ({"source_secret_id": ""}, "--source_secret_id or --glue_connection_name"),
        ({"sql_uri": "https://x/y.sql"}, "--sql_uri"),
        ({"sql_uri": ""}, "--sql_uri"),
        ({"triggered_by": "a\nb"}, "--triggered_by"),
        ({"reason": "x" * 201}, "--reason"),
        ({"jdbc_num_partitions": "0"}, "--jdbc_num_partitions"),
        ({"jdbc_num_partitions": "eight"}, "--jdbc_num_partitions"),
        ({"JOB_RUN_ID": ""}, "JOB_RUN_ID"),
        ({"extract_months": "2026-11"}, "has not ended"),
    ],
)
def test_parse_job_arguments_refusals(change, message):
    with pytest.raises(ExtractJobError) as info:
        parse_job_arguments({**GOOD, **change}, TODAY)
    assert message in str(info.value)


def test_validate_prefix_strips_one_trailing_slash():
    assert validate_prefix("extracts/prod/") == "extracts/prod"


def test_present_options_lists_only_known_names_that_were_passed():
    argv = ["etl.py", "--JOB_NAME", "j", "--JOB_RUN_ID=jr_1", "--output_bucket", "b",
            "--extract_months", "2026-01", "--job-bookmark-option", "job-bookmark-disable", "--unknown", "x"]
    assert present_options(argv) == ["JOB_NAME", "JOB_RUN_ID", "extract_months", "output_bucket"]


def test_split_s3_uri():
    assert split_s3_uri("s3://bucket-1/sql/a.sql") == ("bucket-1", "sql/a.sql")
    with pytest.raises(ExtractJobError):
        split_s3_uri("s3://bucket-1")


def test_months_are_extract_months():
    assert parse_job_arguments({**GOOD, "extract_months": "2024-02"}, TODAY).months == (ExtractMonth(2024, 2),)
