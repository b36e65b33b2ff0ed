variable "name_prefix" {
  description = "Prefix of every resource name (bucket names get the account id appended for global uniqueness)."
  type        = string
}

variable "account_id" {
  description = "Account id, appended to bucket names and used in the access-log bucket policy."
  type        = string
}

variable "kms_key_arn" {
  description = "KMS key for SSE-KMS on the extracts and artifacts buckets."
  type        = string
}

variable "output_prefix" {
  description = "Extract root prefix in the extracts bucket (its _staging/ area gets a short expiry)."
  type        = string
  default     = "extracts"
}

variable "noncurrent_version_expiration_days" {
  description = "Days a replaced object version is kept."
  type        = number
  default     = 400
}

variable "access_log_expiration_days" {
  description = "Days S3 server access logs are kept."
  type        = number
  default     = 365
}

variable "force_destroy" {
  description = "Allow terraform destroy to delete non-empty buckets (dev only)."
  type        = bool
  default     = false
}
