# Glue: the JDBC connection to the ODS, a catalog database and a crawler over the ODS tables, a
# security configuration, and the extract job with its artifacts.

locals {
  job_name          = "${var.name_prefix}-extract"
  crawler_name      = "${var.name_prefix}-ods-crawler"
  database_name     = replace("${var.name_prefix}_ods", "-", "_")
  artifacts_prefix  = "glue"
  continuous_logs   = "/aws-glue/jobs/${local.job_name}"
  artifacts_arn     = "arn:${var.partition}:s3:::${var.artifacts_bucket}"
  extracts_arn      = "arn:${var.partition}:s3:::${var.extracts_bucket}"
  glue_arn_prefix   = "arn:${var.partition}:glue:${var.aws_region}:${var.account_id}"
  logs_arn_prefix   = "arn:${var.partition}:logs:${var.aws_region}:${var.account_id}:log-group"
  sql_key           = "${local.artifacts_prefix}/sql/branch_moving_average.sql"
  script_key        = "${local.artifacts_prefix}/etl.py"
  package_key       = "${local.artifacts_prefix}/extract_job.zip"
}

data "aws_subnet" "connection" {
  id = var.subnet_id
}

# ------------------------------------------------------------------ artifacts
# The package is zipped at plan time; the zip lands next to the root module, outside git (.gitignore).
data "archive_file" "extract_job" {
  type        = "zip"
  source_dir  = "${var.glue_source_dir}/extract_job"
  output_path = "${path.root}/.build/extract_job.zip"
  excludes    = ["**/__pycache__/**", "**/*.pyc", "tests/**"]
}

# source_hash (not etag): with SSE-KMS the S3 ETag is not the MD5, so etag would show a diff forever.
resource "aws_s3_object" "script" {
  bucket                 = var.artifacts_bucket
  key                    = local.script_key
  source                 = "${var.glue_source_dir}/etl.py"
  source_hash            = filemd5("${var.glue_source_dir}/etl.py")
  server_side_encryption = "aws:kms"
  kms_key_id             = var.kms_key_arn
  content_type           = "text/x-python"
}

resource "aws_s3_object" "sql" {
  bucket                 = var.artifacts_bucket
  key                    = local.sql_key
  source                 = "${var.glue_source_dir}/sql/branch_moving_average.sql"
  source_hash            = filemd5("${var.glue_source_dir}/sql/branch_moving_average.sql")
  server_side_encryption = "aws:kms"
  kms_key_id             = var.kms_key_arn
  content_type           = "application/sql"
}

resource "aws_s3_object" "package" {
  bucket                 = var.artifacts_bucket
  key                    = local.package_key
  source                 = data.archive_file.extract_job.output_path
  source_hash            = data.archive_file.extract_job.output_md5
  server_side_encryption = "aws:kms"
  kms_key_id             = var.kms_key_arn
  content_type           = "application/zip"
}

# ------------------------------------------------------------------ catalog, connection, crawler
resource "aws_glue_catalog_database" "ods" {
  name        = local.database_name
  description = "Metadata of the ODS tables, maintained by the ${local.crawler_name} crawler"
}

# Credentials come from the secret (SECRET_ID), never from connection properties; SSL is enforced.
resource "aws_glue_connection" "ods" {
  name            = "${var.name_prefix}-ods"
  description     = "JDBC to the ODS Aurora PostgreSQL cluster"
  connection_type = "JDBC"
  connection_properties = {
    JDBC_CONNECTION_URL = "jdbc:postgresql://${var.ods_host}:${var.ods_port}/${var.ods_database}"
    SECRET_ID           = var.secret_arn
    JDBC_ENFORCE_SSL    = "true"
  }

  physical_connection_requirements {
    availability_zone      = data.aws_subnet.connection.availability_zone
    subnet_id              = var.subnet_id
    security_group_id_list = [var.security_group_id]
  }
}

# KMS for everything Glue writes: S3 objects, CloudWatch logs, job bookmarks.
resource "aws_glue_security_configuration" "this" {
  name = "${var.name_prefix}-glue"

  encryption_configuration {
    s3_encryption {
      s3_encryption_mode = "SSE-KMS"
      kms_key_arn        = var.kms_key_arn
    }
    cloudwatch_encryption {
      cloudwatch_encryption_mode = "SSE-KMS"
      kms_key_arn                = var.kms_key_arn
    }
    job_bookmarks_encryption {
      job_bookmarks_encryption_mode = "CSE-KMS"
      kms_key_arn                   = var.kms_key_arn
    }
  }
}

resource "aws_glue_crawler" "ods" {
  name                   = local.crawler_name
  description            = "Catalogs the ODS tables (bank, branch, client, account, loans)"
  database_name          = aws_glue_catalog_database.ods.name
  role                   = aws_iam_role.crawler.arn
  security_configuration = aws_glue_security_configuration.this.name

  jdbc_target {
    connection_name = aws_glue_connection.ods.name
    path            = "${var.ods_database}/${var.ods_schema}/%"
  }

  # Columns added in the ODS are picked up; a dropped table is only marked deprecated, never deleted,
  # so a bad crawl cannot remove metadata the job relies on.
  schema_change_policy {
    update_behavior = "UPDATE_IN_DATABASE"
    delete_behavior = "DEPRECATE_IN_DATABASE"
  }

  recrawl_policy {
    recrawl_behavior = "CRAWL_EVERYTHING"
  }
}

# ------------------------------------------------------------------ job
resource "aws_cloudwatch_log_group" "job" {
  name              = local.continuous_logs
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
}

resource "aws_glue_job" "extract" {
  name                   = local.job_name
  description            = "Monthly per-bank moving-average loan extracts (Glue/etl.py)"
  role_arn               = aws_iam_role.job.arn
  glue_version           = "5.0"
  worker_type            = var.worker_type
  number_of_workers      = var.number_of_workers
  timeout                = var.timeout_minutes
  max_retries            = var.max_retries
  connections            = [aws_glue_connection.ods.name]
  security_configuration = aws_glue_security_configuration.this.name

  command {
    name            = "glueetl"
    script_location = "s3://${var.artifacts_bucket}/${aws_s3_object.script.key}"
    python_version  = "3"
  }

  execution_property {
    max_concurrent_runs = var.max_concurrent_runs
  }

  # Must match Glue/etl.py exactly; a run overrides --extract_months/--triggered_by/--reason.
  default_arguments = {
    "--extract_months"                   = ""
    "--output_bucket"                    = var.extracts_bucket
    "--output_prefix"                    = var.output_prefix
    "--triggered_by"                     = "schedule"
    "--reason"                           = "monthly schedule"
    "--source_secret_id"                 = var.secret_arn
    "--glue_connection_name"             = aws_glue_connection.ods.name
    "--sql_uri"                          = "s3://${var.artifacts_bucket}/${aws_s3_object.sql.key}"
    "--extra-py-files"                   = "s3://${var.artifacts_bucket}/${aws_s3_object.package.key}"
    "--job-language"                     = "python"
    "--enable-continuous-cloudwatch-log" = "true"
    "--continuous-log-logGroup"          = aws_cloudwatch_log_group.job.name
    "--enable-metrics"                   = "true"
    "--enable-job-insights"              = "true"
    # Each month is recomputed whole, so bookmarks would only skip data wrongly.
    "--job-bookmark-option" = "job-bookmark-disable"
  }
}
