//! Pod-level `securityContext` values that every container overrides.
//!
//! Pod Security admission checks `spec.securityContext.<field>` on its own, besides each
//! container's: a pod-level `seccompProfile: Unconfined` rejects the pod even when every
//! container sets `RuntimeDefault`. Container rules see the merged, effective settings, so
//! such a value reaches no container; this reports it at the pod's line.

use trustmap_model::Value;
use trustmap_model::k8s::Workload;
use trustmap_source::Span;

use super::pods_of;
use crate::Sink;

/// Reports the pod-level `value` when `faulty` holds for it and no container finding
/// (`reported`, the spans already reported for this workload) points at it.
/// `message(subject, plural)` describes the value, e.g. "pods of Deployment `x` set …".
pub(super) fn report_overridden<T>(
    out: &mut Sink,
    workload: &Workload,
    value: &Value<T>,
    reported: &[Span],
    faulty: impl Fn(&T) -> bool,
    message: impl Fn(&str, bool) -> String,
) {
    match value.get() {
        None => out.unknown(),
        Some(v) if faulty(v) && !reported.contains(&value.span) => {
            let (pods, plural) = pods_of(&workload.object);
            let text = format!(
                "{}: the containers' own settings override it, but Pod Security admission \
                 checks it too and rejects the pod",
                message(&pods, plural)
            );
            out.report(&workload.object.meta, value.span, &value.via, text);
        }
        Some(_) => {}
    }
}

/// `set` or `sets`, for a subject from [`pods_of`].
pub(super) fn sets(plural: bool) -> &'static str {
    if plural { "set" } else { "sets" }
}
