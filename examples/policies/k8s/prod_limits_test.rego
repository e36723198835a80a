package trustmap.k8s.prod_limits_test

import rego.v1

import data.trustmap.k8s.prod_limits

span := {"path": "k8s/app.yaml", "start_line": 10, "end_line": 12}

workload(namespace, limits) := {"object": {
	"meta": {"address": "Deployment/x/app", "language": "Kubernetes", "span": span},
	"namespace": namespace,
}, "pod": {"containers": [{
	"name": {"value": "app", "state": "explicit", "span": span, "via": []},
	"span": span,
	"resources": {"limits": {"value": limits, "state": "explicit", "span": span, "via": []}},
}]}}

memory := [{"resource": "memory", "value": {"value": "256Mi", "state": "explicit"}}]

cpu := [{"resource": "cpu", "value": {"value": "1", "state": "explicit"}}]

test_prod_container_without_memory_limit_is_denied if {
	results := prod_limits.deny with input as {"k8s": {"workloads": [workload("prod", cpu)]}}
	count(results) == 1
}

test_prod_container_with_memory_limit_passes if {
	count(prod_limits.deny) == 0 with input as {"k8s": {"workloads": [workload("prod", memory)]}}
}

test_other_namespaces_are_not_checked if {
	count(prod_limits.deny) == 0 with input as {"k8s": {"workloads": [workload("dev", [])]}}
}
