output "portal_url" {
  description = "URL users open (sign-in through Cognito)."
  value       = local.portal_url
}

output "alb_dns_name" {
  description = "DNS name of the ALB (alias or CNAME target of domain_name)."
  value       = aws_lb.this.dns_name
}

output "alb_arn" {
  description = "ARN of the ALB (the app verifies the x-amzn-oidc-data signer against it)."
  value       = aws_lb.this.arn
}

output "ecr_repository_url" {
  description = "ECR repository to push the portal image to (immutable tags)."
  value       = aws_ecr_repository.portal.repository_url
}

output "cluster_name" {
  description = "ECS cluster of the portal."
  value       = aws_ecs_cluster.this.name
}

output "service_name" {
  description = "ECS service of the portal."
  value       = aws_ecs_service.portal.name
}

output "log_group_name" {
  description = "CloudWatch log group of the portal's containers."
  value       = aws_cloudwatch_log_group.portal.name
}

output "user_pool_id" {
  description = "Cognito user pool id (create users and add them to a group, docs/shipping.md)."
  value       = aws_cognito_user_pool.this.id
}

output "user_pool_client_id" {
  description = "Cognito app client used by the ALB."
  value       = aws_cognito_user_pool_client.alb.id
}

output "cognito_domain" {
  description = "Cognito hosted sign-in domain."
  value       = local.cognito_hostname
}

output "dynamodb_tables" {
  description = "The portal's DynamoDB tables: runs (run index, month guard, backfills) and audit."
  value = {
    runs  = aws_dynamodb_table.runs.name
    audit = aws_dynamodb_table.audit.name
  }
}

output "data_protection_uri" {
  description = "S3 location of the ASP.NET Data Protection key ring."
  value       = "s3://${aws_s3_bucket.state.id}/${local.data_protection}/"
}

output "task_role_arn" {
  description = "IAM role of the portal tasks."
  value       = aws_iam_role.task.arn
}

output "tasks_security_group_id" {
  description = "Security group of the portal tasks (grant it access to other VPC resources)."
  value       = aws_security_group.tasks.id
}

output "web_acl_arn" {
  description = "WAF web ACL of the ALB (null when enable_waf is false)."
  value       = one(aws_wafv2_web_acl.portal[*].arn)
}
