output "id" {
  description = "Resource ID of the container group."
  value       = azurerm_container_group.this.id
}

output "name" {
  description = "Name of the container group."
  value       = azurerm_container_group.this.name
}

output "ip_address" {
  description = "Private IP address of the container group in the container subnet."
  value       = azurerm_container_group.this.ip_address
}
