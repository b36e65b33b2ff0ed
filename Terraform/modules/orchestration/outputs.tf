output "alerts_topic_arn" {
  description = "SNS topic of the failure alerts."
  value       = aws_sns_topic.alerts.arn
}

output "workflow_name" {
  description = "Glue workflow of the monthly run."
  value       = aws_glue_workflow.monthly.name
}

output "failure_rule_name" {
  description = "EventBridge rule of the failure alerts."
  value       = aws_cloudwatch_event_rule.failures.name
}

output "no_success_alarm_name" {
  description = "CloudWatch alarm raised when no run succeeded by the 2nd."
  value       = aws_cloudwatch_metric_alarm.no_success.alarm_name
}

output "success_check_state_machine_arn" {
  description = "State machine counting this month's successful runs."
  value       = aws_sfn_state_machine.success_check.arn
}
