terraform {
  required_providers {
    azurerm = { source = "hashicorp/azurerm", version = "~> 3.100" }
  }
}

variable "location" {
  type    = string
  default = "westeurope"
}

data "azurerm_client_config" "current" {}

resource "azurerm_resource_group" "orders" {
  name     = "orders-rg"
  location = var.location
}

resource "azurerm_storage_account" "orders" {
  name                     = "ordersstore"
  resource_group_name      = azurerm_resource_group.orders.name
  location                 = var.location
  account_tier             = "Standard"
  account_replication_type = "LRS"
}

resource "azurerm_service_plan" "orders" {
  name                = "orders-plan"
  resource_group_name = azurerm_resource_group.orders.name
  location            = var.location
  os_type             = "Linux"
  sku_name            = "EP1"
}

resource "azurerm_key_vault" "orders" {
  name                = "orders-kv"
  location            = var.location
  resource_group_name = azurerm_resource_group.orders.name
  tenant_id           = data.azurerm_client_config.current.tenant_id
  sku_name            = "standard"
}

resource "azurerm_linux_function_app" "api" {
  name                          = "orders-api"
  resource_group_name           = azurerm_resource_group.orders.name
  location                      = var.location
  service_plan_id               = azurerm_service_plan.orders.id
  storage_account_name          = azurerm_storage_account.orders.name
  storage_uses_managed_identity = true
  https_only                    = true
  public_network_access_enabled = false

  app_settings = {
    FUNCTIONS_WORKER_RUNTIME = "python"
    PAYMENTS_API_KEY         = "@Microsoft.KeyVault(SecretUri=https://orders-kv.vault.azure.net/secrets/payments-api-key/)"
  }

  identity {
    type = "SystemAssigned"
  }

  auth_settings_v2 {
    auth_enabled           = true
    require_authentication = true
    unauthenticated_action = "Return401"
  }

  site_config {
    minimum_tls_version = "1.2"
    ftps_state          = "Disabled"

    cors {
      allowed_origins = ["https://orders.example.com"]
    }

    application_stack {
      python_version = "3.11"
    }
  }
}

resource "azurerm_role_assignment" "api_blobs" {
  scope                = azurerm_storage_account.orders.id
  role_definition_name = "Storage Blob Data Contributor"
  principal_id         = azurerm_linux_function_app.api.identity[0].principal_id
}

resource "azurerm_key_vault_access_policy" "api" {
  key_vault_id       = azurerm_key_vault.orders.id
  tenant_id          = data.azurerm_client_config.current.tenant_id
  object_id          = azurerm_linux_function_app.api.identity[0].principal_id
  secret_permissions = ["Get"]
}

resource "azurerm_function_app_function" "webhook" {
  name            = "webhook"
  function_app_id = azurerm_linux_function_app.api.id
  language        = "Python"
  config_json = jsonencode({
    bindings = [
      {
        # Anonymous at the function level: App Service authentication (auth_settings_v2 above)
        # requires a signed-in caller before any trigger runs.
        authLevel = "anonymous"
        type      = "httpTrigger"
        direction = "in"
        name      = "req"
        methods   = ["post"]
        route     = "hooks/payments"
      },
      { type = "http", direction = "out", name = "$return" },
    ]
  })
}
