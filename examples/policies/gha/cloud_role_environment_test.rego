package trustmap.gha.cloud_role_environment_test

import rego.v1

import data.trustmap.gha.cloud_role_environment

span := {"path": ".github/workflows/deploy.yml", "start_line": 5, "end_line": 9}

job(roles, environment) := {
	"id": "deploy",
	"id_span": span,
	"meta": {"address": ".github/workflows/deploy.yml#deploy", "span": span},
	"cloud_roles": roles,
	"environment": environment,
}

input_with(j) := {"workflows": [{"meta": {"address": ".github/workflows/deploy.yml"}, "jobs": [j]}]}

test_role_without_environment_is_denied if {
	results := cloud_role_environment.deny with input as input_with(job([{"provider": "aws"}], null))
	count(results) == 1
}

test_role_in_environment_passes if {
	env := {"value": "production", "span": span, "expressions": []}
	count(cloud_role_environment.deny) == 0 with input as input_with(job([{"provider": "aws"}], env))
}

test_job_without_role_passes if {
	count(cloud_role_environment.deny) == 0 with input as input_with(job([], null))
}

test_empty_workflow_is_a_warning if {
	count(cloud_role_environment.warn) == 1 with input as {"workflows": [{"meta": {"address": "w.yml"}, "jobs": []}]}
}
