"""The Spark side of the job: JDBC reads, temp views, running the shared SQL, collecting.

Deliberately thin and free of business logic: every figure comes from the SQL views. It takes
the ``SparkSession`` as a parameter and imports ``pyspark`` only inside the one function that
needs a pyspark class, so the package still imports (and the rest is tested) without Spark.
Nothing here is executed by the local tests; it runs only in Glue (see Glue/README.md).
"""
from __future__ import annotations

import time
from typing import Any, Sequence

from .csv_render import ExtractRow
from .keys import Bank
from .months import EXTRACT_PARAMS_SCHEMA, ExtractMonth, Window, extract_params_rows
from .ods_read import (
    DIMENSION_QUERIES,
    JdbcSource,
    base_options,
    dimension_query,
    id_bounds,
    loans_bounds_query,
    loans_read_options,
)
from .publish import StageLog
from .runner import SqlResults
from .sql_views import RESULT_VIEWS, SqlView

RESULT_QUERY = "SELECT * FROM branch_moving_average ORDER BY month, bank_id, branch_id"
QUALITY_QUERY = "SELECT * FROM loan_data_quality ORDER BY month"
BANKS_QUERY = "SELECT idbank, name FROM bank ORDER BY idbank"


def _read_jdbc(spark: Any, options: dict[str, str]) -> Any:
    return spark.read.format("jdbc").options(**options).load()


def register_ods(spark: Any, source: JdbcSource, window: Window, num_partitions: int,
                 log: StageLog) -> None:
    """Read the ODS and register ``bank``, ``branch``, ``client``, ``account`` and ``loans``.

    Dimension tables are small: read whole and cached. The loans are read for the combined
    window only, in parallel partitions on ``idloan``, and persisted because both result views
    scan ``classified_loans`` (without it each would read PostgreSQL again).
    """
    from pyspark import StorageLevel  # lazy: only this function needs a pyspark class

    for table in DIMENSION_QUERIES:
        t0 = time.monotonic()
        frame = _read_jdbc(spark, {**base_options(source), "dbtable": dimension_query(table)}).cache()
        frame.createOrReplaceTempView(table)
        log.info(f"read {table}: {frame.count()} row(s) in {time.monotonic() - t0:.1f}s")

    t0 = time.monotonic()
    bounds_row = _read_jdbc(
        spark, {**base_options(source), "dbtable": loans_bounds_query(window)}
    ).collect()[0]
    bounds = id_bounds(bounds_row["min_id"], bounds_row["max_id"])
    options = loans_read_options(source, window, bounds, num_partitions)
    loans = _read_jdbc(spark, options).persist(StorageLevel.MEMORY_AND_DISK)
    loans.createOrReplaceTempView("loans")
    log.info(
        f"read loans [{window.start.isoformat()}, {window.end.isoformat()}) or NULL loan_date: "
        f"{loans.count()} row(s) in {options.get('numPartitions', '1')} partition(s) "
        f"(idloan {bounds.lower if bounds else '-'}..{bounds.upper if bounds else '-'}) "
        f"in {time.monotonic() - t0:.1f}s"
    )


def register_params_and_views(spark: Any, months: Sequence[ExtractMonth],
                              views: Sequence[SqlView]) -> None:
    """Register ``extract_params`` and then every SQL view in file order.

    Intermediate views (``classified_loans``) are cached: both result views read them, and the
    SQL file's header allows a host to materialize them once (the local engine does the same).
    """
    spark.createDataFrame(extract_params_rows(months), schema=EXTRACT_PARAMS_SCHEMA) \
        .createOrReplaceTempView("extract_params")
    for view in views:
        frame = spark.sql(view.body)
        if view.name not in RESULT_VIEWS:
            frame = frame.cache()
        frame.createOrReplaceTempView(view.name)


def collect_results(spark: Any) -> SqlResults:
    """Collect the two tiny result views and the bank list to the driver."""
    rows = [ExtractRow.from_mapping(r.asDict()) for r in spark.sql(RESULT_QUERY).collect()]
    quality = [r.asDict() for r in spark.sql(QUALITY_QUERY).collect()]
    banks = [Bank(int(r["idbank"]), r["name"]) for r in spark.sql(BANKS_QUERY).collect()]
    return SqlResults(banks=banks, rows=rows, data_quality=quality)


def compute_with_spark(spark: Any, source: JdbcSource, num_partitions: int, log: StageLog):
    """A ``runner.ComputeResults`` bound to a Spark session and an ODS source."""

    def compute(months: Sequence[ExtractMonth], window: Window,
                views: Sequence[SqlView]) -> SqlResults:
        register_ods(spark, source, window, num_partitions, log)
        register_params_and_views(spark, months, views)
        return collect_results(spark)

    return compute
