# A job that assumes a cloud role runs in a GitHub environment, so its protection rules
# (reviewers, branch restrictions) gate who can use the role.
package trustmap.gha.cloud_role_environment

import rego.v1

__rego_metadata__ := {
	"id": "CUSTOM-GHA-001",
	"title": "Job assumes a cloud role outside an environment",
	"severity": "high",
	"capability": "identity",
	"description": "A GitHub Actions job that assumes a cloud role (OIDC) without `environment:`.",
	"fix": "Add `environment: <name>` to the job and scope the role's trust policy to that environment.",
}

deny contains result if {
	some workflow in input.workflows
	some job in workflow.jobs
	count(job.cloud_roles) > 0
	job.environment == null
	result := {
		"msg": sprintf("job %q assumes a cloud role but runs outside an environment", [job.id]),
		"resource": job.meta.address,
		"location": {"path": job.meta.span.path, "start_line": job.id_span.start_line},
	}
}

warn contains sprintf("workflow %s has no jobs", [workflow.meta.address]) if {
	some workflow in input.workflows
	count(workflow.jobs) == 0
}
