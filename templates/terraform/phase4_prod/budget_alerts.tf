# Monthly subscription budget with one notification per threshold, so the
# thresholds live in one place (var.alert_thresholds) for Terraform and mac.
resource "azurerm_consumption_budget_subscription" "monthly" {
  name            = "budget-${local.name}-monthly"
  subscription_id = "/subscriptions/${var.subscription_id}"
  amount          = var.budget_amount
  time_grain      = "Monthly"

  time_period {
    start_date = var.budget_start_date
  }

  dynamic "notification" {
    for_each = var.alert_thresholds
    content {
      enabled        = true
      operator       = "GreaterThan"
      threshold_type = "Actual"
      # Azure wants a whole percentage; 0.83 * 100 is not exactly 83 in
      # floating point, so round to the nearest integer.
      threshold      = floor(notification.value * 100 + 0.5)
      contact_emails = var.alert_emails
      # Owners are told even if alert_emails is empty.
      contact_roles = ["Owner"]
    }
  }
}
