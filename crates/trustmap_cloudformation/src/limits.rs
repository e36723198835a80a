//! Budgets that keep evaluation bounded on any input.
//!
//! Parsed trees are already depth-limited by the parsers; evaluation can still amplify them
//! (a mapping copied by every `Fn::FindInMap`, a long parameter substituted by every `${}`),
//! so the nodes and string bytes it produces per template are counted. Past a budget the
//! remaining values become unknown and one `evaluation` diagnostic says so.

/// Nodes produced per template.
pub const MAX_OUTPUT_NODES: usize = 2_000_000;
/// String bytes produced by `Fn::Sub`, `Fn::Join` and copies, per template.
pub const MAX_OUTPUT_BYTES: usize = 64 * 1024 * 1024;
/// Nesting of condition references (`Condition: A` inside `A`'s definition chain).
pub const MAX_CONDITION_DEPTH: usize = 64;
/// Nesting of values and intrinsic functions (the parsers stop at 256 already).
pub(crate) const MAX_VALUE_DEPTH: usize = 300;
