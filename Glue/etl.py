"""AWS Glue 5.0 entry point of the monthly loan extract (Spark 3.5, Python 3).

Thin on purpose: it resolves the arguments, creates the Glue/Spark context and the AWS clients,
and hands over to ``extract_job.runner.run_extract``. Everything else is in the ``extract_job``
package (shipped with ``--extra-py-files``) and is tested without Spark; the figures come only
from the shared SQL file (``--sql_uri``). See Glue/README.md.

Exit status: Glue marks the run FAILED (and the failure alarm fires) when this script raises;
the cause is logged on one line first. Credentials are fetched at run time and never logged.
"""
from __future__ import annotations

import sys
from datetime import datetime, timezone

import boto3
from awsglue.context import GlueContext
from awsglue.job import Job
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext

from extract_job.arguments import JobArguments, parse_job_arguments, present_options
from extract_job.ods_read import JdbcSource, source_from_connection, source_from_secret
from extract_job.publish import ExtractStore
from extract_job.runner import load_views, run_extract
from extract_job.spark_io import compute_with_spark


def resolve_source(glue_context: GlueContext, args: JobArguments) -> JdbcSource:
    """JDBC URL and credentials: the Secrets Manager secret first, else the Glue connection."""
    connection_conf = (
        glue_context.extract_jdbc_conf(args.glue_connection_name)
        if args.glue_connection_name else None
    )
    if args.source_secret_id:
        secret = boto3.client("secretsmanager").get_secret_value(SecretId=args.source_secret_id)
        url = (connection_conf or {}).get("fullUrl") or (connection_conf or {}).get("url")
        return source_from_secret(secret["SecretString"], url)
    return source_from_connection(connection_conf or {})


def main(argv: list[str]) -> None:
    """Run one extract job; raises (so Glue fails the run) after logging the cause."""
    started_at = datetime.now(timezone.utc)
    options = getResolvedOptions(argv, present_options(argv))
    spark_context = SparkContext.getOrCreate()
    glue_context = GlueContext(spark_context)
    logger = glue_context.get_logger()
    job = Job(glue_context)
    job.init(options.get("JOB_NAME", "loan-extract"), options)
    try:
        args = parse_job_arguments(options, started_at.date())
        s3 = boto3.client("s3")
        views = load_views(s3, args.sql_uri)
        logger.info(f"sql: {len(views)} view(s) from {args.sql_uri}: "
                    + ", ".join(v.name for v in views))
        source = resolve_source(glue_context, args)
        run_extract(
            args,
            views=views,
            compute=compute_with_spark(glue_context.spark_session, source,
                                       args.jdbc_num_partitions, logger),
            store=ExtractStore(s3, args.output_bucket, args.output_prefix, args.kms_key_id),
            log=logger,
            started_at=started_at,
        )
    except Exception as exc:  # not bare: log the cause on one line, then fail the Glue run
        logger.error(f"extract run FAILED: {type(exc).__name__}: {exc}")
        raise
    job.commit()


if __name__ == "__main__":
    main(sys.argv)
