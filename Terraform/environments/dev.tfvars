# Example values for the dev stage (no secrets here: the ODS password goes into Secrets Manager,
# the SFTP key into SSM; see README). Replace the ids with your VPC's.
environment = "dev"
aws_region  = "us-east-1"

vpc_id                  = "vpc-0a1b2c3d4e5f60718"
private_subnet_ids      = ["subnet-0aa11bb22cc33dd44", "subnet-0ee55ff66aa77bb88"]
private_route_table_ids = ["rtb-0123456789abcdef0"]
ods_cidr_blocks         = ["10.20.10.0/24", "10.20.11.0/24"]
ods_database            = "postgres"

glue_worker_type       = "G.1X"
glue_number_of_workers = 2
glue_timeout_minutes   = 60

# The external system's test environment only.
sftp_allowed_cidrs = ["198.51.100.0/28"]
sftp_instance_type = "t3.micro"

log_retention_days = 30

tags = {
  CostCentre = "data-platform"
  Owner      = "data-support@mybigbank.co.za"
}

# Operations portal (ECS Fargate behind an ALB with Cognito sign-in). The image tag is the one pushed
# to the portal's ECR repository (docs/shipping.md); the tasks' subnets need NAT egress.
public_subnet_ids         = ["subnet-0ab12cd34ef567890", "subnet-0cd34ef567890ab12"]
portal_private_subnet_ids = ["subnet-0aa11bb22cc33dd44", "subnet-0ee55ff66aa77bb88"]
portal_allowed_cidrs      = ["198.51.100.64/27"]
portal_domain_name        = "extracts-dev.mybigbank.co.za"
portal_certificate_arn    = "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000"
portal_image_tag          = "git-0000000"
portal_min_count          = 1
portal_max_count          = 2
portal_enable_waf         = false
