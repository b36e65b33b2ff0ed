# ---------------------------------------------------------------- naming and placement
variable "project" {
  description = "Project name, first part of every resource name."
  type        = string
  default     = "extractportal"
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,20}$", var.project))
    error_message = "project: lowercase letters, digits and dashes, 2-21 characters, starting with a letter."
  }
}

variable "environment" {
  description = "Deployment stage; second part of every resource name."
  type        = string
  validation {
    condition     = contains(["dev", "test", "prod"], var.environment)
    error_message = "environment must be dev, test or prod."
  }
}

variable "aws_region" {
  description = "AWS region; the ODS cluster lives in us-east-1."
  type        = string
  default     = "us-east-1"
  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.aws_region))
    error_message = "aws_region must look like us-east-1."
  }
}

variable "tags" {
  description = "Extra tags applied to every resource (cost centre, owner, ...)."
  type        = map(string)
  default     = {}
}

# ---------------------------------------------------------------- network
variable "vpc_id" {
  description = "VPC that can reach the ODS cluster; Glue, the rotation Lambda and the SFTP server run in it."
  type        = string
  validation {
    condition     = can(regex("^vpc-[0-9a-f]+$", var.vpc_id))
    error_message = "vpc_id must be a VPC id (vpc-...)."
  }
}

variable "private_subnet_ids" {
  description = "Private subnets (no internet route needed) for Glue ENIs, the rotation Lambda and the interface endpoints. The first one hosts the Glue connection."
  type        = list(string)
  validation {
    condition     = length(var.private_subnet_ids) >= 1 && alltrue([for s in var.private_subnet_ids : can(regex("^subnet-[0-9a-f]+$", s))])
    error_message = "private_subnet_ids: at least one subnet id (subnet-...)."
  }
}

variable "private_route_table_ids" {
  description = "Route tables of the private subnets, for the S3 gateway endpoint."
  type        = list(string)
  validation {
    condition     = length(var.private_route_table_ids) >= 1
    error_message = "private_route_table_ids: at least one route table id."
  }
}

variable "create_interface_endpoints" {
  description = "Create the interface VPC endpoints (Secrets Manager, Glue, Logs, KMS, STS, SSM, CloudWatch). Set false when the VPC already has them (private DNS can only be enabled once per VPC)."
  type        = bool
  default     = true
}

# ---------------------------------------------------------------- ODS
variable "ods_host" {
  description = "Writer endpoint of the Aurora PostgreSQL ODS cluster."
  type        = string
  default     = "mycluster.cluster-123456789012.us-east-1.rds.amazonaws.com"
}

variable "ods_port" {
  description = "PostgreSQL port of the ODS."
  type        = number
  default     = 5432
  validation {
    condition     = var.ods_port > 0 && var.ods_port < 65536
    error_message = "ods_port must be a TCP port."
  }
}

variable "ods_database" {
  description = "Database name on the ODS cluster."
  type        = string
  default     = "postgres"
}

variable "ods_username" {
  description = "Database user of the ODS; its password is put into Secrets Manager by an operator, never here."
  type        = string
  default     = "postgres"
}

variable "ods_cidr_blocks" {
  description = "CIDR blocks of the ODS cluster's subnets: Glue and the rotation Lambda may open 5432 to them only."
  type        = list(string)
  validation {
    condition     = length(var.ods_cidr_blocks) >= 1 && alltrue([for c in var.ods_cidr_blocks : can(cidrhost(c, 0))])
    error_message = "ods_cidr_blocks: at least one valid CIDR."
  }
}

variable "ods_security_group_id" {
  description = "Security group of the ODS cluster. When set, ingress rules on 5432 from Glue and the rotation Lambda are added to it; when null the DBA adds them."
  type        = string
  default     = null
}

variable "secret_rotation_days" {
  description = "Days between automatic rotations of the ODS password."
  type        = number
  default     = 30
  validation {
    condition     = var.secret_rotation_days >= 1 && var.secret_rotation_days <= 365
    error_message = "secret_rotation_days must be between 1 and 365."
  }
}

# ---------------------------------------------------------------- Glue job
variable "output_prefix" {
  description = "Prefix of the extract root in the extracts bucket (bank_name=..., _manifests/, _staging/ live under it)."
  type        = string
  default     = "extracts"
  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9_-]*$", var.output_prefix))
    error_message = "output_prefix: one path segment, no slashes."
  }
}

variable "glue_worker_type" {
  description = "Glue worker type."
  type        = string
  default     = "G.1X"
  validation {
    condition     = contains(["G.025X", "G.1X", "G.2X", "G.4X", "G.8X"], var.glue_worker_type)
    error_message = "glue_worker_type must be one of G.025X, G.1X, G.2X, G.4X, G.8X."
  }
}

variable "glue_number_of_workers" {
  description = "Number of Glue workers (2 is the minimum for Spark jobs)."
  type        = number
  default     = 2
  validation {
    condition     = var.glue_number_of_workers >= 2 && var.glue_number_of_workers <= 100
    error_message = "glue_number_of_workers must be between 2 and 100."
  }
}

variable "glue_timeout_minutes" {
  description = "Job run timeout in minutes."
  type        = number
  default     = 60
  validation {
    condition     = var.glue_timeout_minutes >= 5 && var.glue_timeout_minutes <= 2880
    error_message = "glue_timeout_minutes must be between 5 and 2880."
  }
}

variable "glue_max_retries" {
  description = "Automatic retries of a failed run (safe: a month is recomputed whole and published atomically)."
  type        = number
  default     = 1
  validation {
    condition     = var.glue_max_retries >= 0 && var.glue_max_retries <= 10
    error_message = "glue_max_retries must be between 0 and 10."
  }
}

variable "glue_max_concurrent_runs" {
  description = "Concurrent runs of the job (one per month in a backfill; the job itself refuses two runs of one month)."
  type        = number
  default     = 3
  validation {
    condition     = var.glue_max_concurrent_runs >= 1 && var.glue_max_concurrent_runs <= 10
    error_message = "glue_max_concurrent_runs must be between 1 and 10."
  }
}

variable "glue_source_dir" {
  description = "Folder holding etl.py, extract_job/ and sql/ (the repository's Glue/ folder)."
  type        = string
  default     = null
}

# ---------------------------------------------------------------- schedule and alerts
variable "schedule_expression" {
  description = "When the monthly run starts (UTC): the 1st, early morning, extracting the previous month."
  type        = string
  default     = "cron(0 2 1 * ? *)"
  validation {
    condition     = can(regex("^cron\\(.+\\)$", var.schedule_expression))
    error_message = "schedule_expression must be a cron(...) expression."
  }
}

variable "success_check_expression" {
  description = "When the 'no successful run this month' check runs (UTC): the 2nd."
  type        = string
  default     = "cron(0 6 2 * ? *)"
  validation {
    condition     = can(regex("^cron\\(.+\\)$", var.success_check_expression))
    error_message = "success_check_expression must be a cron(...) expression."
  }
}

variable "alert_email" {
  description = "Who is told about failures (SNS email subscription; the address must confirm it)."
  type        = string
  default     = "data-support@mybigbank.co.za"
  validation {
    condition     = can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", var.alert_email))
    error_message = "alert_email must be an email address."
  }
}

variable "log_retention_days" {
  description = "Retention of the CloudWatch log groups created here."
  type        = number
  default     = 365
  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a value CloudWatch Logs accepts."
  }
}

variable "noncurrent_version_expiration_days" {
  description = "Days a replaced extract version is kept (re-runs overwrite the same keys)."
  type        = number
  default     = 400
  validation {
    condition     = var.noncurrent_version_expiration_days >= 1
    error_message = "noncurrent_version_expiration_days must be at least 1."
  }
}

# ---------------------------------------------------------------- SFTP
variable "enable_sftp" {
  description = "Deploy the SFTP server on EC2."
  type        = bool
  default     = true
}

variable "sftp_subnet_id" {
  description = "Subnet of the SFTP server: private or restricted, reachable from the external system (e.g. via VPN, Direct Connect or an NLB)."
  type        = string
  default     = null
}

variable "sftp_allowed_cidrs" {
  description = "CIDRs of the external system allowed to reach port 22. Required; 0.0.0.0/0 and ::/0 are refused."
  type        = list(string)
  validation {
    condition     = length(var.sftp_allowed_cidrs) >= 1 && alltrue([for c in var.sftp_allowed_cidrs : can(cidrhost(c, 0)) && !contains(["0.0.0.0/0", "::/0"], c)])
    error_message = "sftp_allowed_cidrs: at least one valid CIDR, and never 0.0.0.0/0 or ::/0."
  }
}

variable "sftp_username" {
  description = "Login of the external system on the SFTP server."
  type        = string
  default     = "extractfeed"
  validation {
    condition     = can(regex("^[a-z_][a-z0-9_-]{0,30}$", var.sftp_username))
    error_message = "sftp_username must be a valid Linux user name."
  }
}

variable "sftp_public_key" {
  description = "OpenSSH public key of the external system. Null: a placeholder is stored in SSM and the operator uploads the key (README)."
  type        = string
  default     = null
  validation {
    condition     = var.sftp_public_key == null || can(regex("^(ssh-ed25519|ecdsa-sha2-nistp(256|384|521)|ssh-rsa) [A-Za-z0-9+/=]+", var.sftp_public_key))
    error_message = "sftp_public_key must be an OpenSSH public key line."
  }
}

variable "sftp_instance_type" {
  description = "EC2 instance type of the SFTP server."
  type        = string
  default     = "t3.small"
}

# ---------------------------------------------------------------- operations portal
variable "enable_portal" {
  description = "Deploy the operations portal (ECS Fargate, ALB, Cognito, DynamoDB)."
  type        = bool
  default     = true
}

variable "public_subnet_ids" {
  description = "Subnets of the portal's ALB (public for an internet-facing ALB), in at least two AZs."
  type        = list(string)
  default     = []
}

variable "portal_private_subnet_ids" {
  description = "Private subnets of the portal tasks; they need HTTPS egress (NAT) for ECR and the ALB's public keys. Null: private_subnet_ids."
  type        = list(string)
  default     = null
}

variable "portal_allowed_cidrs" {
  description = "CIDRs allowed to reach the portal's ALB (office, VPN). Required with the portal; 0.0.0.0/0 and ::/0 are refused."
  type        = list(string)
  default     = []
  validation {
    condition     = alltrue([for c in var.portal_allowed_cidrs : can(cidrhost(c, 0)) && !contains(["0.0.0.0/0", "::/0"], c)])
    error_message = "portal_allowed_cidrs: valid CIDRs only, and never 0.0.0.0/0 or ::/0."
  }
}

variable "portal_domain_name" {
  description = "Host name of the portal (e.g. extracts.mybigbank.co.za); the Cognito callback is https://<name>/oauth2/idpresponse."
  type        = string
  default     = null
}

variable "portal_certificate_arn" {
  description = "ACM certificate of portal_domain_name in aws_region."
  type        = string
  default     = null
}

variable "portal_route53_zone_id" {
  description = "Hosted zone for the portal's alias record; null when DNS is managed elsewhere."
  type        = string
  default     = null
}

variable "portal_image_tag" {
  description = "Tag of the portal image in its ECR repository (immutable; e.g. the git commit). Changing it rolls the service."
  type        = string
  default     = null
}

variable "portal_cpu" {
  description = "Fargate CPU units of a portal task."
  type        = number
  default     = 512
}

variable "portal_memory" {
  description = "Fargate memory (MiB) of a portal task."
  type        = number
  default     = 1024
}

variable "portal_min_count" {
  description = "Minimum (and initial) number of portal tasks."
  type        = number
  default     = 2
}

variable "portal_max_count" {
  description = "Maximum number of portal tasks (autoscaling on CPU and ALB requests per task)."
  type        = number
  default     = 6
}

variable "portal_enable_waf" {
  description = "Attach a WAF web ACL (AWS managed rule groups, rate limit) to the portal's ALB."
  type        = bool
  default     = true
}
