# The ODS credentials: created here WITHOUT the password. An operator puts the full value once with
# `aws secretsmanager put-secret-value` (README); from then on AWS's rotation Lambda changes it.

resource "aws_secretsmanager_secret" "ods" {
  name                    = "${var.name_prefix}/ods/postgres"
  description             = "ODS (Aurora PostgreSQL) credentials for the extract pipeline; rotated automatically"
  kms_key_id              = var.kms_key_arn
  recovery_window_in_days = var.recovery_window_in_days
}

# Connection facts only, in the JSON shape the RDS rotation functions expect. The password key is
# added out of band; ignore_changes keeps Terraform from ever overwriting the real value.
resource "aws_secretsmanager_secret_version" "ods_initial" {
  secret_id = aws_secretsmanager_secret.ods.id
  secret_string = jsonencode({
    engine   = "postgres"
    host     = var.ods_host
    port     = var.ods_port
    dbname   = var.ods_database
    username = var.ods_username
  })

  lifecycle {
    ignore_changes = [secret_string, version_stages]
  }
}

# AWS's published single-user rotation function for PostgreSQL, deployed in our VPC so it reaches the
# ODS; it calls Secrets Manager through the VPC endpoint (private DNS).
resource "aws_serverlessapplicationrepository_cloudformation_stack" "rotation" {
  name             = "${var.name_prefix}-ods-rotation"
  application_id   = "arn:aws:serverlessrepo:us-east-1:297356227824:applications/SecretsManagerRDSPostgreSQLRotationSingleUser"
  semantic_version = var.rotation_app_version
  capabilities     = ["CAPABILITY_IAM", "CAPABILITY_RESOURCE_POLICY"]
  parameters = {
    functionName        = "${var.name_prefix}-ods-rotation"
    endpoint            = "https://secretsmanager.${var.aws_region}.amazonaws.com"
    vpcSubnetIds        = join(",", var.subnet_ids)
    vpcSecurityGroupIds = var.rotation_security_group_id
    kmsKeyArn           = var.kms_key_arn
  }
}

resource "aws_secretsmanager_secret_rotation" "ods" {
  secret_id           = aws_secretsmanager_secret.ods.id
  rotation_lambda_arn = aws_serverlessapplicationrepository_cloudformation_stack.rotation.outputs["RotationLambdaARN"]
  # Do not rotate on creation: the secret has no password until the operator puts it.
  rotate_immediately = false

  rotation_rules {
    automatically_after_days = var.rotation_days
  }

  depends_on = [aws_secretsmanager_secret_version.ods_initial]
}
