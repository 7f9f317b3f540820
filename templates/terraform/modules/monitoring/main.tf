# Log Analytics + workspace-based Application Insights, an email action group,
# and the P95 latency alert.

resource "azurerm_log_analytics_workspace" "this" {
  name                = "log-${var.name}"
  location            = var.location
  resource_group_name = var.resource_group_name
  sku                 = "PerGB2018"
  # azurerm 3.x accepts 7 only with the legacy Free SKU (closed to new
  # subscriptions) and 30-730 otherwise; the first 31 days are free, so the
  # 30-day floor costs the same as 7 days would. Ingestion is cut by sampling.
  retention_in_days = max(30, var.log_retention_days)
  tags              = var.tags
}

resource "azurerm_application_insights" "this" {
  name                = "appi-${var.name}"
  location            = var.location
  resource_group_name = var.resource_group_name
  workspace_id        = azurerm_log_analytics_workspace.this.id
  application_type    = "Node.JS"
  sampling_percentage = var.sampling_percentage
  tags                = var.tags
}

resource "azurerm_monitor_action_group" "this" {
  name                = "ag-${var.name}"
  resource_group_name = var.resource_group_name
  short_name          = "mac-alerts"
  tags                = var.tags

  dynamic "email_receiver" {
    for_each = var.alert_emails
    content {
      name                    = "email-${email_receiver.key}"
      email_address           = email_receiver.value
      use_common_alert_schema = true
    }
  }
}

# A metric alert cannot do this: azurerm_monitor_metric_alert aggregations are
# Average, Count, Minimum, Maximum and Total only, so "Percentile95" is
# rejected. A log query alert computes the real 95th percentile instead.
resource "azurerm_monitor_scheduled_query_rules_alert_v2" "p95_latency" {
  name                 = "alert-${var.name}-p95-latency"
  location             = var.location
  resource_group_name  = var.resource_group_name
  description          = "95th percentile request duration above ${var.latency_threshold_ms} ms"
  scopes               = [azurerm_application_insights.this.id]
  severity             = 2
  evaluation_frequency = "PT5M"
  window_duration      = "PT15M"
  tags                 = var.tags

  criteria {
    query                   = <<-KQL
      requests
      | summarize p95_duration_ms = percentile(duration, 95)
    KQL
    time_aggregation_method = "Maximum"
    metric_measure_column   = "p95_duration_ms"
    operator                = "GreaterThan"
    threshold               = var.latency_threshold_ms

    failing_periods {
      minimum_failing_periods_to_trigger_alert = 1
      number_of_evaluation_periods             = 1
    }
  }

  auto_mitigation_enabled = true

  action {
    action_groups = [azurerm_monitor_action_group.this.id]
  }
}
