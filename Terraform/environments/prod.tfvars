# Example values for production (no secrets here). Replace the ids with your VPC's.
environment = "prod"
aws_region  = "us-east-1"

vpc_id                  = "vpc-0f9e8d7c6b5a43210"
private_subnet_ids      = ["subnet-0123abcd4567ef890", "subnet-0fedc9876ba543210"]
private_route_table_ids = ["rtb-0fedcba9876543210", "rtb-00112233445566778"]
ods_cidr_blocks         = ["10.10.10.0/24", "10.10.11.0/24", "10.10.12.0/24"]
ods_security_group_id   = "sg-0a1b2c3d4e5f67890"
ods_database            = "postgres"

glue_worker_type         = "G.2X"
glue_number_of_workers   = 4
glue_timeout_minutes     = 120
glue_max_retries         = 1
glue_max_concurrent_runs = 3

sftp_allowed_cidrs = ["203.0.113.16/29"]
sftp_subnet_id     = "subnet-0abcabcabcabcabc0"

# Operations portal: office and VPN ranges only; the image tag is set per release (docs/shipping.md).
public_subnet_ids         = ["subnet-0a0a0a0a0a0a0a0a0", "subnet-0b0b0b0b0b0b0b0b0"]
portal_private_subnet_ids = ["subnet-0c0c0c0c0c0c0c0c0", "subnet-0d0d0d0d0d0d0d0d0"]
portal_allowed_cidrs      = ["203.0.113.128/26", "198.51.100.0/26"]
portal_domain_name        = "extracts.mybigbank.co.za"
portal_certificate_arn    = "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"
portal_route53_zone_id    = "Z0123456789ABCDEFGHIJ"
portal_image_tag          = "git-0000000"
portal_cpu                = 1024
portal_memory             = 2048
portal_min_count          = 2
portal_max_count          = 6
portal_enable_waf         = true

secret_rotation_days = 30
log_retention_days   = 365

tags = {
  CostCentre = "data-platform"
  Owner      = "data-support@mybigbank.co.za"
}
