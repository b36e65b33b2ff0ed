terraform {
  # 1.6+ for S3 backend native locking options and modern validation.
  required_version = ">= 1.6.0, < 2.0.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.25"
    }
    # Zips the Glue Python package (Glue/extract_job) for --extra-py-files.
    archive = {
      source  = "hashicorp/archive"
      version = "~> 2.7"
    }
  }
}

provider "aws" {
  region = var.aws_region

  # Every resource carries these tags; modules only add Name/Component tags.
  default_tags {
    tags = merge(var.tags, {
      Project     = var.project
      Environment = var.environment
      ManagedBy   = "terraform"
      Repository  = "ExtractPortal"
    })
  }
}
