variable "name_prefix" {
  description = "Prefix of every resource name."
  type        = string
}

variable "aws_region" {
  description = "Region of the Secrets Manager endpoint the rotation Lambda calls."
  type        = string
}

variable "kms_key_arn" {
  description = "KMS key encrypting the secret."
  type        = string
}

variable "ods_host" {
  description = "ODS cluster endpoint (stored in the secret: the rotation Lambda and Glue read it from there)."
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

variable "ods_username" {
  description = "ODS user whose password is rotated (single-user rotation)."
  type        = string
}

variable "rotation_days" {
  description = "Days between rotations."
  type        = number
  default     = 30
}

variable "rotation_app_version" {
  description = "Version of AWS's SecretsManagerRDSPostgreSQLRotationSingleUser application in the Serverless Application Repository."
  type        = string
  default     = "1.1.188"
  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+$", var.rotation_app_version))
    error_message = "rotation_app_version must be a semantic version."
  }
}

variable "subnet_ids" {
  description = "Private subnets of the rotation Lambda (they reach the ODS and the Secrets Manager endpoint)."
  type        = list(string)
}

variable "rotation_security_group_id" {
  description = "Security group of the rotation Lambda."
  type        = string
}

variable "recovery_window_in_days" {
  description = "Days a deleted secret can be restored."
  type        = number
  default     = 30
}
