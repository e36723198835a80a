# Production workloads declare a memory limit: one leaking pod must not starve its node.
package trustmap.k8s.prod_limits

import rego.v1

__rego_metadata__ := {
	"id": "CUSTOM-K8S-001",
	"title": "Production container without a memory limit",
	"severity": "medium",
	"capability": "failure",
	"description": "A container of a workload in a production namespace (data.trustmap_org.prod_namespaces) without resources.limits.memory.",
	"fix": "Set resources.limits.memory on the container.",
}

deny contains result if {
	some workload in input.k8s.workloads
	workload.object.namespace in data.trustmap_org.prod_namespaces
	some container in workload.pod.containers
	container.resources.limits.state != "unknown"
	not has_memory_limit(container)
	result := {
		"msg": sprintf("container %q of %s in namespace %q has no memory limit", [container.name.value, workload.object.meta.address, workload.object.namespace]),
		"resource": workload.object.meta.address,
		"location": container,
	}
}

has_memory_limit(container) if {
	some quantity in container.resources.limits.value
	quantity.resource == "memory"
}
