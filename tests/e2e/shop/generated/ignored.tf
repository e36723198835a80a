# Ignored by .gitignore: trustmap must not scan this.
resource "aws_s3_bucket_acl" "ignored" {
  bucket = "whatever"
  acl    = "public-read-write"
}
