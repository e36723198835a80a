variable "ports" { default = [22, 443] }
data "aws_ip_ranges" "r" {}
resource "aws_security_group" "sg" {
  dynamic "ingress" {
    for_each = var.ports
    iterator = port
    content {
      from_port   = port.value
      cidr_blocks = [cidrsubnet("10.0.0.0/16", 8, port.key)]
    }
  }
  dynamic "egress" {
    for_each = data.aws_ip_ranges.r.cidr_blocks
    content { cidr_blocks = [egress.value] }
  }
}
