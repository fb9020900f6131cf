variable "stage" {
  default = "dev"
}

variable "kms_key_arn" {
  default = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
}

variable "signing_config" {
  default = "arn:aws:lambda:eu-west-1:123456789012:code-signing-config:csc-0123456789abcdef0"
}

variable "workers" {
  default = ["resize", "export"]
}
