//! Terraform: parse HCL with spans and evaluate it the way Terraform would, in-process.
//!
//! Input is every Terraform file of the scan: `.tf`, `.tf.json`, `.tfvars`, `.tfvars.json`,
//! `.terraform/modules/modules.json` manifests (with the module directories they list) and
//! plans printed by `terraform show -json` (any other `.json`; see [`is_plan_json`]). Output is
//! one [`TfResource`] per resource *instance* (after `count`/`for_each` and module expansion)
//! with its body evaluated into a [`Node`] tree. Values that cannot be known statically are
//! [`NodeKind::Unknown`] or, when they are another object's attribute, [`NodeKind::Ref`], or,
//! for a string built around such attributes (`"${aws_s3_bucket.b.arn}/*"`, `join`, `format`),
//! a [`NodeKind::Template`] of its text and references (bounded; see `template_parts`); they
//! are never guessed.
//!
//! How it works, in order:
//!
//! 1. every `.tf` file is parsed with hcl-edit (a lossless parser that keeps byte spans); a
//!    `.tf.json` file is translated into the HCL it stands for and parsed the same way, its
//!    spans mapped back into the JSON afterwards (`tfjson`, `offsets`); a file that does not
//!    parse becomes a `parse-error` diagnostic and the rest goes on;
//! 2. files are grouped by directory into modules; a directory with Terraform files that no
//!    other scanned directory calls as a local module (`source = "./…"`) and that is not inside
//!    `.terraform/` is a *root module*;
//! 3. each root is evaluated lazily: resources, locals, outputs and module calls are indexed in
//!    hash maps and evaluated on first use (memoized, cycle-safe), variables come from
//!    defaults < `terraform.tfvars` < `terraform.tfvars.json` < `*.auto.tfvars` <
//!    [`TfOptions::var_files`] < [`TfOptions::vars`];
//! 4. called modules are instantiated through their calls only, so their resources are
//!    reported once per instance with Terraform's own addresses. Local sources resolve
//!    against the caller's directory; registry and git sources resolve through the root
//!    module's `.terraform/modules/modules.json` (`manifest`), i.e. the code `terraform init`
//!    downloaded;
//! 5. plans are merged last (`plan`): a plan's resources carry its known values, located at
//!    the `.tf` source of the same address when that configuration is in the scan.
//!
//! Provenance: a value read through `var.`, `local.`, `module.`, `each.`/`count.` or another
//! resource's attribute gets the span of the *use site* (the expression in the resource) and a
//! [`Via`] hop per indirection pointing at where the value was written (the tfvars line, the
//! default, the module-call argument, the local).
//!
//! Body shape: see [`TfResource::body`]. The meta-arguments `count`, `for_each`, `provider`
//! and `depends_on` and the `lifecycle`, `provisioner` and `connection` blocks are left out (they
//! configure Terraform, not the cloud object); an attribute that evaluates to `null` is left
//! out too, because Terraform treats it as unset (the provider default applies). A reference to
//! a whole resource (`aws_s3_bucket.b` without an attribute) is `Ref { attribute: "" }`.
//!
//! References: an attribute of another resource that its configuration sets is that value; one
//! it does not set (computed by the provider) is `Ref { address, attribute }`, also inside
//! configured nested blocks (`aws_eks_cluster.this[0].vpc_config[0].cluster_security_group_id`
//! is `Ref { address: "aws_eks_cluster.this[0]", attribute:
//! "vpc_config[0].cluster_security_group_id" }`, the path in Terraform's traversal syntax).
//! Every attribute a data source reads is a `Ref` too (`data.aws_iam_policy.admin.arn`), so
//! adapters can resolve well-known data sources by their arguments.
//!
//! JSON in strings: a string literal or heredoc holding a JSON object or array, a template
//! that renders one, `file(...)` of a JSON file or a `templatefile(...)` rendering JSON (the
//! tree pointing into that file), `jsonencode(...)`, and a `data "aws_iam_policy_document"`'s `json` are
//! `NodeKind::Json { text, tree }` whose tree nodes point at the source tokens that wrote
//! them (for `jsonencode`, the evaluated HCL argument itself). Unknown parts stay unknown
//! leaves of the tree, so `"Action": "*"` is still visible next to an unknown `Resource`.
//!
//! Known gaps (values there are unknown or approximated, never guessed):
//! - `.tf.json`: a nested block written as a JSON object is one map (as an array of objects, a
//!   list of maps), since JSON cannot tell blocks from map arguments without the provider
//!   schema; a string that must be re-escaped for HCL is located as a whole;
//! - `*_override.tf` merging, `moved`/`import`/`removed` blocks, provider blocks (not emitted);
//! - functions reading files or the clock (`fileexists`, `fileset`, `filebase64`, `timestamp`,
//!   `uuid`), `md5`/`sha1`/`bcrypt`, `yamlencode`/`yamldecode`: unknown; `file` and
//!   `templatefile` read only files of the scan ([`TfOptions::files`]), anything else (an
//!   absolute path, one leaving the scan root, a file not loaded) is unknown;
//! - remote modules (registry, git, …) without `.terraform/modules/modules.json`: not scanned
//!   (one `unsupported` diagnostic per call);
//! - a value read out of another resource's configuration through a module output or a local
//!   loses its origin: a computed attribute reached from there is an error, not a `Ref`;
//! - plans: `prior_state` is read for data sources only; sensitive values are read like others;
//! - type constraints convert primitives, lists, sets, maps, tuples and objects with
//!   `optional(type, default)`; a value that does not fit is kept as written;
//! - `for_each` over a list of strings is accepted (Terraform demands a set);
//! - `override_policy_documents` statements are appended, not merged by `Sid`.
//!
//! [`NodeKind::Unknown`]: trustmap_syntax::NodeKind::Unknown
//! [`NodeKind::Ref`]: trustmap_syntax::NodeKind::Ref
//! [`NodeKind::Template`]: trustmap_syntax::NodeKind::Template

use std::sync::Arc;

use trustmap_source::{Diagnostic, SourceFile, Span, Via};
use trustmap_syntax::Node;

pub use plan::is_plan_json;

mod config;
mod discovery;
mod eval;
mod functions;
mod json_text;
mod limits;
mod manifest;
mod offsets;
mod parse;
mod plan;
mod policy_document;
mod scope;
mod template_parts;
mod tfjson;
mod value;

/// Managed resource (`resource`) or data source (`data`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mode {
    Managed,
    Data,
}

/// One evaluated resource instance.
#[derive(Clone, Debug)]
pub struct TfResource {
    pub mode: Mode,
    /// Resource type, e.g. `aws_s3_bucket`.
    pub rtype: String,
    /// Resource name label, e.g. `logs`.
    pub name: String,
    /// Full address with module path and instance key, exactly as Terraform prints it:
    /// `aws_s3_bucket_acl.team["exports"]`, `module.net[0].aws_security_group.ssh`,
    /// `data.aws_iam_policy_document.p`.
    pub address: String,
    /// Evaluated body, a `NodeKind::Map`: each attribute is a key; each nested block type is a
    /// key whose value is a `Seq` of `Map`s (one per block, `dynamic` blocks expanded), the key
    /// span being the block's type identifier and each map's span the whole nested block.
    ///
    /// A `data "aws_iam_policy_document"` body also has `json` and `minified_json` keys holding
    /// the rendered policy as `NodeKind::Json` (its tree in IAM JSON shape, leaves spanned at
    /// the HCL attributes they came from).
    pub body: Node,
    /// The whole `resource "t" "n" { ... }` block.
    pub span: Span,
    /// Module calls that instantiated this resource, innermost first (empty in the root module).
    pub via: Vec<Via>,
}

/// Inputs that do not come from the scanned tree.
#[derive(Clone, Debug, Default)]
pub struct TfOptions {
    /// `--var-file` files, applied after `terraform.tfvars` and `*.auto.tfvars`, in order.
    pub var_files: Vec<Arc<SourceFile>>,
    /// `--var name=value`, applied last. Values are parsed as HCL expressions when they
    /// parse, else taken as strings (as Terraform does).
    pub vars: Vec<(String, String)>,
    /// Files of the scanned tree that `file(path)` and `templatefile(path, vars)` may read
    /// (any text file, paths relative to the scan root, '/'-separated); the Terraform files
    /// passed to [`evaluate`] are readable too. Paths resolve against the root module's
    /// directory (Terraform's working directory), so `"${path.module}/policy.json"` is the
    /// file next to the module; a path outside the scan is unknown, never read from disk.
    pub files: Vec<Arc<SourceFile>>,
}

/// Everything evaluated from the scan's Terraform.
#[derive(Debug, Default)]
pub struct TfOutput {
    pub resources: Vec<TfResource>,
    pub diagnostics: Vec<Diagnostic>,
    /// Number of attribute values that evaluated to unknown (the report shows it, so a
    /// partial evaluation is never presented as clean). Each maximal unknown subtree of an
    /// emitted body (an `Unknown` or a `Ref`) counts once.
    pub unknown_values: usize,
}

/// Evaluates every root module found among `files` (all Terraform files of the scan — see the
/// crate documentation — paths relative to the scan root, '/'-separated).
///
/// Never panics on any input: bad files become diagnostics, values that cannot be decided
/// become unknown. Evaluation runs on a helper thread with a large stack so that deeply nested
/// (but bounded) input cannot overflow the caller's stack.
pub fn evaluate(files: &[Arc<SourceFile>], opts: &TfOptions) -> TfOutput {
    let run = || eval::run(files, opts);
    std::thread::scope(|s| {
        match std::thread::Builder::new()
            .name("trustmap-terraform".into())
            .stack_size(limits::THREAD_STACK_BYTES)
            .spawn_scoped(s, run)
        {
            Ok(handle) => handle.join().unwrap_or_else(|_| internal_error()),
            // No thread available: evaluate on the caller's stack (limits still apply).
            Err(_) => eval::run(files, opts),
        }
    })
}

fn internal_error() -> TfOutput {
    TfOutput {
        diagnostics: vec![Diagnostic::new(
            "internal-error",
            "Terraform evaluation failed unexpectedly; Terraform resources were not scanned",
        )],
        ..TfOutput::default()
    }
}
