//! sprig's date functions, on a fixed clock: `now` is 2024-01-01T00:00:00Z so that a scan
//! renders the same text every time. Times are Unix seconds (an int), which every date
//! function accepts as sprig's do.

use std::fmt::Write as _;

use super::{FnError, to_i64, to_str, want};
use crate::value::{Kind, Value};

pub(super) const NAMES: &[&str] = &[
    "now",
    "date",
    "dateInZone",
    "htmlDate",
    "htmlDateInZone",
    "toDate",
    "unixEpoch",
    "ago",
    "duration",
    "durationRound",
    "dateModify",
];

/// 2024-01-01T00:00:00Z.
const NOW: i64 = 1_704_067_200;

fn secs(v: &Value) -> i64 {
    match &v.kind {
        Kind::Int(_) | Kind::Float(_) => to_i64(v),
        // sprig formats the current time for anything it cannot read as a time.
        _ => NOW,
    }
}

pub(super) fn call(name: &str, a: &[Value]) -> Result<Option<Value>, FnError> {
    Ok(Some(match name {
        "now" => Value::int(NOW),
        "date" | "dateInZone" => {
            super::at_least(name, a, 2)?;
            Value::str(format_go(&to_str(&a[0]), secs(&a[1])))
        }
        "htmlDate" | "htmlDateInZone" => {
            super::at_least(name, a, 1)?;
            Value::str(format_go("2006-01-02", secs(&a[0])))
        }
        "toDate" => {
            want(name, a, 2)?;
            Value::int(parse_rfc3339ish(&to_str(&a[1])).unwrap_or(0))
        }
        "unixEpoch" => {
            want(name, a, 1)?;
            Value::str(secs(&a[0]).to_string())
        }
        "ago" => {
            want(name, a, 1)?;
            Value::str(format!("{}s", (NOW - secs(&a[0])).max(0)))
        }
        "duration" => {
            want(name, a, 1)?;
            Value::str(format!("{}s", to_i64(&a[0])))
        }
        "durationRound" => {
            want(name, a, 1)?;
            Value::str(format!("{}s", to_i64(&a[0])))
        }
        "dateModify" => {
            want(name, a, 2)?;
            Value::int(secs(&a[1]) + parse_duration(&to_str(&a[0])).unwrap_or(0))
        }
        _ => return Ok(None),
    }))
}

/// `1h30m`, `-24h`, `90s` → seconds.
fn parse_duration(s: &str) -> Option<i64> {
    let (neg, body) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let mut total = 0f64;
    let mut num = String::new();
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() || c == '.' {
            num.push(c);
            continue;
        }
        let mut unit = c.to_string();
        while let Some(&n) = chars.peek() {
            if n.is_ascii_alphabetic() || n == 'µ' {
                unit.push(n);
                chars.next();
            } else {
                break;
            }
        }
        let n: f64 = num.parse().ok()?;
        num.clear();
        total += n * match unit.as_str() {
            "h" => 3600.0,
            "m" => 60.0,
            "s" => 1.0,
            "ms" => 0.001,
            "us" | "µs" => 1e-6,
            "ns" => 1e-9,
            _ => return None,
        };
    }
    let t = total as i64;
    Some(if neg { -t } else { t })
}

fn parse_rfc3339ish(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 10 {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, se) = if b.len() >= 19 {
        (num(11..13)?, num(14..16)?, num(17..19)?)
    } else {
        (0, 0, 0)
    };
    Some(days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + se)
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = [
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
];

/// Formats Unix seconds (UTC) with a Go reference-time layout.
pub(crate) fn format_go(layout: &str, t: i64) -> String {
    let days = t.div_euclid(86_400);
    let sod = t.rem_euclid(86_400);
    let (y, mo, d) = civil_from_days(days);
    let (h, mi, s) = (sod / 3600, sod / 60 % 60, sod % 60);
    let wd = DAYS[days.rem_euclid(7) as usize];
    let month = MONTHS[(mo - 1) as usize];
    // Longest tokens first.
    let tokens: &[(&str, String)] = &[
        ("January", month.to_string()),
        ("Monday", wd.to_string()),
        ("Z07:00", "Z".into()),
        ("-07:00", "+00:00".into()),
        ("-0700", "+0000".into()),
        ("Z0700", "Z".into()),
        ("2006", format!("{y:04}")),
        ("Jan", month[..3].to_string()),
        ("Mon", wd[..3].to_string()),
        ("MST", "UTC".into()),
        (".000", ".000".into()),
        ("01", format!("{mo:02}")),
        ("02", format!("{d:02}")),
        ("_2", format!("{d:>2}")),
        ("15", format!("{h:02}")),
        (
            "03",
            format!("{:02}", if h % 12 == 0 { 12 } else { h % 12 }),
        ),
        ("04", format!("{mi:02}")),
        ("05", format!("{s:02}")),
        ("06", format!("{:02}", y % 100)),
        ("PM", if h < 12 { "AM".into() } else { "PM".into() }),
        ("pm", if h < 12 { "am".into() } else { "pm".into() }),
        ("1", mo.to_string()),
        ("2", d.to_string()),
        ("3", (if h % 12 == 0 { 12 } else { h % 12 }).to_string()),
        ("4", mi.to_string()),
        ("5", s.to_string()),
    ];
    let mut out = String::new();
    let mut rest = layout;
    'outer: while !rest.is_empty() {
        for (tok, val) in tokens {
            if let Some(r) = rest.strip_prefix(tok) {
                out.push_str(val);
                rest = r;
                continue 'outer;
            }
        }
        let c = rest.chars().next().unwrap_or(' ');
        let _ = write!(out, "{c}");
        rest = &rest[c.len_utf8()..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_the_fixed_clock() {
        assert_eq!(
            format_go("2006-01-02T15:04:05Z07:00", NOW),
            "2024-01-01T00:00:00Z"
        );
        assert_eq!(format_go("Mon Jan _2", NOW), "Mon Jan  1");
        assert_eq!(parse_rfc3339ish("2024-01-01T00:00:00Z"), Some(NOW));
        assert_eq!(parse_duration("1h30m"), Some(5400));
    }
}
