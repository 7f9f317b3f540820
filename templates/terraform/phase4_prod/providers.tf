terraform {
  required_version = ">= 1.6"

  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 3.80"
    }
  }

  # Partial configuration: `mac infra bootstrap` creates the state account and
  # writes storage_account_name and key into a backend config file passed to
  # `terraform init -backend-config=...`, so neither is baked in here. The key
  # is one state blob per environment (<env>.tfstate): environments share the
  # account, never a state.
  backend "azurerm" {
    resource_group_name = "tfstate-rg"
    container_name      = "tfstate"
  }
}

# Credentials come only from ARM_* environment variables at run time
# (ARM_CLIENT_ID, ARM_TENANT_ID, ARM_CLIENT_SECRET or OIDC/managed identity),
# so no secret is ever written into a .tf or .tfvars file.
provider "azurerm" {
  subscription_id = var.subscription_id

  features {
    key_vault {
      # Keep soft-deleted vaults and secrets so a destroy/rebuild drill
      # recovers them instead of losing them.
      purge_soft_delete_on_destroy               = false
      recover_soft_deleted_key_vaults            = true
      purge_soft_deleted_secrets_on_destroy      = false
      recover_soft_deleted_secrets               = true
      purge_soft_deleted_certificates_on_destroy = false
      recover_soft_deleted_certificates          = true
    }

    resource_group {
      prevent_deletion_if_contains_resources = false
    }
  }
}

data "azurerm_client_config" "current" {}
