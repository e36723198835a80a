terraform {
  required_version = ">= 1.5"
}

locals {
  name = "${var.org}-${var.env}"
  tags = { Org = var.org, Env = var.env }
}

module "network" {
  source      = "./modules/network"
  name        = local.name
  cidr        = var.vpc_cidr
  admin_cidrs = var.admin_cidrs
}

module "data" {
  source  = "./modules/data"
  prefix  = local.name
  buckets = var.buckets
  tags    = local.tags
}

module "iam" {
  source       = "./modules/iam"
  name         = local.name
  github_repos = var.github_repos
  bucket_arns  = module.data.bucket_arns
}

module "app" {
  source      = "./modules/app"
  name        = local.name
  services    = var.services
  subnet_ids  = module.network.private_subnet_ids
  exports_arn = module.data.bucket_arns["exports"]
}

output "function_urls" {
  value = module.app.function_urls
}

output "deploy_roles" {
  value = module.iam.role_arns
}
