package trustmap.aws.bucket_prefix_test

import rego.v1

import data.trustmap.aws.bucket_prefix

bucket(name, state) := {
	"meta": {"address": "aws_s3_bucket.b", "language": "Terraform"},
	"name": {"value": name, "state": state, "span": {"path": "main.tf", "start_line": 2, "end_line": 2}, "via": []},
}

test_unprefixed_bucket_is_denied if {
	results := bucket_prefix.deny with input as {"aws": {"s3": {"buckets": [bucket("logs", "explicit")]}}}
	count(results) == 1
	some r in results
	r.resource == "aws_s3_bucket.b"
	contains(r.msg, "\"logs\"")
}

test_prefixed_bucket_passes if {
	count(bucket_prefix.deny) == 0 with input as {"aws": {"s3": {"buckets": [bucket("acme-logs", "explicit")]}}}
}

test_unknown_name_is_not_judged if {
	count(bucket_prefix.deny) == 0 with input as {"aws": {"s3": {"buckets": [bucket(null, "unknown")]}}}
}
