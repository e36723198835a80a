//! One module's configuration: its declarations indexed by name, borrowing the parsed files.

use std::collections::HashMap;

use hcl_edit::expr::Expression;
use hcl_edit::structure::{Attribute, Block, Body};
use trustmap_source::{SourceFile, Span};

use crate::Mode;
use crate::parse::ParsedFile;

/// `variable "name" { ... }`.
pub(crate) struct VariableDecl<'a> {
    pub(crate) file: &'a SourceFile,
    pub(crate) block: &'a Block,
    pub(crate) default: Option<&'a Attribute>,
    pub(crate) ty: Option<&'a Expression>,
    /// `nullable = false`: a null input is replaced by the default.
    pub(crate) non_nullable: bool,
}

/// One attribute of a `locals { ... }` block.
pub(crate) struct LocalDecl<'a> {
    pub(crate) file: &'a SourceFile,
    pub(crate) attr: &'a Attribute,
}

/// `output "name" { value = ... }`.
pub(crate) struct OutputDecl<'a> {
    pub(crate) file: &'a SourceFile,
    pub(crate) block: &'a Block,
}

/// `resource "type" "name" { ... }` or `data "type" "name" { ... }`.
pub(crate) struct ResourceDecl<'a> {
    pub(crate) mode: Mode,
    pub(crate) rtype: &'a str,
    pub(crate) name: &'a str,
    pub(crate) file: &'a SourceFile,
    pub(crate) block: &'a Block,
}

/// `module "name" { source = ... }`.
pub(crate) struct CallDecl<'a> {
    pub(crate) name: &'a str,
    pub(crate) file: &'a SourceFile,
    pub(crate) block: &'a Block,
    /// The `source` string, when it is a literal.
    pub(crate) source: Option<&'a str>,
}

/// All declarations of one directory.
pub(crate) struct ModuleConfig<'a> {
    /// Directory relative to the scan root (`""` for the root itself).
    pub(crate) dir: String,
    pub(crate) variables: HashMap<&'a str, VariableDecl<'a>>,
    pub(crate) locals: HashMap<&'a str, LocalDecl<'a>>,
    pub(crate) outputs: HashMap<&'a str, OutputDecl<'a>>,
    /// Output names in declaration order.
    pub(crate) output_order: Vec<&'a str>,
    /// Resources and data sources in declaration order.
    pub(crate) resources: Vec<ResourceDecl<'a>>,
    pub(crate) resource_index: HashMap<(Mode, &'a str, &'a str), usize>,
    pub(crate) calls: Vec<CallDecl<'a>>,
    pub(crate) call_index: HashMap<&'a str, usize>,
}

impl<'a> ModuleConfig<'a> {
    /// Builds the configuration of `dir` from its parsed files (already sorted by path).
    pub(crate) fn build(dir: String, files: &[&'a ParsedFile]) -> Self {
        let mut m = ModuleConfig {
            dir,
            variables: HashMap::new(),
            locals: HashMap::new(),
            outputs: HashMap::new(),
            output_order: Vec::new(),
            resources: Vec::new(),
            resource_index: HashMap::new(),
            calls: Vec::new(),
            call_index: HashMap::new(),
        };
        for pf in files {
            m.add_file(&pf.file, &pf.body);
        }
        m
    }

    fn add_file(&mut self, file: &'a SourceFile, body: &'a Body) {
        for block in body.blocks() {
            let labels: Vec<&'a str> = block.labels.iter().map(|l| l.as_str()).collect();
            match (block.ident.as_str(), labels.as_slice()) {
                ("variable", [name]) => {
                    let attr = |k: &str| block.body.get_attribute(k);
                    self.variables.insert(
                        name,
                        VariableDecl {
                            file,
                            block,
                            default: attr("default"),
                            ty: attr("type").map(|a| &a.value),
                            non_nullable: attr("nullable").and_then(|a| a.value.as_bool())
                                == Some(false),
                        },
                    );
                }
                ("locals", []) => {
                    for attr in block.body.attributes() {
                        self.locals
                            .insert(attr.key.as_str(), LocalDecl { file, attr });
                    }
                }
                ("output", [name])
                    if self
                        .outputs
                        .insert(name, OutputDecl { file, block })
                        .is_none() =>
                {
                    self.output_order.push(name);
                }
                ("resource", [rtype, name]) => {
                    self.add_resource(Mode::Managed, rtype, name, file, block)
                }
                ("data", [rtype, name]) => self.add_resource(Mode::Data, rtype, name, file, block),
                ("module", [name]) => {
                    let source = block
                        .body
                        .get_attribute("source")
                        .and_then(|a| a.value.as_str());
                    // A duplicate call name is a Terraform error; the first one wins.
                    if !self.call_index.contains_key(name) {
                        self.call_index.insert(name, self.calls.len());
                        self.calls.push(CallDecl {
                            name,
                            file,
                            block,
                            source,
                        });
                    }
                }
                _ => {}
            }
        }
    }

    fn add_resource(
        &mut self,
        mode: Mode,
        rtype: &'a str,
        name: &'a str,
        file: &'a SourceFile,
        block: &'a Block,
    ) {
        let key = (mode, rtype, name);
        if self.resource_index.contains_key(&key) {
            // Duplicate address: Terraform rejects it; the first declaration wins.
            return;
        }
        self.resource_index.insert(key, self.resources.len());
        self.resources.push(ResourceDecl {
            mode,
            rtype,
            name,
            file,
            block,
        });
    }
}

/// Span of an hcl-edit node in `file`, or `fallback` when the node has none.
pub(crate) fn span_in(
    file: &SourceFile,
    range: Option<std::ops::Range<usize>>,
    fallback: Span,
) -> Span {
    range.map_or(fallback, |r| file.span(r.start, r.end))
}
