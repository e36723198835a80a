//! Recognising intrinsic functions in both spellings: the YAML short form (`!Sub x`, a tagged
//! node) and the long form (`{"Fn::Sub": x}`, a map with one key).

use trustmap_syntax::{Node, NodeKind};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Func {
    Ref,
    Condition,
    Sub,
    GetAtt,
    If,
    Join,
    Select,
    Split,
    FindInMap,
    Base64,
    GetAZs,
    ImportValue,
    Cidr,
    Equals,
    And,
    Or,
    Not,
    Length,
    ToJsonString,
    Transform,
    /// An `Fn::` name trustmap does not know.
    Other,
}

/// `Fn::` names and their functions (the short form drops `Fn::` and adds `!`).
const NAMES: &[(&str, Func)] = &[
    ("Sub", Func::Sub),
    ("GetAtt", Func::GetAtt),
    ("If", Func::If),
    ("Join", Func::Join),
    ("Select", Func::Select),
    ("Split", Func::Split),
    ("FindInMap", Func::FindInMap),
    ("Base64", Func::Base64),
    ("GetAZs", Func::GetAZs),
    ("ImportValue", Func::ImportValue),
    ("Cidr", Func::Cidr),
    ("Equals", Func::Equals),
    ("And", Func::And),
    ("Or", Func::Or),
    ("Not", Func::Not),
    ("Length", Func::Length),
    ("ToJsonString", Func::ToJsonString),
    ("Transform", Func::Transform),
];

/// One call: the function, its argument, and the name as written (for messages).
pub(crate) struct Call<'a> {
    pub(crate) func: Func,
    pub(crate) arg: &'a Node,
    pub(crate) name: &'a str,
}

fn by_name(name: &str) -> Option<Func> {
    NAMES.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
}

/// The intrinsic function call `n` is, if any. Unknown tags return `None` (the caller
/// reports them); `{"Condition": "Name"}` only counts when its argument is a string, since a
/// policy statement may hold a lone `Condition` map.
pub(crate) fn call(n: &Node) -> Option<Call<'_>> {
    match &n.kind {
        NodeKind::Tagged { tag, value } => {
            let name = tag.strip_prefix('!')?;
            let func = match name {
                "Ref" => Func::Ref,
                "Condition" => Func::Condition,
                _ => by_name(name)?,
            };
            Some(Call {
                func,
                arg: value,
                name: tag,
            })
        }
        NodeKind::Map(entries) if entries.len() == 1 => {
            let e = &entries[0];
            let func = match e.key.as_str() {
                "Ref" => Func::Ref,
                "Condition" if e.value.as_str().is_some() => Func::Condition,
                k => by_name(k.strip_prefix("Fn::")?).unwrap_or(Func::Other),
            };
            Some(Call {
                func,
                arg: &e.value,
                name: &e.key,
            })
        }
        _ => None,
    }
}

/// True for a value written as an intrinsic function call (either spelling).
pub(crate) fn is_call(n: &Node) -> bool {
    call(n).is_some()
}
