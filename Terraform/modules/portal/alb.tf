# The Application Load Balancer: TLS, sign-in (Cognito), sticky sessions for Blazor Server circuits.

resource "aws_lb" "this" {
  name                       = substr("${local.name}-alb", 0, 32)
  load_balancer_type         = "application"
  internal                   = var.alb_internal
  subnets                    = var.public_subnet_ids
  security_groups            = [aws_security_group.alb.id]
  idle_timeout               = var.idle_timeout_seconds
  drop_invalid_header_fields = true
  enable_deletion_protection = var.deletion_protection

  access_logs {
    bucket  = aws_s3_bucket.alb_logs.id
    prefix  = "alb"
    enabled = true
  }

  depends_on = [aws_s3_bucket_policy.alb_logs]
}

resource "aws_lb_target_group" "portal" {
  name                 = substr("${local.name}-tg", 0, 32)
  port                 = local.container_port
  protocol             = "HTTP"
  target_type          = "ip" # awsvpc tasks
  vpc_id               = var.vpc_id
  deregistration_delay = var.deregistration_delay_seconds

  health_check {
    path                = "/healthz"
    matcher             = "200"
    interval            = 15
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }

  # A Blazor Server circuit lives in one task's memory: reconnects and the SignalR fallback transports
  # must reach the same task. WebSockets need nothing else on an ALB (HTTP/1.1 upgrade is native).
  stickiness {
    type            = "lb_cookie"
    enabled         = true
    cookie_duration = var.stickiness_seconds
  }
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"
    redirect {
      protocol    = "HTTPS"
      port        = "443"
      status_code = "HTTP_301"
    }
  }
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.this.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = var.ssl_policy
  certificate_arn   = var.certificate_arn

  # 1. Nobody reaches the portal without a Cognito session (the ALB then forwards x-amzn-oidc-* headers,
  #    signed by the ALB, which the app verifies against Aws:Auth:AlbArn).
  default_action {
    type  = "authenticate-cognito"
    order = 1
    authenticate_cognito {
      user_pool_arn              = aws_cognito_user_pool.this.arn
      user_pool_client_id        = aws_cognito_user_pool_client.alb.id
      user_pool_domain           = aws_cognito_user_pool_domain.this.domain
      scope                      = "openid email profile"
      session_cookie_name        = "ExtractPortalAuth"
      session_timeout            = var.session_timeout_seconds
      on_unauthenticated_request = "authenticate"
    }
  }

  # 2. Then the tasks.
  default_action {
    type             = "forward"
    order            = 2
    target_group_arn = aws_lb_target_group.portal.arn
  }
}

resource "aws_route53_record" "portal" {
  count   = var.route53_zone_id == null ? 0 : 1
  zone_id = var.route53_zone_id
  name    = var.domain_name
  type    = "A"
  alias {
    name                   = aws_lb.this.dns_name
    zone_id                = aws_lb.this.zone_id
    evaluate_target_health = true
  }
}
