//! What the "open to the world" network rules share (AWS security groups, GCP firewalls,
//! Azure NSG rules): the verdict when no source is the world, the administrative port table,
//! how the open ports are named in a message, and one finding per world source.

use trustmap_model::{ResourceMeta, Value};
use trustmap_source::Span;

use crate::Sink;

/// Ports an attacker should never reach from the internet, with what listens on them, in
/// port order (messages list them in this order).
pub(crate) const ADMIN_PORTS: &[(i64, &str)] = &[
    (22, "SSH"),
    (23, "Telnet"),
    (1433, "SQL Server"),
    (1521, "Oracle"),
    (2375, "Docker API"),
    (2376, "Docker API"),
    (3306, "MySQL"),
    (3389, "RDP"),
    (5432, "PostgreSQL"),
    (5985, "WinRM"),
    (5986, "WinRM"),
    (6379, "Redis"),
    (6443, "Kubernetes API"),
    (9200, "Elasticsearch"),
    (10250, "kubelet"),
    (11211, "Memcached"),
    (27017, "MongoDB"),
];

/// At most this many ports are named in one message.
const NAMED: usize = 3;

/// The world sources of the target written at `at`, or `None` once the target is recorded
/// as passed (no world source) or unknown (no world source but an unknown one).
pub(crate) fn world_sources<'a>(
    at: Span,
    world: impl Iterator<Item = &'a Value<String>>,
    any_unknown: bool,
    out: &mut Sink,
) -> Option<Vec<&'a Value<String>>> {
    let world: Vec<_> = world.collect();
    if world.is_empty() {
        pass_or_unknown(out, at, any_unknown);
        return None;
    }
    Some(world)
}

/// Records the target written at `at` with nothing to report: unknown if anything was
/// undecided, else passed there.
pub(crate) fn pass_or_unknown(out: &mut Sink, at: Span, unknown: bool) {
    if unknown {
        out.unknown()
    } else {
        out.pass_at(at)
    }
}

/// The administrative ports found open so far (`"22 (SSH)"`, in table order, no repeats), and
/// whether any could not be decided.
#[derive(Default)]
pub(crate) struct OpenAdminPorts {
    open: Vec<String>,
    pub(crate) unknown: bool,
}

impl OpenAdminPorts {
    /// Adds the administrative ports for which `opens_tcp_port` says yes.
    pub(crate) fn add(&mut self, opens_tcp_port: impl Fn(i64) -> Option<bool>) {
        for &(port, what) in ADMIN_PORTS {
            match opens_tcp_port(port) {
                Some(true) => {
                    let label = format!("{port} ({what})");
                    if !self.open.contains(&label) {
                        self.open.push(label);
                    }
                }
                Some(false) => {}
                None => self.unknown = true,
            }
        }
    }

    /// The ports for a message (`port 22 (SSH)`, `ports 22 (SSH), 23 (Telnet)` or
    /// `ports …, … and 2 more`), or `None` once the target is recorded as passed or unknown
    /// because no administrative port is open.
    pub(crate) fn describe_or_record(self, at: Span, out: &mut Sink) -> Option<String> {
        let open = self.open;
        if open.is_empty() {
            pass_or_unknown(out, at, self.unknown);
            return None;
        }
        Some(if open.len() > NAMED {
            format!(
                "ports {} and {} more",
                open[..NAMED].join(", "),
                open.len() - NAMED
            )
        } else if open.len() == 1 {
            format!("port {}", open[0])
        } else {
            format!("ports {}", open.join(", "))
        })
    }
}

/// The open administrative ports of a single-range rule, described for a message, or `None`
/// when there is nothing to report here: every port is open (left to the all-ports rule, not
/// recorded), the range is unknown (recorded as unknown), or no administrative port is open
/// (recorded as passed or unknown).
pub(crate) fn admin_ports_of_range(
    opens_all_ports: Option<bool>,
    opens_tcp_port: impl Fn(i64) -> Option<bool>,
    at: Span,
    out: &mut Sink,
) -> Option<String> {
    match opens_all_ports {
        Some(true) => None,
        None => {
            out.unknown();
            None
        }
        Some(false) => {
            let mut open = OpenAdminPorts::default();
            open.add(opens_tcp_port);
            open.describe_or_record(at, out)
        }
    }
}

/// One finding per world source, at the source, with `message` given the source's text.
pub(crate) fn report_world_sources(
    out: &mut Sink,
    meta: &ResourceMeta,
    world: Vec<&Value<String>>,
    message: impl Fn(&str) -> String,
) {
    for source in world {
        out.report(
            meta,
            source.span,
            &source.via,
            message(source.get().map_or("", String::as_str)),
        );
    }
}
