output "log_analytics_workspace_id" {
  description = "Resource ID of the Log Analytics workspace."
  value       = azurerm_log_analytics_workspace.this.id
}

output "application_insights_id" {
  description = "Resource ID of the Application Insights component."
  value       = azurerm_application_insights.this.id
}

output "application_insights_connection_string" {
  description = "Connection string the agents export telemetry with."
  value       = azurerm_application_insights.this.connection_string
  sensitive   = true
}

output "action_group_id" {
  description = "Resource ID of the alert action group."
  value       = azurerm_monitor_action_group.this.id
}

output "latency_alert_id" {
  description = "Resource ID of the P95 latency alert rule."
  value       = azurerm_monitor_scheduled_query_rules_alert_v2.p95_latency.id
}
