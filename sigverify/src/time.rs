//! Points in time with full precision (RFC 3339 validity windows and RFC 3161
//! `genTime` may carry fractions of a second that must not be truncated).

use std::fmt;

/// A UTC instant: seconds since the Unix epoch plus nanoseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    secs: i64,
    nanos: u32,
}

impl Timestamp {
    /// Whole seconds since the epoch.
    pub const fn from_unix(secs: i64) -> Self {
        Timestamp { secs, nanos: 0 }
    }

    /// Seconds and nanoseconds (`nanos` < 10^9).
    pub fn new(secs: i64, nanos: u32) -> Option<Self> {
        (nanos < 1_000_000_000).then_some(Timestamp { secs, nanos })
    }

    /// Whole seconds since the epoch (floor).
    pub fn unix_secs(self) -> i64 {
        self.secs
    }

    /// Nanoseconds within the second.
    pub fn subsec_nanos(self) -> u32 {
        self.nanos
    }

    /// The current system time (only for callers; the core never reads the clock itself).
    pub fn now() -> Self {
        let d = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        Timestamp {
            secs: d.as_secs() as i64,
            nanos: d.subsec_nanos(),
        }
    }

    /// Build from calendar fields (UTC). Returns `None` for out-of-range fields,
    /// including years outside 0–9999.
    pub fn from_civil(
        year: i64,
        month: u32,
        day: u32,
        hour: u32,
        min: u32,
        sec: u32,
        nanos: u32,
    ) -> Option<Self> {
        // Four-digit years only (RFC 3339, X.690), which also keeps the day arithmetic far from overflow.
        if !(0..=9999).contains(&year)
            || !(1..=12).contains(&month)
            || day < 1
            || day > days_in_month(year, month)
            || hour > 23
            || min > 59
            || sec > 60
            || nanos >= 1_000_000_000
        {
            return None;
        }
        // A leap second is read as the last second of the minute.
        let sec = sec.min(59);
        let days = days_from_civil(year, month, day);
        Some(Timestamp {
            secs: days * 86_400 + i64::from(hour * 3600 + min * 60 + sec),
            nanos,
        })
    }

    /// Parse RFC 3339 (`2022-12-31T23:59:59.999Z`, or with a `+hh:mm` offset).
    pub fn parse_rfc3339(s: &str) -> Option<Self> {
        let (head, rest) = s.as_bytes().split_first_chunk::<19>()?;
        let [
            y0,
            y1,
            y2,
            y3,
            b'-',
            mo0,
            mo1,
            b'-',
            d0,
            d1,
            b'T' | b't',
            h0,
            h1,
            b':',
            mi0,
            mi1,
            b':',
            s0,
            s1,
        ] = *head
        else {
            return None;
        };
        let year = i64::from(digits(&[y0, y1, y2, y3])?);
        let (month, day) = (digits(&[mo0, mo1])?, digits(&[d0, d1])?);
        let (hour, min, sec) = (digits(&[h0, h1])?, digits(&[mi0, mi1])?, digits(&[s0, s1])?);
        let (nanos, zone) = match rest {
            [b'.', frac_zone @ ..] => {
                let n = frac_zone.iter().take_while(|c| c.is_ascii_digit()).count();
                let (frac, zone) = frac_zone.split_at_checked(n)?;
                (fraction(frac)?, zone)
            }
            _ => (0, rest),
        };
        let offset_secs: i64 = match zone {
            [b'Z' | b'z'] => 0,
            [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
                let (h, m) = (digits(&[*h1, *h2])?, digits(&[*m1, *m2])?);
                // RFC 3339 time-numoffset: hours 00-23, minutes 00-59.
                if h > 23 || m > 59 {
                    return None;
                }
                let v = i64::from(h * 3600 + m * 60);
                if *sign == b'+' { v } else { -v }
            }
            _ => return None,
        };
        let t = Self::from_civil(year, month, day, hour, min, sec, nanos)?;
        Some(Timestamp {
            secs: t.secs.checked_sub(offset_secs)?,
            nanos,
        })
    }

    /// Parse an ASN.1 GeneralizedTime body (`YYYYMMDDHHMMSS[.fff]Z`), as RFC 3161
    /// allows fractional seconds in `genTime`.
    pub fn parse_generalized_time(s: &[u8]) -> Option<Self> {
        let ([y0, y1, y2, y3, mo0, mo1, d0, d1, h0, h1, mi0, mi1, s0, s1], rest) =
            s.split_first_chunk::<14>()?;
        let rest = rest.strip_suffix(b"Z")?;
        let year = i64::from(digits(&[*y0, *y1, *y2, *y3])?);
        let (month, day) = (digits(&[*mo0, *mo1])?, digits(&[*d0, *d1])?);
        let (hour, min, sec) = (
            digits(&[*h0, *h1])?,
            digits(&[*mi0, *mi1])?,
            digits(&[*s0, *s1])?,
        );
        let nanos = match rest {
            [] => 0,
            // DER (X.690 11.7.3): no trailing zeros in the fraction.
            [b'.', frac @ ..] if frac.last() != Some(&b'0') => fraction(frac)?,
            _ => return None,
        };
        Self::from_civil(year, month, day, hour, min, sec, nanos)
    }

    /// RFC 3339 in UTC, with fractions only when present.
    pub fn to_rfc3339(self) -> String {
        let days = self.secs.div_euclid(86_400);
        let rem = self.secs.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        let base = format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
            rem / 3600,
            rem % 3600 / 60,
            rem % 60
        );
        if self.nanos == 0 {
            format!("{base}Z")
        } else {
            let frac = format!("{:09}", self.nanos);
            format!("{base}.{}Z", frac.trim_end_matches('0'))
        }
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

/// A closed validity window `[start, end]`; no `end` means open-ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeRange {
    /// First instant inside the window.
    pub start: Timestamp,
    /// Last instant inside the window, if bounded.
    pub end: Option<Timestamp>,
}

impl TimeRange {
    /// The window from optional bounds, as callers give a key's validity: no
    /// bound at all is no window; a missing start is the Unix epoch.
    pub fn from_bounds(from: Option<Timestamp>, until: Option<Timestamp>) -> Option<TimeRange> {
        (from.is_some() || until.is_some()).then(|| TimeRange {
            start: from.unwrap_or(Timestamp::from_unix(0)),
            end: until,
        })
    }

    /// Whether `t` lies inside, both ends inclusive.
    pub fn contains(&self, t: Timestamp) -> bool {
        self.start <= t && self.end.is_none_or(|end| t <= end)
    }
}

fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |acc, &c| {
        c.is_ascii_digit()
            .then(|| acc.checked_mul(10)?.checked_add(u32::from(c - b'0')))
            .flatten()
    })
}

/// Nanoseconds from 1 to 9 fractional-second digits.
fn fraction(frac: &[u8]) -> Option<u32> {
    let missing = 9u32.checked_sub(u32::try_from(frac.len()).ok().filter(|&n| n >= 1)?)?;
    digits(frac)?.checked_mul(10u32.pow(missing))
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

// Howard Hinnant's days-from-civil algorithm.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_from_bounds() {
        let t = Timestamp::from_unix(100);
        assert_eq!(TimeRange::from_bounds(None, None), None);
        let until = TimeRange::from_bounds(None, Some(t)).unwrap();
        assert_eq!((until.start, until.end), (Timestamp::from_unix(0), Some(t)));
        let from = TimeRange::from_bounds(Some(t), None).unwrap();
        assert_eq!((from.start, from.end), (t, None));
    }

    #[test]
    fn rfc3339_forms() {
        let t = Timestamp::parse_rfc3339("2022-12-31T23:59:59.999Z").unwrap();
        assert_eq!(t.unix_secs(), 1_672_531_199);
        assert_eq!(t.subsec_nanos(), 999_000_000);
        assert_eq!(t.to_rfc3339(), "2022-12-31T23:59:59.999Z");
        let o = Timestamp::parse_rfc3339("2023-01-01T01:00:00+01:00").unwrap();
        assert_eq!(o.unix_secs(), 1_672_531_200);
        let extreme = Timestamp::parse_rfc3339("2023-01-01T23:59:00-23:59").unwrap();
        assert_eq!(extreme.unix_secs(), 1_672_531_200 + 86_400 + 86_280);
        assert_eq!(
            Timestamp::parse_rfc3339("1970-01-01T00:00:00Z").unwrap(),
            Timestamp::from_unix(0)
        );
        for bad in [
            "",
            "2022-13-01T00:00:00Z",
            "2022-02-30T00:00:00Z",
            "2022-01-01 00:00:00Z",
            "2022-01-01T00:00:00",
            "2022-01-01T00:00:00.Z",
            "2022-01-01T00:00:00.1234567890Z",
            "2026-01-01T00:00:00+99:99",
            "2026-01-01T00:00:00+24:00",
            "2026-01-01T00:00:00-00:60",
        ] {
            assert_eq!(Timestamp::parse_rfc3339(bad), None, "{bad}");
        }
    }

    #[test]
    fn generalized_time() {
        let t = Timestamp::parse_generalized_time(b"20250704000000.5Z").unwrap();
        assert_eq!(t.to_rfc3339(), "2025-07-04T00:00:00.5Z");
        assert!(Timestamp::parse_generalized_time(b"20250704000000").is_none());
        assert!(Timestamp::parse_generalized_time(b"20250704000000.50Z").is_none());
        assert!(Timestamp::parse_generalized_time(b"2025070400000xZ").is_none());
    }

    #[test]
    fn range_is_inclusive() {
        let r = TimeRange {
            start: Timestamp::from_unix(10),
            end: Some(Timestamp::from_unix(20)),
        };
        assert!(r.contains(Timestamp::from_unix(10)));
        assert!(r.contains(Timestamp::from_unix(20)));
        assert!(!r.contains(Timestamp::new(20, 1).unwrap()));
        assert!(!r.contains(Timestamp::from_unix(9)));
        let open = TimeRange {
            start: Timestamp::from_unix(10),
            end: None,
        };
        assert!(open.contains(Timestamp::from_unix(i64::MAX / 2)));
    }
}
