output "job_name" {
  description = "Name of the extract job (the portal starts runs of it)."
  value       = aws_glue_job.extract.name
}

output "job_arn" {
  description = "ARN of the extract job."
  value       = aws_glue_job.extract.arn
}

output "crawler_name" {
  description = "Name of the ODS crawler."
  value       = aws_glue_crawler.ods.name
}

output "catalog_database_name" {
  description = "Glue Data Catalog database of the ODS tables."
  value       = aws_glue_catalog_database.ods.name
}

output "connection_name" {
  description = "Glue JDBC connection to the ODS."
  value       = aws_glue_connection.ods.name
}

output "job_role_arn" {
  description = "IAM role of the job."
  value       = aws_iam_role.job.arn
}

output "log_group_names" {
  description = "Log groups of the job: continuous logs (driver/executors) and Glue's output/error groups (named after the security configuration, because logs are KMS-encrypted)."
  value = {
    continuous = aws_cloudwatch_log_group.job.name
    output     = "/aws-glue/jobs/${aws_glue_security_configuration.this.name}-role/${aws_iam_role.job.name}/output"
    error      = "/aws-glue/jobs/${aws_glue_security_configuration.this.name}-role/${aws_iam_role.job.name}/error"
    crawler    = "/aws-glue/crawlers-role/${aws_iam_role.crawler.name}-${aws_glue_security_configuration.this.name}"
  }
}
