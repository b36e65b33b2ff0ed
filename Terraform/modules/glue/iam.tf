# One role for the job, one for the crawler; each gets only what its component does.
# Resource "*" appears only where the API has no resource-level permissions (EC2 Describe*, the
# ENI calls Glue makes for VPC connections, cloudwatch:PutMetricData with a namespace condition).

data "aws_iam_policy_document" "glue_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["glue.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [var.account_id]
    }
  }
}

# Shared by both roles: VPC connection plumbing, the secret, the key, Glue's log groups.
data "aws_iam_policy_document" "common" {
  statement {
    sid = "VpcConnectionDescribe"
    actions = [
      "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups",
      "ec2:DescribeVpcEndpoints", "ec2:DescribeRouteTables", "ec2:DescribeVpcAttribute",
    ]
    resources = ["*"]
  }
  statement {
    sid       = "VpcConnectionEnis"
    actions   = ["ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "aws:RequestedRegion"
      values   = [var.aws_region]
    }
  }
  statement {
    sid       = "TagGlueEnis"
    actions   = ["ec2:CreateTags", "ec2:DeleteTags"]
    resources = ["arn:${var.partition}:ec2:${var.aws_region}:${var.account_id}:network-interface/*"]
    condition {
      test     = "ForAllValues:StringEquals"
      variable = "aws:TagKeys"
      values   = ["aws-glue-service-resource"]
    }
  }
  statement {
    sid       = "OdsCredentials"
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    resources = [var.secret_arn]
  }
  statement {
    sid       = "PipelineKey"
    actions   = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
    resources = [var.kms_key_arn]
  }
  statement {
    sid       = "GlueLogs"
    actions   = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:AssociateKmsKey"]
    resources = ["${local.logs_arn_prefix}:/aws-glue/*"]
  }
  statement {
    sid       = "OdsConnection"
    actions   = ["glue:GetConnection", "glue:GetConnections"]
    resources = ["${local.glue_arn_prefix}:catalog", "${local.glue_arn_prefix}:connection/${aws_glue_connection.ods.name}"]
  }
  statement {
    sid       = "SecurityConfiguration"
    actions   = ["glue:GetSecurityConfiguration"]
    resources = ["*"] # no resource-level permissions for this action
  }
}

# ------------------------------------------------------------------ job role
resource "aws_iam_role" "job" {
  name               = "${var.name_prefix}-glue-job"
  description        = "Glue extract job: reads the ODS, publishes extracts"
  assume_role_policy = data.aws_iam_policy_document.glue_assume.json
}

data "aws_iam_policy_document" "job" {
  source_policy_documents = [data.aws_iam_policy_document.common.json]

  statement {
    sid       = "ReadArtifacts"
    actions   = ["s3:GetObject"]
    resources = ["${local.artifacts_arn}/${local.artifacts_prefix}/*"]
  }
  statement {
    sid       = "ListExtractRoot"
    actions   = ["s3:ListBucket"]
    resources = [local.extracts_arn]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${var.output_prefix}/*", "${var.output_prefix}"]
    }
  }
  # Staging, copy to the final keys, removal of stale keys of the month, manifests.
  statement {
    sid       = "PublishExtracts"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"]
    resources = ["${local.extracts_arn}/${var.output_prefix}/*"]
  }
  statement {
    sid       = "ReadCatalog"
    actions   = ["glue:GetDatabase", "glue:GetTable", "glue:GetTables", "glue:GetPartitions"]
    resources = [
      "${local.glue_arn_prefix}:catalog",
      "${local.glue_arn_prefix}:database/${aws_glue_catalog_database.ods.name}",
      "${local.glue_arn_prefix}:table/${aws_glue_catalog_database.ods.name}/*",
    ]
  }
  statement {
    sid       = "JobMetrics"
    actions   = ["cloudwatch:PutMetricData"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "cloudwatch:namespace"
      values   = ["Glue"]
    }
  }
}

resource "aws_iam_role_policy" "job" {
  name   = "extract-job"
  role   = aws_iam_role.job.id
  policy = data.aws_iam_policy_document.job.json
}

# ------------------------------------------------------------------ crawler role
resource "aws_iam_role" "crawler" {
  name               = "${var.name_prefix}-glue-crawler"
  description        = "Glue crawler over the ODS tables"
  assume_role_policy = data.aws_iam_policy_document.glue_assume.json
}

data "aws_iam_policy_document" "crawler" {
  source_policy_documents = [data.aws_iam_policy_document.common.json]

  statement {
    sid = "MaintainCatalog"
    actions = [
      "glue:GetDatabase", "glue:GetTable", "glue:GetTables", "glue:CreateTable", "glue:UpdateTable",
      "glue:BatchGetPartition", "glue:GetPartitions", "glue:BatchCreatePartition", "glue:BatchUpdatePartition",
    ]
    resources = [
      "${local.glue_arn_prefix}:catalog",
      "${local.glue_arn_prefix}:database/${aws_glue_catalog_database.ods.name}",
      "${local.glue_arn_prefix}:table/${aws_glue_catalog_database.ods.name}/*",
    ]
  }
}

resource "aws_iam_role_policy" "crawler" {
  name   = "ods-crawler"
  role   = aws_iam_role.crawler.id
  policy = data.aws_iam_policy_document.crawler.json
}
