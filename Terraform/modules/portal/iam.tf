# Two roles: the execution role (ECS pulls the image and writes the container log) and the task role
# (what the portal itself may do). No "*" actions; resources are our ARNs except where an API has no
# resource-level permissions (ecr:GetAuthorizationToken).

data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [var.account_id]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${var.partition}:ecs:${var.aws_region}:${var.account_id}:*"]
    }
  }
}

# ------------------------------------------------------------------ execution role
resource "aws_iam_role" "execution" {
  name               = "${local.name}-execution"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

data "aws_iam_policy_document" "execution" {
  statement {
    sid       = "EcrAuth"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"] # no resource-level permissions for this call
  }
  statement {
    sid       = "EcrPull"
    actions   = ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"]
    resources = [aws_ecr_repository.portal.arn]
  }
  statement {
    sid       = "EcrKms"
    actions   = ["kms:Decrypt"]
    resources = [var.kms_key_arn]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["ecr.${var.aws_region}.amazonaws.com"]
    }
  }
  statement {
    sid       = "ContainerLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.portal.arn}:*"]
  }
}

resource "aws_iam_role_policy" "execution" {
  name   = "pull-image-and-log"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution.json
}

# ------------------------------------------------------------------ task role
resource "aws_iam_role" "task" {
  name               = "${local.name}-task"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

data "aws_iam_policy_document" "task" {
  # Runs: list, inspect, start (re-runs/backfills), stop. Our job only.
  statement {
    sid       = "GlueJobRuns"
    actions   = ["glue:GetJobRun", "glue:GetJobRuns", "glue:StartJobRun", "glue:BatchStopJobRun"]
    resources = [local.glue_job_arn]
  }

  # Extracts: read-only, under the extract root only.
  statement {
    sid       = "ExtractsList"
    actions   = ["s3:ListBucket"]
    resources = [local.extracts_arn]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = [var.output_prefix, "${var.output_prefix}/*"]
    }
  }
  statement {
    sid       = "ExtractsRead"
    actions   = ["s3:GetObject"]
    resources = ["${local.extracts_arn}/${var.output_prefix}/*"]
  }

  # Run logs: the Glue job's log groups, read-only.
  statement {
    sid       = "GlueLogsRead"
    actions   = ["logs:GetLogEvents", "logs:FilterLogEvents"]
    resources = flatten([for g in values(var.glue_log_group_names) : ["arn:${var.partition}:logs:${var.aws_region}:${var.account_id}:log-group:${g}", "arn:${var.partition}:logs:${var.aws_region}:${var.account_id}:log-group:${g}:*"]])
  }

  # The portal's tables: items only (no table management, no Scan).
  statement {
    sid = "PortalTables"
    actions = [
      "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem",
      "dynamodb:DeleteItem", "dynamodb:DescribeTable",
    ]
    resources = flatten([for t in [aws_dynamodb_table.runs, aws_dynamodb_table.audit] : [t.arn, "${t.arn}/index/*"]])
  }

  # Data Protection key ring: list, read and add keys under its prefix (keys are never deleted by the app).
  statement {
    sid       = "DataProtectionList"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.state.arn]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = [local.data_protection, "${local.data_protection}/*"]
    }
  }
  statement {
    sid       = "DataProtectionKeys"
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = ["${aws_s3_bucket.state.arn}/${local.data_protection}/*"]
  }

  # The pipeline key, only through S3 (extracts, key ring) and DynamoDB (tables).
  statement {
    sid       = "KmsViaServices"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
    resources = [var.kms_key_arn]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${var.aws_region}.amazonaws.com", "dynamodb.${var.aws_region}.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "task" {
  name   = "portal"
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.task.json
}
