# ---------------------------------------------------------------- naming and placement
variable "name_prefix" {
  description = "Prefix of every resource name."
  type        = string
}

variable "aws_region" {
  description = "Region of the portal's resources."
  type        = string
}

variable "account_id" {
  description = "Account id, for ARNs in IAM policies and globally unique names."
  type        = string
}

variable "partition" {
  description = "AWS partition."
  type        = string
  default     = "aws"
}

variable "environment_label" {
  description = "Shown in the portal's app bar (Portal:EnvironmentName), e.g. PROD, so nobody confuses stages."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the ALB and the tasks."
  type        = string
}

variable "public_subnet_ids" {
  description = "Subnets of the ALB (public for an internet-facing ALB; at least two AZs)."
  type        = list(string)
  validation {
    condition     = length(var.public_subnet_ids) >= 2
    error_message = "public_subnet_ids: at least two subnets in different AZs (an ALB needs two)."
  }
}

variable "private_subnet_ids" {
  description = "Private subnets of the Fargate tasks. They need HTTPS egress (NAT) for the ALB's public keys endpoint and ECR, or VPC endpoints for the AWS APIs."
  type        = list(string)
  validation {
    condition     = length(var.private_subnet_ids) >= 1
    error_message = "private_subnet_ids: at least one subnet."
  }
}

variable "alb_internal" {
  description = "Internal ALB (reached over VPN/Direct Connect) instead of internet-facing."
  type        = bool
  default     = false
}

variable "allowed_cidrs" {
  description = "CIDRs allowed to reach the ALB on 443 (and 80, which only redirects). Required; 0.0.0.0/0 and ::/0 are refused."
  type        = list(string)
  validation {
    condition     = length(var.allowed_cidrs) >= 1 && alltrue([for c in var.allowed_cidrs : can(cidrhost(c, 0)) && !contains(["0.0.0.0/0", "::/0"], c)])
    error_message = "allowed_cidrs: at least one valid CIDR, and never 0.0.0.0/0 or ::/0."
  }
}

variable "allow_endpoints_access" {
  description = "Add an ingress rule on endpoints_security_group_id so the tasks reach the pipeline's interface VPC endpoints (a flag, not a null check: the group id is only known after apply)."
  type        = bool
  default     = false
}

variable "endpoints_security_group_id" {
  description = "Security group of the pipeline's interface VPC endpoints (used when allow_endpoints_access is true)."
  type        = string
  default     = null
}

# ---------------------------------------------------------------- the pipeline it operates
variable "kms_key_arn" {
  description = "The pipeline's KMS key: extracts (decrypt), logs, ECR, DynamoDB and the Data Protection key ring."
  type        = string
}

variable "glue_job_name" {
  description = "Glue job whose runs the portal lists, starts and stops."
  type        = string
}

variable "glue_log_group_names" {
  description = "Glue log groups the portal reads run logs from (the glue module's log_group_names)."
  type        = map(string)
}

variable "extracts_bucket_name" {
  description = "Bucket of the extracts (read-only for the portal)."
  type        = string
}

variable "output_prefix" {
  description = "Extract root prefix in the extracts bucket."
  type        = string
}

# ---------------------------------------------------------------- domain, TLS, sign-in
variable "domain_name" {
  description = "Host name users open (e.g. portal.example.com); the Cognito callback is https://<domain_name>/oauth2/idpresponse."
  type        = string
  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$", var.domain_name))
    error_message = "domain_name must be a lowercase DNS name."
  }
}

variable "certificate_arn" {
  description = "ACM certificate for domain_name, in the ALB's region."
  type        = string
  validation {
    condition     = can(regex("^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/.+$", var.certificate_arn))
    error_message = "certificate_arn must be an ACM certificate ARN."
  }
}

variable "route53_zone_id" {
  description = "Hosted zone to create the domain_name alias record in; null when DNS is managed elsewhere (point a CNAME at the alb_dns_name output)."
  type        = string
  default     = null
}

variable "ssl_policy" {
  description = "TLS policy of the HTTPS listener (TLS 1.3 and 1.2 only)."
  type        = string
  default     = "ELBSecurityPolicy-TLS13-1-2-2021-06"
}

variable "cognito_domain_prefix" {
  description = "Prefix of the Cognito hosted domain (<prefix>.auth.<region>.amazoncognito.com), globally unique; null uses <name_prefix>-<account id>."
  type        = string
  default     = null
}

variable "mfa_configuration" {
  description = "Cognito MFA: ON (every user enrols a TOTP app) or OPTIONAL."
  type        = string
  default     = "ON"
  validation {
    condition     = contains(["ON", "OPTIONAL"], var.mfa_configuration)
    error_message = "mfa_configuration must be ON or OPTIONAL."
  }
}

variable "role_groups" {
  description = "Cognito groups = portal roles (fixed contract)."
  type        = list(string)
  default     = ["support", "operator", "auditor"]
}

variable "session_timeout_seconds" {
  description = "How long the ALB's sign-in session cookie lasts before Cognito is asked again."
  type        = number
  default     = 28800
  validation {
    condition     = var.session_timeout_seconds >= 900 && var.session_timeout_seconds <= 604800
    error_message = "session_timeout_seconds must be between 900 and 604800."
  }
}

# ---------------------------------------------------------------- the service
variable "image_tag" {
  description = "Tag of the portal image in the ECR repository (immutable: one tag per build, e.g. the git commit)."
  type        = string
  validation {
    condition     = can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.image_tag)) && var.image_tag != "latest"
    error_message = "image_tag must be a Docker tag, and not 'latest' (the repository's tags are immutable)."
  }
}

variable "cpu" {
  description = "Fargate task CPU units."
  type        = number
  default     = 512
  validation {
    condition     = contains([256, 512, 1024, 2048, 4096], var.cpu)
    error_message = "cpu must be 256, 512, 1024, 2048 or 4096."
  }
}

variable "memory" {
  description = "Fargate task memory (MiB); must suit cpu."
  type        = number
  default     = 1024
}

variable "desired_count" {
  description = "Tasks at deployment (autoscaling moves it between min_count and max_count)."
  type        = number
  default     = 2
}

variable "min_count" {
  description = "Autoscaling minimum (2 keeps one task per AZ)."
  type        = number
  default     = 2
}

variable "max_count" {
  description = "Autoscaling maximum."
  type        = number
  default     = 6
  validation {
    condition     = var.max_count >= 1 && var.max_count <= 50
    error_message = "max_count must be between 1 and 50."
  }
}

variable "cpu_target_percent" {
  description = "Target average CPU utilisation of the service."
  type        = number
  default     = 60
}

variable "requests_per_target" {
  description = "Target ALB requests per task per minute."
  type        = number
  default     = 600
}

variable "idle_timeout_seconds" {
  description = "ALB idle timeout. Blazor Server keeps a WebSocket open per circuit and pings every 15 s; a long timeout also covers the long-polling fallback."
  type        = number
  default     = 900
  validation {
    condition     = var.idle_timeout_seconds >= 60 && var.idle_timeout_seconds <= 4000
    error_message = "idle_timeout_seconds must be between 60 and 4000."
  }
}

variable "deregistration_delay_seconds" {
  description = "How long a stopping task keeps serving its open circuits before the ALB drops it."
  type        = number
  default     = 120
}

variable "stickiness_seconds" {
  description = "ALB lb_cookie stickiness: a Blazor Server circuit lives in one task, so reconnects must reach it."
  type        = number
  default     = 86400
}

variable "log_retention_days" {
  description = "Retention of the portal's container log group."
  type        = number
  default     = 365
}

variable "ecr_keep_images" {
  description = "Tagged images kept in the ECR repository (older ones expire; untagged after 7 days)."
  type        = number
  default     = 30
}

variable "alb_log_expiration_days" {
  description = "Days ALB access logs are kept."
  type        = number
  default     = 365
}

variable "enable_waf" {
  description = "Attach a WAF web ACL with AWS managed rule groups and a rate limit to the ALB."
  type        = bool
  default     = true
}

variable "waf_rate_limit" {
  description = "Requests per 5 minutes per client IP before the WAF blocks it."
  type        = number
  default     = 2000
}

variable "deletion_protection" {
  description = "Deletion protection on the ALB, the user pool and the DynamoDB tables."
  type        = bool
  default     = true
}

variable "force_destroy" {
  description = "Allow terraform destroy to delete non-empty buckets and the ECR repository with images (dev only)."
  type        = bool
  default     = false
}
