"""The job's flow between the arguments and the published months, with Spark injected.

``etl.py`` wires the real pieces (Glue logger, Spark SQL via ``spark_io``, boto3); the tests
wire golden-vector results and a local S3 server. Keeping the flow here means the order that
matters (all months rendered and token-checked before the first publish; one publish per
month) is tested, not just read.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable, Mapping, Optional, Sequence

from .arguments import JobArguments, split_s3_uri
from .csv_render import ExtractRow
from .keys import Bank
from .manifest import build_manifest, data_quality_json
from .month_files import data_quality_by_month, render_months
from .months import ExtractMonth, Window, combined_window, labels
from .publish import ExtractStore, PublishHook, PublishResult, StageLog, publish_month
from .sql_views import SqlView, split_views


@dataclass(frozen=True)
class SqlResults:
    """What the host collects after running the shared SQL (all months at once)."""

    banks: list[Bank]
    rows: list[ExtractRow]
    data_quality: list[Mapping[str, Any]]


#: Runs the SQL for the months over the combined window and collects its results.
ComputeResults = Callable[[Sequence[ExtractMonth], Window, Sequence[SqlView]], SqlResults]


def load_views(s3_client: Any, sql_uri: str) -> list[SqlView]:
    """Fetch the shared SQL file from S3 (shipped by Terraform) and split it into views."""
    bucket, key = split_s3_uri(sql_uri)
    text = s3_client.get_object(Bucket=bucket, Key=key)["Body"].read().decode("utf-8")
    return split_views(text)


def run_extract(
    args: JobArguments,
    *,
    views: Sequence[SqlView],
    compute: ComputeResults,
    store: ExtractStore,
    log: StageLog,
    started_at: datetime,
    hook: Optional[PublishHook] = None,
    clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
) -> list[PublishResult]:
    """Compute every month in one pass, render all files, then publish month by month."""
    t0 = time.monotonic()
    window = combined_window(args.months)
    log.info(
        f"extract run {args.run_id}: months {labels(args.months)}, combined window "
        f"[{window.start.isoformat()}, {window.end.isoformat()}), triggered by "
        f"{args.triggered_by!r}, reason {args.reason!r}"
    )
    results = compute(args.months, window, views)
    log.info(
        f"sql: {len(results.rows)} branch row(s), {len(results.banks)} bank(s), "
        f"{len(results.data_quality)} data-quality row(s) in {time.monotonic() - t0:.1f}s"
    )
    files_by_month = render_months(args.months, results.banks, results.rows)
    quality = data_quality_by_month(args.months, results.data_quality)
    for month in args.months:
        per_bank = ", ".join(f"{f.bank.token}={f.rows}" for f in files_by_month[month])
        log.info(f"rows per bank {month}: {per_bank or 'no banks'}")
        dq = data_quality_json(quality[month])
        log.info(
            f"data quality {month}: loans_read={dq['loans_read']} loans_used={dq['loans_used']} "
            + " ".join(f"{k}={v}" for k, v in dq["excluded"].items())
        )

    published: list[PublishResult] = []
    for month in args.months:
        files = files_by_month[month]

        def make_manifest(published_at: datetime, month: ExtractMonth = month,
                          files: Sequence = files) -> Mapping[str, Any]:
            return build_manifest(
                run_id=args.run_id, month=month, triggered_by=args.triggered_by,
                reason=args.reason, started_at=started_at, published_at=published_at,
                files=[f.entry() for f in files], data_quality=quality[month],
            )

        result = publish_month(
            store, run_id=args.run_id, month=month, files=files,
            make_manifest=make_manifest, log=log, hook=hook, clock=clock,
        )
        log.info(
            f"published {month}: {len(result.keys)} file(s), {result.bytes_written} bytes, "
            f"{len(result.stale_removed)} stale removed, in {result.elapsed_seconds:.1f}s"
        )
        published.append(result)
    log.info(
        f"extract run {args.run_id} done: {len(published)} month(s), "
        f"{sum(r.bytes_written for r in published)} bytes, elapsed {time.monotonic() - t0:.1f}s"
    )
    return published
