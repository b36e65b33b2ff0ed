# Monthly schedule (Glue workflow: crawler, then the job on the crawler's success), failure alerts
# (EventBridge -> SNS -> email) and a "no successful run by the 2nd" alarm.

locals {
  workflow_name    = "${var.name_prefix}-monthly"
  metric_namespace = "ExtractPortal"
  metric_name      = "SuccessfulRunsThisMonth"
  job_arn          = "arn:${var.partition}:glue:${var.aws_region}:${var.account_id}:job/${var.job_name}"
}

# ------------------------------------------------------------------ schedule: crawler -> job
resource "aws_glue_workflow" "monthly" {
  name                = local.workflow_name
  description         = "1st of the month: refresh the ODS catalog, then extract the previous month"
  max_concurrent_runs = 1
}

resource "aws_glue_trigger" "schedule" {
  name          = "${local.workflow_name}-start"
  description   = "Starts the monthly workflow with the crawler"
  type          = "SCHEDULED"
  schedule      = var.schedule_expression
  workflow_name = aws_glue_workflow.monthly.name

  actions {
    crawler_name = var.crawler_name
  }
}

# An empty --extract_months means "the previous calendar month" in Glue/etl.py.
resource "aws_glue_trigger" "after_crawl" {
  name              = "${local.workflow_name}-extract"
  description       = "Runs the extract once the crawler succeeded"
  type              = "CONDITIONAL"
  workflow_name     = aws_glue_workflow.monthly.name
  start_on_creation = true

  predicate {
    conditions {
      crawler_name     = var.crawler_name
      crawl_state      = "SUCCEEDED"
      logical_operator = "EQUALS"
    }
  }

  actions {
    job_name = var.job_name
    arguments = {
      "--extract_months" = ""
      "--triggered_by"   = "schedule"
      "--reason"         = "monthly schedule"
    }
  }
}

# ------------------------------------------------------------------ alert topic
resource "aws_sns_topic" "alerts" {
  name              = "${var.name_prefix}-alerts"
  display_name      = "ExtractPortal alerts"
  kms_master_key_id = var.kms_key_arn
}

data "aws_iam_policy_document" "alerts" {
  statement {
    sid       = "AccountManagesTopic"
    actions   = ["sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:Subscribe", "sns:ListSubscriptionsByTopic", "sns:Publish"]
    resources = [aws_sns_topic.alerts.arn]
    principals {
      type        = "AWS"
      identifiers = ["arn:${var.partition}:iam::${var.account_id}:root"]
    }
  }
  statement {
    sid       = "EventBridgeFailureRule"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.alerts.arn]
    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }
    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [aws_cloudwatch_event_rule.failures.arn]
    }
  }
  statement {
    sid       = "CloudWatchAlarms"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.alerts.arn]
    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${var.partition}:cloudwatch:${var.aws_region}:${var.account_id}:alarm:${var.name_prefix}-*"]
    }
  }
}

resource "aws_sns_topic_policy" "alerts" {
  arn    = aws_sns_topic.alerts.arn
  policy = data.aws_iam_policy_document.alerts.json
}

# The address must click the confirmation link AWS sends before alerts are delivered.
resource "aws_sns_topic_subscription" "email" {
  topic_arn = aws_sns_topic.alerts.arn
  protocol  = "email"
  endpoint  = var.alert_email
}

# ------------------------------------------------------------------ failure alerts
resource "aws_cloudwatch_event_rule" "failures" {
  name        = "${var.name_prefix}-glue-failures"
  description = "Our Glue job FAILED/TIMEOUT/STOPPED/ERROR or our crawler Failed"
  event_pattern = templatefile("${path.module}/failure-event-pattern.json.tftpl", {
    job_names     = [var.job_name]
    crawler_names = [var.crawler_name]
  })
}

# A readable email with the error message; empty fields are those the event type does not carry.
resource "aws_cloudwatch_event_target" "failures_to_sns" {
  rule      = aws_cloudwatch_event_rule.failures.name
  target_id = "alerts-topic"
  arn       = aws_sns_topic.alerts.arn

  input_transformer {
    input_paths = {
      detailType = "$.detail-type"
      state      = "$.detail.state"
      job        = "$.detail.jobName"
      runId      = "$.detail.jobRunId"
      crawler    = "$.detail.crawlerName"
      message    = "$.detail.message"
      error      = "$.detail.errorMessage"
      time       = "$.time"
      account    = "$.account"
      region     = "$.region"
    }
    input_template = "\"[${var.name_prefix}] <detailType>: <job><crawler> is <state> at <time> (run <runId>, account <account>, <region>). Error: <message> <error>. Runbook: check the run in the ExtractPortal portal or the Glue console; a failed month leaves the previously published files untouched, re-run it with a backfill.\""
  }

  retry_policy {
    maximum_event_age_in_seconds = 86400
    maximum_retry_attempts       = 10
  }
}

# ------------------------------------------------------------------ "no success by the 2nd"
data "aws_iam_policy_document" "states_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["states.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [var.account_id]
    }
  }
}

resource "aws_iam_role" "success_check" {
  name               = "${var.name_prefix}-success-check"
  description        = "Step Functions: counts this month's successful extract runs"
  assume_role_policy = data.aws_iam_policy_document.states_assume.json
}

data "aws_iam_policy_document" "success_check" {
  statement {
    sid       = "ReadJobRuns"
    actions   = ["glue:GetJobRuns"]
    resources = [local.job_arn]
  }
  statement {
    sid       = "PublishCount"
    actions   = ["cloudwatch:PutMetricData"]
    resources = ["*"] # PutMetricData has no resource-level permissions; limited to our namespace
    condition {
      test     = "StringEquals"
      variable = "cloudwatch:namespace"
      values   = [local.metric_namespace]
    }
  }
}

resource "aws_iam_role_policy" "success_check" {
  name   = "success-check"
  role   = aws_iam_role.success_check.id
  policy = data.aws_iam_policy_document.success_check.json
}

resource "aws_sfn_state_machine" "success_check" {
  name     = "${var.name_prefix}-success-check"
  role_arn = aws_iam_role.success_check.arn
  definition = templatefile("${path.module}/success-check.asl.json.tftpl", {
    partition        = var.partition
    job_name         = var.job_name
    metric_namespace = local.metric_namespace
    metric_name      = local.metric_name
  })
}

data "aws_iam_policy_document" "scheduler_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["scheduler.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [var.account_id]
    }
  }
}

resource "aws_iam_role" "scheduler" {
  name               = "${var.name_prefix}-success-check-scheduler"
  description        = "EventBridge Scheduler: starts the success check on the 2nd"
  assume_role_policy = data.aws_iam_policy_document.scheduler_assume.json
}

data "aws_iam_policy_document" "scheduler" {
  statement {
    actions   = ["states:StartExecution"]
    resources = [aws_sfn_state_machine.success_check.arn]
  }
}

resource "aws_iam_role_policy" "scheduler" {
  name   = "start-success-check"
  role   = aws_iam_role.scheduler.id
  policy = data.aws_iam_policy_document.scheduler.json
}

resource "aws_scheduler_schedule" "success_check" {
  name                = "${var.name_prefix}-success-check"
  description         = "On the 2nd: was there a successful extract this month?"
  schedule_expression = var.success_check_expression

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = aws_sfn_state_machine.success_check.arn
    role_arn = aws_iam_role.scheduler.arn
  }
}

resource "aws_cloudwatch_metric_alarm" "no_success" {
  alarm_name          = "${var.name_prefix}-no-successful-extract"
  alarm_description   = "No successful run of ${var.job_name} this month by the 2nd: the external system has no new extracts."
  namespace           = local.metric_namespace
  metric_name         = local.metric_name
  dimensions          = { JobName = var.job_name }
  statistic           = "Minimum"
  period              = 3600
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "LessThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alerts.arn]
}

# If the check itself breaks, nobody would learn about a missing extract: alarm on that too.
resource "aws_cloudwatch_metric_alarm" "success_check_failed" {
  alarm_name          = "${var.name_prefix}-success-check-failed"
  alarm_description   = "The monthly success check state machine failed; verify the extract run by hand."
  namespace           = "AWS/States"
  metric_name         = "ExecutionsFailed"
  dimensions          = { StateMachineArn = aws_sfn_state_machine.success_check.arn }
  statistic           = "Sum"
  period              = 3600
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alerts.arn]
}
