org      = "acme"
env      = "prod"
vpc_cidr = "10.40.0.0/16"

admin_cidrs = ["10.40.0.0/16", "0.0.0.0/0"]

buckets = {
  logs    = { public = false }
  exports = { public = true }
  scratch = { public = true, enabled = false }
}

github_repos = {
  "acme/platform" = { branch = "main" }
  "acme/sandbox"  = {}
}

services = {
  orders  = { memory = 512, public_url = true, db_password = "pr0d-orders-Zq81" }
  billing = { memory = 256 }
}
