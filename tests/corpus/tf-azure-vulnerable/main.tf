terraform {
  required_providers {
    azurerm = { source = "hashicorp/azurerm", version = "~> 3.100" }
  }
}

variable "location" {
  type    = string
  default = "westeurope"
}

data "azurerm_subscription" "current" {}

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
  sku_name            = "Y1"
}

resource "azurerm_linux_function_app" "api" {
  name                       = "orders-api"
  resource_group_name        = azurerm_resource_group.orders.name
  location                   = var.location
  service_plan_id            = azurerm_service_plan.orders.id
  storage_account_name       = azurerm_storage_account.orders.name
  storage_account_access_key = azurerm_storage_account.orders.primary_access_key

  app_settings = {
    FUNCTIONS_WORKER_RUNTIME = "python"
    PAYMENTS_API_KEY         = "sk_live_51u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8dKLzdocJ2isAjIhKtJ0RlgLKO"
  }

  identity {
    type = "SystemAssigned"
  }

  auth_settings {
    enabled                       = true
    unauthenticated_client_action = "AllowAnonymous"
  }

  site_config {
    minimum_tls_version = "1.0"
    ftps_state          = "AllAllowed"

    cors {
      allowed_origins     = ["*"]
    }

    application_stack {
      python_version = "3.11"
    }
  }
}

resource "azurerm_role_assignment" "api_owner" {
  scope                = data.azurerm_subscription.current.id
  role_definition_name = "Owner"
  principal_id         = azurerm_linux_function_app.api.identity[0].principal_id
}

resource "azurerm_role_assignment" "api_rg" {
  scope                = azurerm_resource_group.orders.id
  role_definition_name = "Contributor"
  principal_id         = azurerm_linux_function_app.api.identity[0].principal_id
}

resource "azurerm_key_vault" "orders" {
  name                = "orders-kv"
  location            = var.location
  resource_group_name = azurerm_resource_group.orders.name
  tenant_id           = data.azurerm_subscription.current.tenant_id
  sku_name            = "standard"

  access_policy {
    tenant_id          = data.azurerm_subscription.current.tenant_id
    object_id          = azurerm_linux_function_app.api.identity[0].principal_id
    secret_permissions = ["Backup", "Delete", "Get", "List", "Purge", "Recover", "Restore", "Set"]
  }
}

resource "azurerm_function_app_function" "webhook" {
  name            = "webhook"
  function_app_id = azurerm_linux_function_app.api.id
  language        = "Python"
  config_json = jsonencode({
    bindings = [
      {
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
