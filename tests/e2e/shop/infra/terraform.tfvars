env        = "prod"
admin_cidr = "0.0.0.0/0"
buckets = {
  assets  = { public = false }
  exports = { public = true }
}
