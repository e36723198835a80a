#![allow(dead_code, unreachable_pub)]

use trustmap_cloudformation::{Options, Template, evaluate};
use trustmap_source::{FileId, SourceFile, Span};
use trustmap_syntax::Node;

pub struct Evaluated {
    pub file: SourceFile,
    pub template: Template,
}

impl Evaluated {
    pub fn props(&self, id: &str) -> &Node {
        &self
            .template
            .resource(id)
            .unwrap_or_else(|| panic!("no resource {id}"))
            .properties
    }

    pub fn prop(&self, id: &str, path: &[&str]) -> &Node {
        self.props(id)
            .path(path)
            .unwrap_or_else(|| panic!("no {path:?} in {id}"))
    }

    pub fn text(&self, span: Span) -> &str {
        self.file.slice(span)
    }

    pub fn line(&self, span: Span) -> u32 {
        self.file.line_col(span.start).line
    }

    pub fn diagnostics(&self) -> Vec<String> {
        self.template
            .diagnostics
            .iter()
            .map(|d| {
                format!(
                    "{} {}: {}",
                    d.code,
                    d.span.map_or(0, |s| self.line(s)),
                    d.message
                )
            })
            .collect()
    }
}

pub fn yaml(text: &str) -> Evaluated {
    yaml_with(text, &[])
}

pub fn yaml_with(text: &str, parameters: &[(&str, &str)]) -> Evaluated {
    let file = SourceFile::new(FileId(0), "template.yaml", text);
    let parsed = trustmap_syntax::yaml::parse(&file);
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    let doc = parsed.docs.first().expect("one document");
    let opts = Options {
        parameters: parameters
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect(),
    };
    let template = evaluate(&file, doc, &opts);
    Evaluated { file, template }
}

pub fn json(text: &str) -> Evaluated {
    let file = SourceFile::new(FileId(0), "template.json", text);
    let doc = trustmap_syntax::json::parse(&file).expect("valid JSON");
    let template = evaluate(&file, &doc, &Options::default());
    Evaluated { file, template }
}
