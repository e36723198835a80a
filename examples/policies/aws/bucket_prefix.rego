# Bucket names carry the organisation prefix, so ownership and cost reports can find them.
package trustmap.aws.bucket_prefix

import rego.v1

__rego_metadata__ := {
	"id": "CUSTOM-AWS-001",
	"title": "S3 bucket name lacks the organisation prefix",
	"severity": "low",
	"capability": "iac",
	"description": "An S3 bucket whose name does not start with the prefix in data.trustmap_org.bucket_prefix.",
	"fix": "Rename the bucket (a new bucket plus a copy: names are immutable).",
}

deny contains result if {
	some bucket in input.aws.s3.buckets
	bucket.name.state == "explicit"
	not startswith(bucket.name.value, data.trustmap_org.bucket_prefix)
	result := {
		"msg": sprintf("bucket %q does not start with %q", [bucket.name.value, data.trustmap_org.bucket_prefix]),
		"resource": bucket.meta.address,
		"location": bucket.name,
	}
}
