variable "name_prefix" {
  description = "Prefix of every resource name."
  type        = string
}

variable "aws_region" {
  description = "Region of the resources."
  type        = string
}

variable "account_id" {
  description = "Account id, for ARNs in policies."
  type        = string
}

variable "partition" {
  description = "AWS partition."
  type        = string
  default     = "aws"
}

variable "kms_key_arn" {
  description = "KMS key encrypting the alert topic."
  type        = string
}

variable "job_name" {
  description = "Glue job run by the schedule and watched by the alerts."
  type        = string
}

variable "crawler_name" {
  description = "Glue crawler run before the job and watched by the alerts."
  type        = string
}

variable "schedule_expression" {
  description = "Monthly schedule of the crawler + job workflow (UTC cron)."
  type        = string
  default     = "cron(0 2 1 * ? *)"
}

variable "success_check_expression" {
  description = "When the 'no successful run this month' check runs (UTC cron)."
  type        = string
  default     = "cron(0 6 2 * ? *)"
}

variable "alert_email" {
  description = "Email address subscribed to the alert topic."
  type        = string
}
