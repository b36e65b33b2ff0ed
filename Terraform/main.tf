# ExtractPortal pipeline: Aurora PostgreSQL ODS -> Glue (Spark) -> per-bank CSVs in S3 -> SFTP.
# The root only wires modules together; each module is reusable on its own (see README).

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  # Every name starts with this prefix so several stages can share an account.
  name_prefix     = "${var.project}-${var.environment}"
  glue_source_dir = coalesce(var.glue_source_dir, "${path.root}/../Glue")
}

module "kms" {
  source      = "./modules/kms"
  name_prefix = local.name_prefix
  aws_region  = var.aws_region
  account_id  = data.aws_caller_identity.current.account_id
  partition   = data.aws_partition.current.partition
}

module "storage" {
  source                             = "./modules/storage"
  name_prefix                        = local.name_prefix
  account_id                         = data.aws_caller_identity.current.account_id
  kms_key_arn                        = module.kms.key_arn
  output_prefix                      = var.output_prefix
  noncurrent_version_expiration_days = var.noncurrent_version_expiration_days
}

module "network" {
  source                     = "./modules/network"
  name_prefix                = local.name_prefix
  aws_region                 = var.aws_region
  vpc_id                     = var.vpc_id
  subnet_ids                 = var.private_subnet_ids
  route_table_ids            = var.private_route_table_ids
  create_interface_endpoints = var.create_interface_endpoints
  ods_port                   = var.ods_port
  ods_cidr_blocks            = var.ods_cidr_blocks
  ods_security_group_id      = var.ods_security_group_id
  sftp_allowed_cidrs         = var.sftp_allowed_cidrs
}

module "secrets" {
  source                     = "./modules/secrets"
  name_prefix                = local.name_prefix
  aws_region                 = var.aws_region
  kms_key_arn                = module.kms.key_arn
  ods_host                   = var.ods_host
  ods_port                   = var.ods_port
  ods_database               = var.ods_database
  ods_username               = var.ods_username
  rotation_days              = var.secret_rotation_days
  subnet_ids                 = var.private_subnet_ids
  rotation_security_group_id = module.network.rotation_security_group_id
}

module "glue" {
  source              = "./modules/glue"
  name_prefix         = local.name_prefix
  aws_region          = var.aws_region
  account_id          = data.aws_caller_identity.current.account_id
  partition           = data.aws_partition.current.partition
  kms_key_arn         = module.kms.key_arn
  artifacts_bucket    = module.storage.artifacts_bucket_name
  extracts_bucket     = module.storage.extracts_bucket_name
  output_prefix       = var.output_prefix
  glue_source_dir     = local.glue_source_dir
  ods_host            = var.ods_host
  ods_port            = var.ods_port
  ods_database        = var.ods_database
  secret_arn          = module.secrets.secret_arn
  subnet_id           = var.private_subnet_ids[0]
  security_group_id   = module.network.glue_security_group_id
  worker_type         = var.glue_worker_type
  number_of_workers   = var.glue_number_of_workers
  timeout_minutes     = var.glue_timeout_minutes
  max_retries         = var.glue_max_retries
  max_concurrent_runs = var.glue_max_concurrent_runs
  log_retention_days  = var.log_retention_days
}

module "orchestration" {
  source                   = "./modules/orchestration"
  name_prefix              = local.name_prefix
  aws_region               = var.aws_region
  account_id               = data.aws_caller_identity.current.account_id
  partition                = data.aws_partition.current.partition
  kms_key_arn              = module.kms.key_arn
  job_name                 = module.glue.job_name
  crawler_name             = module.glue.crawler_name
  schedule_expression      = var.schedule_expression
  success_check_expression = var.success_check_expression
  alert_email              = var.alert_email
}

module "sftp" {
  source            = "./modules/sftp"
  count             = var.enable_sftp ? 1 : 0
  name_prefix       = local.name_prefix
  aws_region        = var.aws_region
  partition         = data.aws_partition.current.partition
  kms_key_arn       = module.kms.key_arn
  extracts_bucket   = module.storage.extracts_bucket_name
  output_prefix     = var.output_prefix
  subnet_id         = coalesce(var.sftp_subnet_id, var.private_subnet_ids[0])
  security_group_id = module.network.sftp_security_group_id
  sftp_username     = var.sftp_username
  sftp_public_key   = var.sftp_public_key
  instance_type     = var.sftp_instance_type
}

# The operations portal: ECS Fargate behind an ALB with Cognito sign-in (groups support / operator /
# auditor), reading the pipeline's runs, extracts and logs (modules/portal, docs/shipping.md).
module "portal" {
  source                      = "./modules/portal"
  count                       = var.enable_portal ? 1 : 0
  name_prefix                 = local.name_prefix
  aws_region                  = var.aws_region
  account_id                  = data.aws_caller_identity.current.account_id
  partition                   = data.aws_partition.current.partition
  environment_label           = upper(var.environment)
  vpc_id                      = var.vpc_id
  public_subnet_ids           = var.public_subnet_ids
  private_subnet_ids          = var.portal_private_subnet_ids != null ? var.portal_private_subnet_ids : var.private_subnet_ids
  allowed_cidrs               = var.portal_allowed_cidrs
  allow_endpoints_access      = var.create_interface_endpoints
  endpoints_security_group_id = module.network.endpoints_security_group_id
  kms_key_arn                 = module.kms.key_arn
  glue_job_name               = module.glue.job_name
  glue_log_group_names        = module.glue.log_group_names
  extracts_bucket_name        = module.storage.extracts_bucket_name
  output_prefix               = var.output_prefix
  domain_name                 = var.portal_domain_name
  certificate_arn             = var.portal_certificate_arn
  route53_zone_id             = var.portal_route53_zone_id
  image_tag                   = var.portal_image_tag
  cpu                         = var.portal_cpu
  memory                      = var.portal_memory
  desired_count               = var.portal_min_count
  min_count                   = var.portal_min_count
  max_count                   = var.portal_max_count
  enable_waf                  = var.portal_enable_waf
  log_retention_days          = var.log_retention_days
}
