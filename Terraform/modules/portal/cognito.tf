# Cognito: who may sign in (admin-created users only, MFA), and their role (group).

resource "aws_cognito_user_pool" "this" {
  name                     = local.name
  username_attributes      = ["email"]
  auto_verified_attributes = ["email"]
  mfa_configuration        = var.mfa_configuration
  deletion_protection      = var.deletion_protection ? "ACTIVE" : "INACTIVE"

  # Nobody signs themselves up: operators create users (docs/shipping.md).
  admin_create_user_config {
    allow_admin_create_user_only = true
  }

  password_policy {
    minimum_length                   = 14
    require_lowercase                = true
    require_uppercase                = true
    require_numbers                  = true
    require_symbols                  = true
    temporary_password_validity_days = 3
    password_history_size            = 12
  }

  software_token_mfa_configuration {
    enabled = true # TOTP apps; no SMS (no SNS role, no SIM-swap risk)
  }

  account_recovery_setting {
    recovery_mechanism {
      name     = "verified_email"
      priority = 1
    }
  }

  user_attribute_update_settings {
    attributes_require_verification_before_update = ["email"]
  }
}

# The portal's roles (fixed contract): support, operator, auditor.
resource "aws_cognito_user_group" "role" {
  for_each     = toset(var.role_groups)
  name         = each.value
  user_pool_id = aws_cognito_user_pool.this.id
  description  = "ExtractPortal role ${each.value}"
}

resource "aws_cognito_user_pool_domain" "this" {
  domain       = local.cognito_domain
  user_pool_id = aws_cognito_user_pool.this.id
}

# The ALB is the OAuth client (authorization code flow, with a secret only the ALB knows).
resource "aws_cognito_user_pool_client" "alb" {
  name                                 = "${local.name}-alb"
  user_pool_id                         = aws_cognito_user_pool.this.id
  generate_secret                      = true
  allowed_oauth_flows_user_pool_client = true
  allowed_oauth_flows                  = ["code"]
  allowed_oauth_scopes                 = ["openid", "email", "profile"]
  supported_identity_providers         = ["COGNITO"]
  callback_urls                        = ["${local.portal_url}/oauth2/idpresponse"]
  logout_urls                          = ["${local.portal_url}/"]
  explicit_auth_flows                  = ["ALLOW_REFRESH_TOKEN_AUTH"]
  prevent_user_existence_errors        = "ENABLED"
  enable_token_revocation              = true
  access_token_validity                = 60
  id_token_validity                    = 60
  refresh_token_validity               = 12

  token_validity_units {
    access_token  = "minutes"
    id_token      = "minutes"
    refresh_token = "hours"
  }
}
