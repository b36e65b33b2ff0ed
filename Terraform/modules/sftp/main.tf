# SFTP server on EC2: the extracts prefix mounted read-only (Mountpoint for Amazon S3), OpenSSH as
# SFTP-only, chrooted, key-only. No admin SSH: operators use SSM Session Manager.

locals {
  extracts_arn  = "arn:${var.partition}:s3:::${var.extracts_bucket}"
  key_parameter = "/${var.name_prefix}/sftp/${var.sftp_username}/authorized-key"
}

data "aws_ssm_parameter" "ami" {
  name = var.ami_ssm_parameter
}

# The external system's public key. Terraform writes it once (or a placeholder); operators replace it
# with put-parameter and the instance picks it up within 5 minutes (systemd timer).
resource "aws_ssm_parameter" "authorized_key" {
  name        = local.key_parameter
  description = "OpenSSH public key of the SFTP user ${var.sftp_username}"
  type        = "String"
  value       = coalesce(var.sftp_public_key, "PLACEHOLDER: upload the external system's public key (see Terraform/README.md)")

  lifecycle {
    ignore_changes = [value]
  }
}

# ------------------------------------------------------------------ IAM: read-only extracts, SSM
data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "sftp" {
  name               = "${var.name_prefix}-sftp"
  description        = "SFTP server: read-only extracts, Session Manager"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

# Session Manager instead of SSH for administrators.
resource "aws_iam_role_policy_attachment" "ssm_core" {
  role       = aws_iam_role.sftp.name
  policy_arn = "arn:${var.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore"
}

data "aws_iam_policy_document" "sftp" {
  statement {
    sid       = "ListExtractRoot"
    actions   = ["s3:ListBucket"]
    resources = [local.extracts_arn]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${var.output_prefix}/", "${var.output_prefix}/*"]
    }
  }
  statement {
    sid       = "ReadExtracts"
    actions   = ["s3:GetObject"]
    resources = ["${local.extracts_arn}/${var.output_prefix}/*"]
  }
  # A run's work area is visible as a folder name through the mount but never readable.
  statement {
    sid       = "NoStagingReads"
    effect    = "Deny"
    actions   = ["s3:GetObject"]
    resources = ["${local.extracts_arn}/${var.output_prefix}/_staging/*"]
  }
  statement {
    sid       = "DecryptExtracts"
    actions   = ["kms:Decrypt"]
    resources = [var.kms_key_arn]
  }
  statement {
    sid       = "ReadAuthorizedKey"
    actions   = ["ssm:GetParameter"]
    resources = [aws_ssm_parameter.authorized_key.arn]
  }
}

resource "aws_iam_role_policy" "sftp" {
  name   = "read-only-extracts"
  role   = aws_iam_role.sftp.id
  policy = data.aws_iam_policy_document.sftp.json
}

resource "aws_iam_instance_profile" "sftp" {
  name = "${var.name_prefix}-sftp"
  role = aws_iam_role.sftp.name
}

# ------------------------------------------------------------------ instance
resource "aws_instance" "sftp" {
  ami                         = data.aws_ssm_parameter.ami.value
  instance_type               = var.instance_type
  subnet_id                   = var.subnet_id
  vpc_security_group_ids      = [var.security_group_id]
  iam_instance_profile        = aws_iam_instance_profile.sftp.name
  associate_public_ip_address = false
  monitoring                  = true

  # IMDSv2 only; hop limit 1 keeps the credentials away from anything forwarded.
  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
    instance_metadata_tags      = "disabled"
  }

  root_block_device {
    encrypted   = true
    kms_key_id  = var.kms_key_arn
    volume_type = "gp3"
    volume_size = var.root_volume_size_gb
  }

  user_data = templatefile("${path.module}/files/user-data.sh.tftpl", {
    provision_script   = file("${path.module}/files/provision-sftp.sh")
    sftp_username      = var.sftp_username
    extracts_bucket    = var.extracts_bucket
    output_prefix      = var.output_prefix
    key_parameter      = aws_ssm_parameter.authorized_key.name
    aws_region         = var.aws_region
    mountpoint_rpm_url = var.mountpoint_rpm_url
  })
  # A changed provisioning script replaces the instance: it is stateless (data lives in S3).
  user_data_replace_on_change = true

  tags = { Name = "${var.name_prefix}-sftp" }

  lifecycle {
    ignore_changes = [ami] # AMI updates are rolled deliberately, not on every plan
  }
}
