locals {
  list = ["a", "b", "c"]
  map  = { for i, s in local.list : s => i if s != "b" }
  text = <<-EOT
    %{ for s in local.list ~}
    - ${upper(s)}
    %{ endfor ~}
  EOT
}
resource "x" "y" {
  a = format("%s-%03d", join(",", keys(local.map)), length(local.list))
  b = try(local.map.missing, regex("^(a)", "abc"))
  c = local.text
  d = [for k, v in local.map : "${k}=${v}"]
}
