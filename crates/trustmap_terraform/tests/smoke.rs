mod common;
use common::*;

#[test]
fn smoke() {
    let s = scan(&[
        ("main.tf", r#"
variable "env" { default = "dev" }
locals { name = "app-${var.env}" }
resource "aws_s3_bucket" "b" {
  count  = 2
  bucket = "${local.name}-${count.index}"
  tags = { Name = upper(local.name) }
  versioning { enabled = true }
}
module "web" {
  source = "./mod"
  for_each = toset(["a", "b"])
  name = each.key
}
"#),
        ("mod/main.tf", r#"
variable "name" {}
resource "aws_s3_bucket" "m" { bucket = var.name }
output "arn" { value = aws_s3_bucket.m.arn }
"#),
        ("terraform.tfvars", "env = \"prod\"\n"),
    ]);
    for r in &s.out.resources {
        println!("{} {}", r.address, r.body.to_json());
    }
    println!("{:#?}", s.out.diagnostics);
    println!("{:?}", s.attr("aws_s3_bucket.b[0]", "bucket"));
}
