# A thumbnailer deployed through a local module that is switched on with `count`: the
# permissions refer to the function and its bucket through `module.thumbnailer[0]`.

variable "enabled" {
  type    = bool
  default = true
}

module "thumbnailer" {
  source = "./modules/fn"
  count  = var.enabled ? 1 : 0

  name = "thumbnailer"
}

# Scoped to the module's own upload bucket: fine.
resource "aws_lambda_permission" "from_uploads" {
  statement_id   = "AllowUploadsBucket"
  action         = "lambda:InvokeFunction"
  function_name  = module.thumbnailer[0].function_name
  principal      = "s3.amazonaws.com"
  source_arn     = module.thumbnailer[0].bucket_arn
  source_account = "123456789012"
}

# Any bucket in any account may invoke the function: EVT001.
resource "aws_lambda_permission" "from_any_bucket" {
  statement_id  = "AllowAnyBucket"
  action        = "lambda:InvokeFunction"
  function_name = module.thumbnailer[0].arn
  principal     = "s3.amazonaws.com"
}

output "thumbnailer_arns" {
  value = module.thumbnailer[*].arn
}
