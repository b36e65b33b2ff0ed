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

secret_rotation_days = 30
log_retention_days   = 365

tags = {
  CostCentre = "data-platform"
  Owner      = "data-support@mybigbank.co.za"
}
