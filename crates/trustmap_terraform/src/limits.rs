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
pub(crate) const MAX_STRING: usize = 4 * 1024 * 1024;

/// Nodes in one memoized value (a local, an output, a variable).
pub(crate) const MAX_VALUE_NODES: usize = 1_000_000;

/// Nesting depth of one memoized value.
pub(crate) const MAX_VALUE_DEPTH: usize = 256;

/// Total work units (expression evaluations plus nodes copied) of one `evaluate` call.
pub(crate) const WORK_BUDGET: u64 = 50_000_000;

/// Via hops kept on one value.
pub(crate) const MAX_VIA: usize = 16;
