variable "name" {
  type = string
}

variable "services" {
  type = map(object({
    memory      = number
    public_url  = bool
    db_password = string
  }))
}

variable "subnet_ids" {
  type = list(string)
}

variable "exports_arn" {
  type = string
}

module "service" {
  source   = "./service"
  for_each = var.services

  name        = "${var.name}-${each.key}"
  config      = each.value
  subnet_ids  = var.subnet_ids
  exports_arn = var.exports_arn
}

output "function_urls" {
  value = { for name, s in module.service : name => s.url }
}
