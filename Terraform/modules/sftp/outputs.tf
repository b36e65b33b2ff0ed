output "instance_id" {
  description = "Id of the SFTP instance (use it with aws ssm start-session)."
  value       = aws_instance.sftp.id
}

output "private_ip" {
  description = "Private IP the external system connects to on port 22."
  value       = aws_instance.sftp.private_ip
}

output "authorized_key_parameter" {
  description = "SSM parameter holding the external system's public key."
  value       = aws_ssm_parameter.authorized_key.name
}

output "role_arn" {
  description = "IAM role of the SFTP server."
  value       = aws_iam_role.sftp.arn
}
