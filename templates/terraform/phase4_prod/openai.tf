resource "azurerm_cognitive_account" "openai" {
  name                  = "oai-${local.name}"
  location              = azurerm_resource_group.main.location
  resource_group_name   = azurerm_resource_group.main.name
  kind                  = "OpenAI"
  sku_name              = "S0"
  custom_subdomain_name = local.openai_subdomain
  tags                  = local.tags
}

# azurerm 3.x names the capacity block `scale` (4.x renamed it `sku`); capacity
# is in thousands of tokens per minute. Deployments are chained because the
# service rejects concurrent deployment changes on one account.
resource "azurerm_cognitive_deployment" "gpt4o_mini" {
  name                 = "gpt-4o-mini"
  cognitive_account_id = azurerm_cognitive_account.openai.id

  model {
    format  = "OpenAI"
    name    = "gpt-4o-mini"
    version = "2024-07-18"
  }

  scale {
    type     = "Standard"
    capacity = var.gpt4o_mini_capacity
  }
}

resource "azurerm_cognitive_deployment" "gpt4o" {
  name                 = "gpt-4o"
  cognitive_account_id = azurerm_cognitive_account.openai.id

  model {
    format  = "OpenAI"
    name    = "gpt-4o"
    version = "2024-08-06"
  }

  scale {
    type     = "Standard"
    capacity = var.gpt4o_capacity
  }

  depends_on = [azurerm_cognitive_deployment.gpt4o_mini]
}

resource "azurerm_cognitive_deployment" "embedding" {
  name                 = "text-embedding-3-large"
  cognitive_account_id = azurerm_cognitive_account.openai.id

  model {
    format  = "OpenAI"
    name    = "text-embedding-3-large"
    version = "1"
  }

  scale {
    type     = "Standard"
    capacity = var.embedding_capacity
  }

  depends_on = [azurerm_cognitive_deployment.gpt4o]
}
