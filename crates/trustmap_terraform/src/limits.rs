//! Bounds that keep evaluation finite on hostile or broken input.

/// Stack of the evaluation thread (reserved, committed lazily by the OS).
pub(crate) const THREAD_STACK_BYTES: usize = 256 * 1024 * 1024;

/// Nested expression evaluations within one memoized evaluation (a local, an attribute).
pub(crate) const MAX_EXPR_DEPTH: usize = 128;

/// Memoized evaluations (locals, resources, outputs, module inputs) nested inside each other.
pub(crate) const MAX_MEMO_DEPTH: usize = 64;

/// Module calls nested inside each other.
pub(crate) const MAX_MODULE_DEPTH: usize = 16;

/// Elements produced by one `range()`, `for` expression, `flatten()` and friends.
pub(crate) const MAX_COLLECTION: usize = 100_000;

/// Instances of one resource or module call (`count`, `for_each`, `dynamic`).
pub(crate) const MAX_INSTANCES: usize = 10_000;

/// Bytes of one string value.
pub(crate) const MAX_STRING: usize = 1024 * 1024;

/// Nodes in one memoized value (a local, an output, a variable).
pub(crate) const MAX_VALUE_NODES: usize = 1_000_000;

/// Nesting depth of one memoized value.
pub(crate) const MAX_VALUE_DEPTH: usize = 256;

/// Total work units of one `evaluate` call: one per expression evaluated, one per node
/// copied (plus one per 16 bytes of string), and the instance costs below. A large real
/// repository uses a few million.
pub(crate) const WORK_BUDGET: u64 = 20_000_000;

/// Work units charged per node copied or built by a function (nodes are ~80 bytes: this
/// bounds the memory a hostile configuration can make us hold to a few hundred MB).
pub(crate) const COST_NODE: u64 = 4;

/// Work units charged per resource instance (bounds the number of emitted resources).
pub(crate) const COST_RESOURCE_INSTANCE: u64 = 20;

/// Work units charged per module instance.
pub(crate) const COST_MODULE_INSTANCE: u64 = 200;

/// Via hops kept on one value.
pub(crate) const MAX_VIA: usize = 16;

/// Pieces (text, references, unknowns) of one partially known string; a longer one is
/// plain unknown.
pub(crate) const MAX_TEMPLATE_PARTS: usize = 64;
