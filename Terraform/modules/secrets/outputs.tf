output "secret_arn" {
  description = "ARN of the ODS credentials secret (the Glue job's --source_secret_id)."
  value       = aws_secretsmanager_secret.ods.arn
}

output "secret_name" {
  description = "Name of the ODS credentials secret."
  value       = aws_secretsmanager_secret.ods.name
}

output "rotation_lambda_arn" {
  description = "ARN of the rotation Lambda."
  value       = aws_serverlessapplicationrepository_cloudformation_stack.rotation.outputs["RotationLambdaARN"]
}
