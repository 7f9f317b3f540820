module "monitoring" {
  source = "../modules/monitoring"

  name                 = local.name
  location             = azurerm_resource_group.main.location
  resource_group_name  = azurerm_resource_group.main.name
  log_retention_days   = var.log_retention_days
  sampling_percentage  = var.appinsights_sampling_percentage
  alert_emails         = var.alert_emails
  latency_threshold_ms = var.latency_alert_threshold_ms
  tags                 = local.tags
}
