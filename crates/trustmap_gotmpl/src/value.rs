//! Template values: Go's `interface{}` world as Helm sees it.
//!
//! Maps have Go's reference semantics (`set $d "k" v` is visible through every copy of `$d`,
//! and `.Values` edits made by one template are seen by the next, as in Helm), so they are
//! `Rc<RefCell<…>>`; a render is single-threaded. Lists are immutable (sprig's list
//! functions copy). Every value may carry the [`Origin`] it was read from: a key of a
//! values file, which becomes a `Via` on what the template printed.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::rc::Rc;

use trustmap_source::Span;

use crate::host::Host;

/// Sorted like Go's `range` over a map and `fmt`'s map printing.
pub type Map = BTreeMap<String, Value>;

/// Where a value was written: a key in a values file (or a `--values` file).
#[derive(Clone, Debug)]
pub struct Origin {
    /// The value's text in the values file.
    pub span: Span,
    /// Dotted path below `.Values`, e.g. `image.tag` (subchart values keep the parent's path).
    pub path: String,
    /// For text made by `toYaml` from a map or list: that value, so each scalar of the
    /// printed block can name its own values key (which may come from another file, when a
    /// parent chart overrides a subchart's default).
    pub block: Option<Value>,
}

impl PartialEq for Origin {
    fn eq(&self, other: &Self) -> bool {
        self.span == other.span && self.path == other.path
    }
}

impl Origin {
    /// The origin of the scalar at `path` inside [`Origin::block`], if it has one.
    pub fn inner(&self, path: &[PathKey]) -> Option<Rc<Origin>> {
        let mut cur = self.block.clone()?;
        for k in path {
            let next = match (k, &cur.kind) {
                (PathKey::Key(key), Kind::Map(m)) => m.borrow().get(key.as_str()).cloned(),
                (PathKey::Index(i), Kind::List(l)) => l.get(*i).cloned(),
                _ => None,
            }?;
            cur = next;
        }
        cur.origin
    }
}

/// One step into a map or list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathKey {
    Key(String),
    Index(usize),
}

#[derive(Clone, Debug)]
pub enum Kind {
    Nil,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Rc<str>),
    List(Rc<Vec<Value>>),
    Map(Rc<RefCell<Map>>),
    /// Built-in objects with methods: `.Files`, `.Capabilities.APIVersions`, ….
    Host(Rc<Host>),
}

/// A value plus the place it came from, when that is a values file.
#[derive(Clone, Debug)]
pub struct Value {
    pub kind: Kind,
    pub origin: Option<Rc<Origin>>,
}

/// Nesting depth beyond which recursive walks (printing, YAML, deep copy, equality) stop:
/// `set $d "self" $d` builds a cycle Go itself would recurse on forever.
pub(crate) const MAX_WALK_DEPTH: usize = 200;

impl Value {
    pub fn nil() -> Value {
        Kind::Nil.into()
    }
    pub fn bool(b: bool) -> Value {
        Kind::Bool(b).into()
    }
    pub fn int(i: i64) -> Value {
        Kind::Int(i).into()
    }
    pub fn float(f: f64) -> Value {
        Kind::Float(f).into()
    }
    pub fn str(s: impl Into<Rc<str>>) -> Value {
        Kind::Str(s.into()).into()
    }
    pub fn list(items: Vec<Value>) -> Value {
        Kind::List(Rc::new(items)).into()
    }
    pub fn map(m: Map) -> Value {
        Kind::Map(Rc::new(RefCell::new(m))).into()
    }
    pub fn empty_map() -> Value {
        Value::map(Map::new())
    }
    pub fn host(h: Host) -> Value {
        Kind::Host(Rc::new(h)).into()
    }

    #[must_use]
    pub fn with_origin(mut self, origin: Option<Rc<Origin>>) -> Value {
        self.origin = origin;
        self
    }

    pub fn is_nil(&self) -> bool {
        matches!(self.kind, Kind::Nil)
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&Rc<RefCell<Map>>> {
        match &self.kind {
            Kind::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&[Value]> {
        match &self.kind {
            Kind::List(l) => Some(l),
            _ => None,
        }
    }

    /// Go's truth: false, 0, nil and empty strings, lists and maps are false.
    pub fn truthy(&self) -> bool {
        match &self.kind {
            Kind::Nil => false,
            Kind::Bool(b) => *b,
            Kind::Int(i) => *i != 0,
            Kind::Float(f) => *f != 0.0,
            Kind::Str(s) => !s.is_empty(),
            Kind::List(l) => !l.is_empty(),
            Kind::Map(m) => !m.borrow().is_empty(),
            Kind::Host(_) => true,
        }
    }

    /// Go's type name, as sprig's `typeOf` reports it.
    pub fn type_name(&self) -> &'static str {
        match &self.kind {
            Kind::Nil => "<nil>",
            Kind::Bool(_) => "bool",
            Kind::Int(_) => "int64",
            Kind::Float(_) => "float64",
            Kind::Str(_) => "string",
            Kind::List(_) => "[]interface {}",
            Kind::Map(_) => "map[string]interface {}",
            Kind::Host(h) => h.type_name(),
        }
    }

    /// Go's `reflect.Kind` name, as sprig's `kindOf` reports it.
    pub fn kind_name(&self) -> &'static str {
        match &self.kind {
            Kind::Nil => "invalid",
            Kind::Bool(_) => "bool",
            Kind::Int(_) => "int64",
            Kind::Float(_) => "float64",
            Kind::Str(_) => "string",
            Kind::List(_) => "slice",
            Kind::Map(_) => "map",
            Kind::Host(_) => "struct",
        }
    }

    /// `fmt.Sprint(v)`: what `{{ v }}` prints (except that an action prints nil as nothing,
    /// as Helm strips Go's `<no value>`).
    pub fn to_go_string(&self) -> String {
        let mut s = String::new();
        write_go(&mut s, self, 0);
        s
    }

    /// Number of elements (`len`), when the value has one.
    pub fn len(&self) -> Option<usize> {
        match &self.kind {
            Kind::Str(s) => Some(s.len()),
            Kind::List(l) => Some(l.len()),
            Kind::Map(m) => Some(m.borrow().len()),
            Kind::Nil => Some(0),
            _ => None,
        }
    }

    pub fn is_empty(&self) -> bool {
        !self.truthy()
    }

    /// A copy that shares nothing mutable with `self` (sprig's `deepCopy`).
    pub fn deep_copy(&self) -> Value {
        deep_copy(self, 0)
    }
}

impl From<Kind> for Value {
    fn from(kind: Kind) -> Self {
        Value { kind, origin: None }
    }
}

fn deep_copy(v: &Value, depth: usize) -> Value {
    if depth > MAX_WALK_DEPTH {
        return Value::nil();
    }
    let kind = match &v.kind {
        Kind::List(l) => Kind::List(Rc::new(l.iter().map(|x| deep_copy(x, depth + 1)).collect())),
        Kind::Map(m) => {
            let copied: Map = m
                .borrow()
                .iter()
                .map(|(k, x)| (k.clone(), deep_copy(x, depth + 1)))
                .collect();
            Kind::Map(Rc::new(RefCell::new(copied)))
        }
        other => other.clone(),
    };
    Value {
        kind,
        origin: v.origin.clone(),
    }
}

/// Go's `fmt` `%v` of a value.
pub(crate) fn write_go(out: &mut String, v: &Value, depth: usize) {
    if depth > MAX_WALK_DEPTH {
        out.push_str("...");
        return;
    }
    match &v.kind {
        Kind::Nil => out.push_str("<nil>"),
        Kind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Kind::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Kind::Float(f) => out.push_str(&format_float_v(*f)),
        Kind::Str(s) => out.push_str(s),
        Kind::List(l) => {
            out.push('[');
            for (i, x) in l.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                write_go(out, x, depth + 1);
            }
            out.push(']');
        }
        Kind::Map(m) => {
            out.push_str("map[");
            for (i, (k, x)) in m.borrow().iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(k);
                out.push(':');
                write_go(out, x, depth + 1);
            }
            out.push(']');
        }
        Kind::Host(h) => out.push_str(&h.display()),
    }
}

/// The shortest decimal digits and exponent of a finite float: `1234.5` → (`12345`, 3),
/// meaning 1.2345e3.
fn shortest_digits(f: f64) -> (String, i32) {
    let s = format!("{:e}", f.abs());
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let digits: String = mant.chars().filter(char::is_ascii_digit).collect();
    (digits, exp.parse().unwrap_or(0))
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 64)`, which `fmt`'s `%v` uses: shortest digits,
/// exponent form when the decimal exponent is below -4 or at least 6. So a values-file
/// `1000000` (a float64 in Helm) prints as `1e+06`, exactly as Helm renders it.
pub fn format_float_v(f: f64) -> String {
    format_float_g(f, 6)
}

/// Go's shortest `%g` with the given large-exponent threshold.
pub(crate) fn format_float_g(f: f64, eprec: i32) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    if f == 0.0 {
        return if f.is_sign_negative() {
            "-0".into()
        } else {
            "0".into()
        };
    }
    let (digits, exp) = shortest_digits(f);
    let mut out = String::new();
    if f < 0.0 {
        out.push('-');
    }
    if exp < -4 || exp >= eprec {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        let _ = write!(out, "e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs());
    } else if exp < 0 {
        out.push_str("0.");
        for _ in 0..(-exp - 1) {
            out.push('0');
        }
        out.push_str(&digits);
    } else {
        let int_len = (exp + 1) as usize;
        if digits.len() <= int_len {
            out.push_str(&digits);
            for _ in digits.len()..int_len {
                out.push('0');
            }
        } else {
            out.push_str(&digits[..int_len]);
            out.push('.');
            out.push_str(&digits[int_len..]);
        }
    }
    out
}

/// Equality as Go's `eq` sees it, lenient where Go would refuse to compare (an int with a
/// float compares by value; lists and maps compare deeply).
pub fn equal(a: &Value, b: &Value) -> bool {
    equal_at(a, b, 0)
}

fn equal_at(a: &Value, b: &Value, depth: usize) -> bool {
    if depth > MAX_WALK_DEPTH {
        return false;
    }
    match (&a.kind, &b.kind) {
        (Kind::Nil, Kind::Nil) => true,
        (Kind::Bool(x), Kind::Bool(y)) => x == y,
        (Kind::Int(x), Kind::Int(y)) => x == y,
        (Kind::Float(x), Kind::Float(y)) => x == y,
        (Kind::Int(x), Kind::Float(y)) | (Kind::Float(y), Kind::Int(x)) => (*x as f64) == *y,
        (Kind::Str(x), Kind::Str(y)) => x == y,
        (Kind::List(x), Kind::List(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y.iter())
                    .all(|(p, q)| equal_at(p, q, depth + 1))
        }
        (Kind::Map(x), Kind::Map(y)) => {
            if Rc::ptr_eq(x, y) {
                return true;
            }
            let (x, y) = (x.borrow(), y.borrow());
            x.len() == y.len()
                && x.iter()
                    .zip(y.iter())
                    .all(|((k1, v1), (k2, v2))| k1 == k2 && equal_at(v1, v2, depth + 1))
        }
        (Kind::Host(x), Kind::Host(y)) => Rc::ptr_eq(x, y),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_like_go() {
        assert_eq!(format_float_v(1.0), "1");
        assert_eq!(format_float_v(8080.0), "8080");
        assert_eq!(format_float_v(0.5), "0.5");
        assert_eq!(format_float_v(1.25e-5), "1.25e-05");
        assert_eq!(format_float_v(123_456_789.0), "1.23456789e+08");
        assert_eq!(format_float_v(100_000.0), "100000");
        assert_eq!(format_float_v(1_000_000.0), "1e+06");
        assert_eq!(format_float_v(1e21), "1e+21");
        assert_eq!(format_float_v(-2.5), "-2.5");
    }
}
