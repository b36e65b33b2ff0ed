output "glue_security_group_id" {
  description = "Security group of the Glue connection."
  value       = aws_security_group.glue.id
}

output "rotation_security_group_id" {
  description = "Security group of the secret rotation Lambda."
  value       = aws_security_group.rotation.id
}

output "sftp_security_group_id" {
  description = "Security group of the SFTP server."
  value       = aws_security_group.sftp.id
}

output "endpoints_security_group_id" {
  description = "Security group of the interface endpoints."
  value       = aws_security_group.endpoints.id
}

output "vpc_cidr_block" {
  description = "CIDR of the VPC."
  value       = data.aws_vpc.this.cidr_block
}

output "s3_endpoint_id" {
  description = "Id of the S3 gateway endpoint."
  value       = aws_vpc_endpoint.s3.id
}
