variable "name" {
  description = "Base name of the monitoring resources, e.g. multiagent-production."
  type        = string
}

variable "location" {
  description = "Azure region."
  type        = string
}

variable "resource_group_name" {
  description = "Resource group that holds the monitoring resources."
  type        = string
}

variable "log_retention_days" {
  description = "Wanted log retention in days; the workspace floor in azurerm 3.x is 30, so smaller values become 30."
  type        = number
}

variable "sampling_percentage" {
  description = "Share of telemetry Application Insights keeps, in percent."
  type        = number
}

variable "alert_emails" {
  description = "Email addresses of the alert action group."
  type        = list(string)
}

variable "latency_threshold_ms" {
  description = "Alert when the 95th percentile request duration exceeds this many milliseconds."
  type        = number
}

variable "tags" {
  description = "Tags for every monitoring resource."
  type        = map(string)
  default     = {}
}
