variable "name_prefix" {
  description = "Prefix of every resource name."
  type        = string
}

variable "aws_region" {
  description = "Region of the VPC endpoints' service names."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the pipeline."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets of the interface endpoints."
  type        = list(string)
}

variable "route_table_ids" {
  description = "Route tables that get the S3 gateway endpoint."
  type        = list(string)
}

variable "create_interface_endpoints" {
  description = "Create the interface endpoints (false when the VPC already has them)."
  type        = bool
  default     = true
}

variable "interface_endpoint_services" {
  description = "Services reached through interface endpoints so nothing needs the internet: Glue, its secret and logs, KMS, STS; SSM for the SFTP server's Session Manager; CloudWatch for metrics."
  type        = list(string)
  default     = ["secretsmanager", "glue", "logs", "kms", "sts", "monitoring", "ssm", "ssmmessages", "ec2messages"]
}

variable "ods_port" {
  description = "PostgreSQL port of the ODS."
  type        = number
  default     = 5432
}

variable "ods_cidr_blocks" {
  description = "CIDRs of the ODS cluster's subnets."
  type        = list(string)
}

variable "ods_security_group_id" {
  description = "Security group of the ODS cluster; null to leave it untouched."
  type        = string
  default     = null
}

variable "sftp_allowed_cidrs" {
  description = "CIDRs of the external system allowed on port 22 of the SFTP server."
  type        = list(string)
}
