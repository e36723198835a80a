variable "env" {
  type    = string
  default = "dev"
}

variable "github_repo" {
  description = "Repository allowed to deploy, as owner/name"
  type        = string
  default     = "acme/shop"
}

variable "admin_cidr" {
  description = "Who may SSH to the bastion"
  type        = string
  default     = "10.20.0.0/16"
}

variable "buckets" {
  type = map(object({ public = bool }))
  default = {
    assets  = { public = false }
    exports = { public = false }
  }
}
