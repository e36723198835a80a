variable "org" {
  type = string
}

variable "env" {
  type    = string
  default = "dev"
}

variable "vpc_cidr" {
  type    = string
  default = "10.0.0.0/16"
}

variable "admin_cidrs" {
  description = "Networks allowed to reach the bastion over SSH"
  type        = list(string)
  default     = []
}

variable "buckets" {
  type = map(object({
    public  = bool
    enabled = optional(bool, true)
  }))
}

variable "github_repos" {
  description = "Repositories that may deploy, and the branch each one is pinned to"
  type        = map(object({ branch = optional(string) }))
}

variable "services" {
  type = map(object({
    memory      = number
    public_url  = optional(bool, false)
    db_password = optional(string)
  }))
}
