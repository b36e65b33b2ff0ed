"""The job's arguments: parsing and validation before anything touches the ODS or S3.

Glue's ``getResolvedOptions`` fails on an argument that is declared but not passed, so
``etl.py`` asks it only for the names present in ``sys.argv`` (``present_options``) and hands
the resulting dict to ``parse_job_arguments``, which applies defaults and every check. The
argument names are a fixed contract shared with Terraform and the portal.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Mapping, Optional, Sequence

from . import ExtractJobError
from .months import ExtractMonth, month_range

#: Every option the job understands (without the leading ``--``).
KNOWN_OPTIONS: tuple[str, ...] = (
    "JOB_NAME",
    "JOB_RUN_ID",
    "extract_months",
    "output_bucket",
    "output_prefix",
    "triggered_by",
    "reason",
    "source_secret_id",
    "glue_connection_name",
    "sql_uri",
    "kms_key_id",
    "jdbc_num_partitions",
)

DEFAULT_TRIGGERED_BY = "schedule"
DEFAULT_REASON = "monthly schedule"
DEFAULT_JDBC_PARTITIONS = 8
MAX_JDBC_PARTITIONS = 200
#: A backfill is computed in one pass; this bounds the combined window read from the ODS.
MAX_MONTHS_PER_RUN = 60

_BUCKET_RE = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_PREFIX_SEGMENT_RE = re.compile(r"^[A-Za-z0-9!_.*'()=-]+$")
_S3_URI_RE = re.compile(r"^s3://([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])/(\S+)$")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
_RANGE_SEPARATOR = ".."


@dataclass(frozen=True)
class JobArguments:
    """Validated arguments of one job run."""

    months: tuple[ExtractMonth, ...]
    output_bucket: str
    output_prefix: str
    triggered_by: str
    reason: str
    source_secret_id: Optional[str]
    glue_connection_name: Optional[str]
    sql_uri: str
    kms_key_id: Optional[str]
    jdbc_num_partitions: int
    run_id: str

    def as_manifest_arguments(self) -> dict[str, str]:
        """The arguments worth recording (never credentials; the secret id is only a name)."""
        return {
            "extract_months": ",".join(m.label for m in self.months),
            "output_bucket": self.output_bucket,
            "output_prefix": self.output_prefix,
            "triggered_by": self.triggered_by,
            "reason": self.reason,
        }


def present_options(argv: Sequence[str]) -> list[str]:
    """The known option names that appear in ``argv`` (``--name value`` or ``--name=value``)."""
    seen = set()
    for token in argv:
        if token.startswith("--"):
            seen.add(token[2:].split("=", 1)[0])
    return [name for name in KNOWN_OPTIONS if name in seen]


def previous_month(today: date) -> ExtractMonth:
    """The scheduled run's month: the calendar month before ``today``."""
    return ExtractMonth.containing(today).shifted(-1)


def parse_months(text: Optional[str], today: date) -> tuple[ExtractMonth, ...]:
    """Parse ``YYYY-MM``, ``YYYY-MM,YYYY-MM,...`` or ``YYYY-MM..YYYY-MM``.

    Empty means the previous calendar month. The result is sorted and de-duplicated. A month
    that has not ended by ``today`` (UTC) is refused: its files would change after publishing.
    """
    if text is None or not text.strip():
        months = [previous_month(today)]
    elif _RANGE_SEPARATOR in text:
        parts = text.split(_RANGE_SEPARATOR)
        if len(parts) != 2 or "," in text:
            raise ExtractJobError(f"invalid --extract_months {text!r}: a range is YYYY-MM..YYYY-MM")
        months = month_range(ExtractMonth.parse(parts[0]), ExtractMonth.parse(parts[1]))
    else:
        months = [ExtractMonth.parse(part) for part in text.split(",")]
    unique = tuple(sorted(set(months)))
    if len(unique) > MAX_MONTHS_PER_RUN:
        raise ExtractJobError(
            f"--extract_months covers {len(unique)} months; at most {MAX_MONTHS_PER_RUN} per run"
        )
    not_ended = [m.label for m in unique if not m.has_ended(today)]
    if not_ended:
        raise ExtractJobError(
            f"month {', '.join(not_ended)} has not ended yet (today is {today.isoformat()} UTC); "
            "only complete past months can be extracted"
        )
    return unique


def validate_bucket(name: Optional[str]) -> str:
    """An S3 bucket name (lower case, 3-63 characters, no ``..``)."""
    if not name or not _BUCKET_RE.match(name) or ".." in name:
        raise ExtractJobError(f"invalid --output_bucket {name!r}: expected an S3 bucket name")
    return name


def validate_prefix(prefix: Optional[str]) -> str:
    """The extract root inside the bucket, returned without a trailing ``/``.

    Refuses a leading ``/``, ``..`` or ``.`` segments, empty segments and characters outside
    S3's safe set, so a typo cannot write outside the intended folder.
    """
    if prefix is None or not prefix.strip():
        raise ExtractJobError("--output_prefix is required (the extract root inside the bucket)")
    if prefix.startswith("/"):
        raise ExtractJobError(f"invalid --output_prefix {prefix!r}: must not start with '/'")
    trimmed = prefix[:-1] if prefix.endswith("/") else prefix
    for segment in trimmed.split("/"):
        if segment in ("", ".", "..") or not _PREFIX_SEGMENT_RE.match(segment):
            raise ExtractJobError(
                f"invalid --output_prefix {prefix!r}: segment {segment!r} is empty, '.', '..' "
                "or has characters outside A-Z a-z 0-9 ! _ . * ' ( ) = -"
            )
    return trimmed


def validate_text(option: str, value: Optional[str], default: str, max_length: int = 200) -> str:
    """A free-text audit field: defaulted when absent, single line, bounded length."""
    if value is None or not value.strip():
        return default
    value = value.strip()
    if len(value) > max_length or _CONTROL_RE.search(value):
        raise ExtractJobError(
            f"invalid --{option}: at most {max_length} characters on one line"
        )
    return value


def validate_sql_uri(uri: Optional[str]) -> str:
    """``s3://bucket/key`` of the shared SQL file that Terraform ships next to the script."""
    if not uri or not _S3_URI_RE.match(uri):
        raise ExtractJobError(f"invalid --sql_uri {uri!r}: expected s3://<bucket>/<key>.sql")
    return uri


def split_s3_uri(uri: str) -> tuple[str, str]:
    """``s3://bucket/key`` -> ``(bucket, key)``."""
    match = _S3_URI_RE.match(uri)
    if not match:
        raise ExtractJobError(f"invalid S3 URI {uri!r}")
    return match.group(1), match.group(2)


def _optional_name(option: str, value: Optional[str]) -> Optional[str]:
    if value is None or not value.strip():
        return None
    value = value.strip()
    if len(value) > 512 or _CONTROL_RE.search(value) or " " in value:
        raise ExtractJobError(f"invalid --{option} {value!r}")
    return value


def _partitions(value: Optional[str]) -> int:
    if value is None or not value.strip():
        return DEFAULT_JDBC_PARTITIONS
    if not value.strip().isdigit() or not 1 <= int(value) <= MAX_JDBC_PARTITIONS:
        raise ExtractJobError(
            f"invalid --jdbc_num_partitions {value!r}: an integer from 1 to {MAX_JDBC_PARTITIONS}"
        )
    return int(value)


def parse_job_arguments(options: Mapping[str, str], today: date) -> JobArguments:
    """Validate the resolved options of a run; raises ``ExtractJobError`` naming the bad one."""
    secret_id = _optional_name("source_secret_id", options.get("source_secret_id"))
    connection = _optional_name("glue_connection_name", options.get("glue_connection_name"))
    if secret_id is None and connection is None:
        raise ExtractJobError(
            "either --source_secret_id or --glue_connection_name is required to reach the ODS"
        )
    run_id = options.get("JOB_RUN_ID") or ""
    if not run_id.strip() or _CONTROL_RE.search(run_id) or "/" in run_id:
        raise ExtractJobError(f"invalid or missing JOB_RUN_ID {run_id!r}")
    return JobArguments(
        months=parse_months(options.get("extract_months"), today),
        output_bucket=validate_bucket(options.get("output_bucket")),
        output_prefix=validate_prefix(options.get("output_prefix")),
        triggered_by=validate_text("triggered_by", options.get("triggered_by"), DEFAULT_TRIGGERED_BY),
        reason=validate_text("reason", options.get("reason"), DEFAULT_REASON),
        source_secret_id=secret_id,
        glue_connection_name=connection,
        sql_uri=validate_sql_uri(options.get("sql_uri")),
        kms_key_id=_optional_name("kms_key_id", options.get("kms_key_id")),
        jdbc_num_partitions=_partitions(options.get("jdbc_num_partitions")),
        run_id=run_id.strip(),
    )
