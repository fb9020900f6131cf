//! Date values of `Date*` conditions: ISO 8601 (date, date-time, fractional seconds, `Z` or an
//! offset) or epoch seconds, as seconds since the Unix epoch.

/// Parses a date; `None` when it is neither ISO 8601 nor a number.
pub fn parse_date(s: &str) -> Option<f64> {
    let s = s.trim();
    if !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
        && !s[1..].contains('-')
    {
        return s.parse::<f64>().ok().filter(|v| v.is_finite());
    }
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let t = s.get(r)?;
        t.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| t.parse().ok())
            .flatten()
    };
    let year = num(0..4)?;
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let month = num(5..7)?;
    let day = num(8..10)?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let mut secs = days_from_civil(year, month, day) as f64 * 86_400.0;
    let rest = &s[10..];
    if rest.is_empty() {
        return Some(secs);
    }
    let rest = rest
        .strip_prefix('T')
        .or_else(|| rest.strip_prefix('t'))
        .or_else(|| rest.strip_prefix(' '))?;
    let rb = rest.as_bytes();
    let hh = rest.get(0..2)?.parse::<i64>().ok()?;
    if rb.get(2) != Some(&b':') {
        return None;
    }
    let mm = rest.get(3..5)?.parse::<i64>().ok()?;
    let mut i = 5;
    let mut ss = 0f64;
    if rb.get(5) == Some(&b':') {
        let mut j = 6;
        while j < rb.len() && (rb[j].is_ascii_digit() || rb[j] == b'.') {
            j += 1;
        }
        ss = rest.get(6..j)?.parse::<f64>().ok()?;
        i = j;
    }
    if hh > 23 || mm > 59 || !(0.0..61.0).contains(&ss) {
        return None;
    }
    secs += (hh * 3600 + mm * 60) as f64 + ss;
    let tz = &rest[i..];
    let offset = match tz {
        "" | "Z" | "z" => 0,
        _ => {
            let sign = match tz.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let t = &tz[1..];
            let (h, m) = match t.split_once(':') {
                Some((h, m)) => (h, m),
                None if t.len() == 4 => t.split_at(2),
                None => (t, "0"),
            };
            sign * (h.parse::<i64>().ok()? * 3600 + m.parse::<i64>().ok()? * 60)
        }
    };
    Some(secs - offset as f64)
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::parse_date;

    #[test]
    fn formats() {
        assert_eq!(parse_date("1970-01-01"), Some(0.0));
        assert_eq!(parse_date("1970-01-02T00:00:00Z"), Some(86_400.0));
        assert_eq!(parse_date("2020-01-01T00:00:00Z"), Some(1_577_836_800.0));
        assert_eq!(
            parse_date("2020-01-01T01:00:00+01:00"),
            Some(1_577_836_800.0)
        );
        assert_eq!(
            parse_date("2020-01-01T00:00:00.500Z"),
            Some(1_577_836_800.5)
        );
        assert_eq!(parse_date("1577836800"), Some(1_577_836_800.0));
        assert_eq!(parse_date("2020-01-01T00:00Z"), Some(1_577_836_800.0));
        assert_eq!(parse_date("yesterday"), None);
        assert_eq!(parse_date("2020-13-01"), None);
        assert_eq!(parse_date(""), None);
    }
}
