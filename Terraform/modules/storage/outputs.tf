output "extracts_bucket_name" {
  description = "Name of the extracts bucket."
  value       = aws_s3_bucket.data["extracts"].id
}

output "extracts_bucket_arn" {
  description = "ARN of the extracts bucket."
  value       = aws_s3_bucket.data["extracts"].arn
}

output "artifacts_bucket_name" {
  description = "Name of the artifacts bucket (Glue script, package, SQL)."
  value       = aws_s3_bucket.data["artifacts"].id
}

output "artifacts_bucket_arn" {
  description = "ARN of the artifacts bucket."
  value       = aws_s3_bucket.data["artifacts"].arn
}

output "access_logs_bucket_name" {
  description = "Name of the S3 server access log bucket."
  value       = aws_s3_bucket.logs.id
}
