variable "stage" {
  default = "dev"
}

variable "api_token" {
  description = "Partner API token (set in terraform.tfvars)"
}

variable "workers" {
  default = {
    resize = "python3.12"
    export = "python3.8"
  }
}
