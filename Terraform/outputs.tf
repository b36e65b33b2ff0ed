# ------------------------------------------------------------------ pipeline
output "glue_job_name" {
  description = "Name of the extract job (the portal lists and starts its runs)."
  value       = module.glue.job_name
}

output "glue_job_arn" {
  description = "ARN of the extract job."
  value       = module.glue.job_arn
}

output "glue_crawler_name" {
  description = "Name of the ODS crawler."
  value       = module.glue.crawler_name
}

output "glue_catalog_database" {
  description = "Data Catalog database of the ODS tables."
  value       = module.glue.catalog_database_name
}

output "glue_workflow_name" {
  description = "Glue workflow of the monthly run."
  value       = module.orchestration.workflow_name
}

output "glue_log_group_names" {
  description = "CloudWatch log groups of the job and crawler (the portal's run logs)."
  value       = module.glue.log_group_names
}

output "ods_secret_arn" {
  description = "Secret holding the ODS credentials; put the password into it once (README)."
  value       = module.secrets.secret_arn
}

# ------------------------------------------------------------------ storage and encryption
output "extracts_bucket_name" {
  description = "Bucket of the extracts."
  value       = module.storage.extracts_bucket_name
}

output "extracts_bucket_arn" {
  description = "ARN of the extracts bucket."
  value       = module.storage.extracts_bucket_arn
}

output "extracts_root_uri" {
  description = "S3 URI of the extract root (bank_name=..., _manifests/)."
  value       = "s3://${module.storage.extracts_bucket_name}/${var.output_prefix}/"
}

output "artifacts_bucket_name" {
  description = "Bucket of the Glue script, package and SQL."
  value       = module.storage.artifacts_bucket_name
}

output "artifacts_bucket_arn" {
  description = "ARN of the artifacts bucket."
  value       = module.storage.artifacts_bucket_arn
}

output "kms_key_arn" {
  description = "KMS key of the pipeline's data (the portal needs kms:Decrypt on it to preview extracts)."
  value       = module.kms.key_arn
}

# ------------------------------------------------------------------ alerts
output "alerts_topic_arn" {
  description = "SNS topic of the failure alerts (email subscription must be confirmed)."
  value       = module.orchestration.alerts_topic_arn
}

output "no_success_alarm_name" {
  description = "Alarm raised when no run succeeded by the 2nd."
  value       = module.orchestration.no_success_alarm_name
}

# ------------------------------------------------------------------ SFTP
output "sftp_instance_id" {
  description = "SFTP instance (admin access: aws ssm start-session --target <id>)."
  value       = one(module.sftp[*].instance_id)
}

output "sftp_private_ip" {
  description = "Address the external system connects to on port 22."
  value       = one(module.sftp[*].private_ip)
}

output "sftp_authorized_key_parameter" {
  description = "SSM parameter to put the external system's public key into."
  value       = one(module.sftp[*].authorized_key_parameter)
}

# ------------------------------------------------------------------ operations portal
output "portal_url" {
  description = "URL of the operations portal (Cognito sign-in)."
  value       = one(module.portal[*].portal_url)
}

output "portal_alb_dns_name" {
  description = "DNS name of the portal's ALB (alias/CNAME target of portal_domain_name)."
  value       = one(module.portal[*].alb_dns_name)
}

output "portal_ecr_repository_url" {
  description = "ECR repository to push the portal image to (docs/shipping.md)."
  value       = one(module.portal[*].ecr_repository_url)
}

output "portal_user_pool_id" {
  description = "Cognito user pool of the portal's users."
  value       = one(module.portal[*].user_pool_id)
}

output "portal_user_pool_client_id" {
  description = "Cognito app client of the portal's ALB."
  value       = one(module.portal[*].user_pool_client_id)
}

output "portal_cluster_name" {
  description = "ECS cluster of the portal."
  value       = one(module.portal[*].cluster_name)
}

output "portal_service_name" {
  description = "ECS service of the portal."
  value       = one(module.portal[*].service_name)
}

output "portal_log_group_name" {
  description = "Log group of the portal's containers."
  value       = one(module.portal[*].log_group_name)
}

output "portal_dynamodb_tables" {
  description = "The portal's DynamoDB tables (runs: run index, month guard and backfills; audit)."
  value       = one(module.portal[*].dynamodb_tables)
}

# ------------------------------------------------------------------ pipeline settings the portal uses
output "portal_settings" {
  description = "Everything the portal's AWS mode needs (Portal:Mode = Aws)."
  value       = {
    region           = var.aws_region
    glue_job_name    = module.glue.job_name
    extracts_bucket  = module.storage.extracts_bucket_name
    output_prefix    = var.output_prefix
    kms_key_arn      = module.kms.key_arn
    job_log_group    = module.glue.log_group_names["continuous"]
    role_group_names = ["support", "operator", "auditor"]
  }
}
