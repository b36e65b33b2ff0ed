variable "name_prefix" {
  description = "Prefix of every resource name."
  type        = string
}

variable "aws_region" {
  description = "Region of the Glue resources."
  type        = string
}

variable "account_id" {
  description = "Account id, for ARNs in IAM policies."
  type        = string
}

variable "partition" {
  description = "AWS partition."
  type        = string
  default     = "aws"
}

variable "kms_key_arn" {
  description = "KMS key for S3 output, CloudWatch logs and job bookmarks."
  type        = string
}

variable "artifacts_bucket" {
  description = "Bucket holding the job script, its package and the SQL."
  type        = string
}

variable "extracts_bucket" {
  description = "Bucket the job publishes the extracts to (--output_bucket)."
  type        = string
}

variable "output_prefix" {
  description = "Extract root prefix in the extracts bucket (--output_prefix)."
  type        = string
}

variable "glue_source_dir" {
  description = "Local folder with etl.py, extract_job/ and sql/branch_moving_average.sql."
  type        = string
}

variable "ods_host" {
  description = "ODS cluster endpoint."
  type        = string
}

variable "ods_port" {
  description = "ODS port."
  type        = number
}

variable "ods_database" {
  description = "ODS database name."
  type        = string
}

variable "ods_schema" {
  description = "Schema of the ODS tables the crawler catalogs."
  type        = string
  default     = "public"
}

variable "secret_arn" {
  description = "Secrets Manager secret with the ODS credentials."
  type        = string
}

variable "subnet_id" {
  description = "Subnet of the Glue connection (its AZ is looked up)."
  type        = string
}

variable "security_group_id" {
  description = "Security group of the Glue connection (self-referencing, egress to the ODS)."
  type        = string
}

variable "worker_type" {
  description = "Glue worker type."
  type        = string
  default     = "G.1X"
}

variable "number_of_workers" {
  description = "Number of Glue workers."
  type        = number
  default     = 2
}

variable "timeout_minutes" {
  description = "Job run timeout in minutes."
  type        = number
  default     = 60
}

variable "max_retries" {
  description = "Automatic retries of a failed run."
  type        = number
  default     = 1
}

variable "max_concurrent_runs" {
  description = "Concurrent runs of the job."
  type        = number
  default     = 3
}

variable "log_retention_days" {
  description = "Retention of the job's continuous-logging log group."
  type        = number
  default     = 365
}
