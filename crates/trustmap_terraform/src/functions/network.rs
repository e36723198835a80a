//! IP network functions: `cidrsubnet`, `cidrsubnets`, `cidrhost`, `cidrnetmask` (IPv4 and IPv6).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use trustmap_source::Span;
use trustmap_syntax::Node;

use super::{err, int_arg, str_arg};
use crate::value::{EvalError, EvalResult, seq};

/// A parsed prefix: address as an integer, prefix length, address width (32 or 128).
struct Cidr {
    addr: u128,
    prefix: u32,
    bits: u32,
}

impl Cidr {
    fn parse(s: &str, span: Span) -> Result<Self, EvalError> {
        let (a, p) = s
            .split_once('/')
            .ok_or_else(|| err(span, format!("invalid CIDR prefix {s:?}")))?;
        let ip: IpAddr = a
            .parse()
            .map_err(|_| err(span, format!("invalid IP address {a:?}")))?;
        let (addr, bits) = match ip {
            IpAddr::V4(v4) => (u128::from(u32::from(v4)), 32),
            IpAddr::V6(v6) => (u128::from(v6), 128),
        };
        let prefix: u32 = p
            .parse()
            .map_err(|_| err(span, format!("invalid prefix length {p:?}")))?;
        if prefix > bits {
            return Err(err(span, format!("prefix length {prefix} is too long")));
        }
        Ok(Self { addr, prefix, bits })
    }

    fn full(&self) -> u128 {
        if self.bits == 128 {
            u128::MAX
        } else {
            (1u128 << self.bits) - 1
        }
    }

    /// The network address (host bits cleared).
    fn network(&self) -> u128 {
        let host = self.bits - self.prefix;
        let mask = if host >= 128 {
            0
        } else {
            (u128::MAX << host) & self.full()
        };
        self.addr & mask
    }

    fn host_bits(&self) -> u32 {
        self.bits - self.prefix
    }

    fn addr_text(&self, addr: u128) -> String {
        if self.bits == 32 {
            Ipv4Addr::from(addr as u32).to_string()
        } else {
            Ipv6Addr::from(addr).to_string()
        }
    }
}

/// 2^n as u128, `None` when it does not fit.
fn pow2(n: u32) -> Option<u128> {
    1u128.checked_shl(n)
}

pub(super) fn cidrsubnet(args: Vec<Node>, span: Span) -> EvalResult {
    let c = Cidr::parse(&str_arg(&args, 0, span)?, args[0].span)?;
    let newbits = int_arg(&args, 1, span)?;
    let netnum = int_arg(&args, 2, span)?;
    if newbits < 0 || netnum < 0 {
        return Err(err(
            span,
            "cidrsubnet(): newbits and netnum must not be negative",
        ));
    }
    let np = c.prefix + u32::try_from(newbits).unwrap_or(u32::MAX).min(256);
    if np > c.bits {
        return Err(err(
            span,
            format!(
                "cidrsubnet(): prefix extended by {newbits} bits is longer than {}",
                c.bits
            ),
        ));
    }
    let netnum = netnum as u128;
    if pow2(np - c.prefix).is_some_and(|max| netnum >= max) {
        return Err(err(
            span,
            format!("cidrsubnet(): netnum {netnum} does not fit in {newbits} bits"),
        ));
    }
    let shift = c.bits - np;
    let addr = c.network() | netnum.checked_shl(shift).unwrap_or(0);
    Ok(Node::string(format!("{}/{np}", c.addr_text(addr)), span))
}

pub(super) fn cidrhost(args: Vec<Node>, span: Span) -> EvalResult {
    let c = Cidr::parse(&str_arg(&args, 0, span)?, args[0].span)?;
    let hostnum = int_arg(&args, 1, span)?;
    let size = pow2(c.host_bits());
    let h: u128 = if hostnum >= 0 {
        hostnum as u128
    } else {
        let back = hostnum.unsigned_abs() as u128;
        match size {
            Some(s) if back <= s => s - back,
            Some(_) => return Err(err(span, "cidrhost(): host number out of range")),
            None => u128::MAX - (back - 1),
        }
    };
    if size.is_some_and(|s| h >= s) {
        return Err(err(
            span,
            format!("cidrhost(): host number {hostnum} does not fit in the prefix"),
        ));
    }
    Ok(Node::string(c.addr_text(c.network() | h), span))
}

pub(super) fn cidrnetmask(args: Vec<Node>, span: Span) -> EvalResult {
    let c = Cidr::parse(&str_arg(&args, 0, span)?, args[0].span)?;
    if c.bits != 32 {
        return Err(err(span, "cidrnetmask() only supports IPv4 prefixes"));
    }
    let mask = if c.prefix == 0 {
        0
    } else {
        u32::MAX << (32 - c.prefix)
    };
    Ok(Node::string(Ipv4Addr::from(mask).to_string(), span))
}

/// `cidrsubnets(prefix, newbits...)`: consecutive, aligned subnets.
pub(super) fn cidrsubnets(args: Vec<Node>, span: Span) -> EvalResult {
    let c = Cidr::parse(&str_arg(&args, 0, span)?, args[0].span)?;
    let base = c.network();
    let end = pow2(c.host_bits()).map(|s| base + s);
    let mut cur = base;
    let mut out = Vec::with_capacity(args.len() - 1);
    for i in 1..args.len() {
        let nb = int_arg(&args, i, span)?;
        if nb < 1 {
            return Err(err(
                args[i].span,
                "cidrsubnets(): newbits must be at least 1",
            ));
        }
        let np = c.prefix + u32::try_from(nb).unwrap_or(u32::MAX).min(256);
        if np > c.bits {
            return Err(err(args[i].span, "cidrsubnets(): prefix too long"));
        }
        let size = pow2(c.bits - np).ok_or_else(|| err(span, "cidrsubnets(): subnet too large"))?;
        let aligned = cur
            .checked_add(size - 1)
            .map(|v| v / size * size)
            .ok_or_else(|| err(span, "cidrsubnets(): not enough address space"))?;
        let next = aligned.checked_add(size);
        if next.is_none() && end.is_some() || matches!((next, end), (Some(n), Some(e)) if n > e) {
            return Err(err(args[i].span, "cidrsubnets(): not enough address space"));
        }
        out.push(Node::string(format!("{}/{np}", c.addr_text(aligned)), span));
        cur = next.unwrap_or(u128::MAX);
    }
    Ok(seq(out, span))
}
