# The operations portal on ECS Fargate behind an ALB with Cognito sign-in:
#   user -> ALB (HTTPS, WAF, authenticate-cognito) -> Fargate tasks (private subnets)
#        -> Glue (runs), S3 (extracts, read-only), CloudWatch Logs (run logs), DynamoDB (runs + month guard + backfills, audit)
# Files: main.tf (image, cluster, task, service, autoscaling), alb.tf, cognito.tf, iam.tf, state.tf
# (DynamoDB, Data Protection key ring, ALB log bucket), network.tf (security groups), waf.tf.

locals {
  name             = "${var.name_prefix}-portal"
  container_name   = "portal"
  container_port   = 8080
  data_folder      = "/var/lib/extractportal"
  cognito_domain   = coalesce(var.cognito_domain_prefix, "${var.name_prefix}-${var.account_id}")
  portal_url       = "https://${var.domain_name}"
  glue_job_arn     = "arn:${var.partition}:glue:${var.aws_region}:${var.account_id}:job/${var.glue_job_name}"
  extracts_arn     = "arn:${var.partition}:s3:::${var.extracts_bucket_name}"
  data_protection  = "portal/data-protection"
  cognito_hostname = "${local.cognito_domain}.auth.${var.aws_region}.amazoncognito.com"

  # Everything the app reads (Portal:* and Aws:* sections). No secret: the task role supplies
  # credentials, the ALB signs the user's identity.
  environment = {
    ASPNETCORE_FORWARDEDHEADERS_ENABLED = "true" # scheme and client IP from the ALB's X-Forwarded-* headers
    Portal__Mode                        = "Aws"
    Portal__EnvironmentName             = var.environment_label
    Portal__DataFolder                  = local.data_folder
    Aws__Region                         = var.aws_region
    Aws__GlueJobName                    = var.glue_job_name
    Aws__GlueLogGroup                   = lookup(var.glue_log_group_names, "continuous", "")
    Aws__ExtractsBucket                 = var.extracts_bucket_name
    Aws__ExtractsPrefix                 = var.output_prefix
    Aws__RunsTable                      = aws_dynamodb_table.runs.name
    Aws__AuditTable                     = aws_dynamodb_table.audit.name
    Aws__Auth__AlbArn                   = aws_lb.this.arn
    Aws__Auth__Issuer                   = "https://cognito-idp.${var.aws_region}.amazonaws.com/${aws_cognito_user_pool.this.id}"
    Aws__Auth__ClientId                 = aws_cognito_user_pool_client.alb.id
    Aws__Auth__UserPoolId               = aws_cognito_user_pool.this.id
    Aws__Auth__LogoutUrl                = "https://${local.cognito_hostname}/logout?client_id=${aws_cognito_user_pool_client.alb.id}&logout_uri=${urlencode("${local.portal_url}/")}"
    Aws__DataProtection__Bucket         = aws_s3_bucket.state.id
    Aws__DataProtection__Prefix         = local.data_protection
    Aws__DataProtection__KmsKeyId       = var.kms_key_arn
  }
}

# ------------------------------------------------------------------ image registry
resource "aws_ecr_repository" "portal" {
  name                 = local.name
  image_tag_mutability = "IMMUTABLE" # a tag always means the same image: deploys and rollbacks are exact
  force_delete         = var.force_destroy

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = var.kms_key_arn
  }
}

resource "aws_ecr_lifecycle_policy" "portal" {
  repository = aws_ecr_repository.portal.name
  policy = jsonencode({
    rules = [
      {
        rulePriority = 1
        description  = "Untagged layers of failed pushes expire after 7 days"
        selection    = { tagStatus = "untagged", countType = "sinceImagePushed", countUnit = "days", countNumber = 7 }
        action       = { type = "expire" }
      },
      {
        rulePriority = 2
        description  = "Keep the newest ${var.ecr_keep_images} tagged images (rollback candidates)"
        selection    = { tagStatus = "tagged", tagPatternList = ["*"], countType = "imageCountMoreThan", countNumber = var.ecr_keep_images }
        action       = { type = "expire" }
      },
    ]
  })
}

# ------------------------------------------------------------------ cluster, logs, task
resource "aws_ecs_cluster" "this" {
  name = local.name
  setting {
    name  = "containerInsights"
    value = "enhanced"
  }
}

resource "aws_cloudwatch_log_group" "portal" {
  name              = "/ecs/${local.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
}

resource "aws_ecs_task_definition" "portal" {
  family                   = local.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.cpu
  memory                   = var.memory
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64" # the image is published for linux-x64
  }

  # Fargate task storage (bind mounts without a host path): the only writable paths.
  volume {
    name = "data"
  }
  volume {
    name = "tmp"
  }

  container_definitions = jsonencode([
    {
      name                   = local.container_name
      image                  = "${aws_ecr_repository.portal.repository_url}:${var.image_tag}"
      essential              = true
      user                   = "1654:1654"
      readonlyRootFilesystem = true
      portMappings           = [{ containerPort = local.container_port, protocol = "tcp", name = "http" }]
      mountPoints = [
        { sourceVolume = "data", containerPath = local.data_folder, readOnly = false },
        { sourceVolume = "tmp", containerPath = "/tmp", readOnly = false },
      ]
      environment = [for k in sort(keys(local.environment)) : { name = k, value = local.environment[k] }]
      healthCheck = {
        command     = ["CMD", "dotnet", "/app/ExtractPortal.dll", "healthcheck"]
        interval    = 30
        timeout     = 10
        retries     = 3
        startPeriod = 60
      }
      linuxParameters = { initProcessEnabled = true }
      stopTimeout     = 30
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.portal.name
          awslogs-region        = var.aws_region
          awslogs-stream-prefix = "portal"
          mode                  = "non-blocking"
        }
      }
    }
  ])
}

# ------------------------------------------------------------------ service
resource "aws_ecs_service" "portal" {
  name                               = local.name
  cluster                            = aws_ecs_cluster.this.id
  task_definition                    = aws_ecs_task_definition.portal.arn
  launch_type                        = "FARGATE"
  desired_count                      = var.desired_count
  deployment_minimum_healthy_percent = 100 # roll out new tasks before old ones drain
  deployment_maximum_percent         = 200
  health_check_grace_period_seconds  = 90
  enable_ecs_managed_tags            = true
  propagate_tags                     = "SERVICE"

  deployment_circuit_breaker {
    enable   = true
    rollback = true # a release whose tasks never turn healthy rolls back by itself
  }

  network_configuration {
    subnets          = var.private_subnet_ids
    security_groups  = [aws_security_group.tasks.id]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.portal.arn
    container_name   = local.container_name
    container_port   = local.container_port
  }

  lifecycle {
    ignore_changes = [desired_count] # owned by autoscaling after the first apply
  }

  depends_on = [aws_lb_listener.https]
}

# ------------------------------------------------------------------ autoscaling
resource "aws_appautoscaling_target" "portal" {
  service_namespace  = "ecs"
  resource_id        = "service/${aws_ecs_cluster.this.name}/${aws_ecs_service.portal.name}"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = var.min_count
  max_capacity       = var.max_count
}

# Scale-in is slow on purpose: a removed task takes its users' Blazor circuits with it.
resource "aws_appautoscaling_policy" "cpu" {
  name               = "${local.name}-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.portal.service_namespace
  resource_id        = aws_appautoscaling_target.portal.resource_id
  scalable_dimension = aws_appautoscaling_target.portal.scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = var.cpu_target_percent
    scale_in_cooldown  = 600
    scale_out_cooldown = 60
    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}

resource "aws_appautoscaling_policy" "requests" {
  name               = "${local.name}-requests"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.portal.service_namespace
  resource_id        = aws_appautoscaling_target.portal.resource_id
  scalable_dimension = aws_appautoscaling_target.portal.scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = var.requests_per_target
    scale_in_cooldown  = 600
    scale_out_cooldown = 60
    predefined_metric_specification {
      predefined_metric_type = "ALBRequestCountPerTarget"
      resource_label         = "${aws_lb.this.arn_suffix}/${aws_lb_target_group.portal.arn_suffix}"
    }
  }
}
