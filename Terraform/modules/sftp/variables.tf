variable "name_prefix" {
  description = "Prefix of every resource name."
  type        = string
}

variable "aws_region" {
  description = "Region (Mountpoint and the SSM key parameter)."
  type        = string
}

variable "partition" {
  description = "AWS partition."
  type        = string
  default     = "aws"
}

variable "kms_key_arn" {
  description = "KMS key of the extracts (decrypt) and of the root volume."
  type        = string
}

variable "extracts_bucket" {
  description = "Bucket whose <output_prefix>/ is served read-only."
  type        = string
}

variable "output_prefix" {
  description = "Extract root prefix in the bucket; it becomes /extracts for the SFTP user."
  type        = string
}

variable "subnet_id" {
  description = "Private or restricted subnet of the instance."
  type        = string
}

variable "security_group_id" {
  description = "Security group: 22 from the external system's CIDRs, HTTPS egress to the endpoints and S3."
  type        = string
}

variable "sftp_username" {
  description = "Login of the external system."
  type        = string
}

variable "sftp_public_key" {
  description = "OpenSSH public key of the external system; null stores a placeholder to replace with put-parameter."
  type        = string
  default     = null
}

variable "instance_type" {
  description = "EC2 instance type."
  type        = string
  default     = "t3.small"
}

variable "ami_ssm_parameter" {
  description = "Public SSM parameter of the AMI (Amazon Linux 2023)."
  type        = string
  default     = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
}

variable "mountpoint_rpm_url" {
  description = "Where the Mountpoint for Amazon S3 RPM is installed from (reachable through the S3 gateway endpoint in us-east-1)."
  type        = string
  default     = "https://s3.amazonaws.com/mountpoint-s3-release/latest/x86_64/mount-s3.rpm"
}

variable "root_volume_size_gb" {
  description = "Root volume size."
  type        = number
  default     = 20
  validation {
    condition     = var.root_volume_size_gb >= 8
    error_message = "root_volume_size_gb must be at least 8."
  }
}
