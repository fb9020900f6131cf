//! IP addresses and CIDR blocks (v4 and v6) for `IpAddress`/`NotIpAddress`.

use std::net::IpAddr;

/// A CIDR block; a bare address is a /32 (v4) or /128 (v6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    bits: u128,
    v6: bool,
    prefix: u8,
}

fn to_bits(ip: IpAddr) -> (u128, bool) {
    match ip {
        IpAddr::V4(a) => (u128::from(u32::from(a)), false),
        IpAddr::V6(a) => match a.to_ipv4_mapped() {
            Some(v4) => (u128::from(u32::from(v4)), false),
            None => (u128::from(a), true),
        },
    }
}

impl Cidr {
    /// Parses `addr` or `addr/prefix`.
    pub fn parse(s: &str) -> Option<Cidr> {
        let s = s.trim();
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p.parse::<u8>().ok()?)),
            None => (s, None),
        };
        let (bits, v6) = to_bits(addr.parse::<IpAddr>().ok()?);
        let max = if v6 { 128 } else { 32 };
        let prefix = prefix.unwrap_or(max);
        (prefix <= max).then_some(Cidr { bits, v6, prefix })
    }

    /// True when `ip` (an address, or a block whose base address is used) lies in this block.
    pub fn contains_str(&self, ip: &str) -> bool {
        let Some(other) = Cidr::parse(ip) else {
            return false;
        };
        if other.v6 != self.v6 {
            return false;
        }
        let width = if self.v6 { 128 } else { 32 };
        let shift = width - u32::from(self.prefix);
        if shift >= 128 {
            return true;
        }
        (self.bits >> shift) == (other.bits >> shift)
    }
}

#[cfg(test)]
mod tests {
    use super::Cidr;

    #[test]
    fn v4_and_v6() {
        let c = Cidr::parse("10.0.0.0/8").unwrap();
        assert!(c.contains_str("10.1.2.3"));
        assert!(!c.contains_str("11.0.0.1"));
        assert!(!c.contains_str("not-an-ip"));
        assert!(Cidr::parse("0.0.0.0/0").unwrap().contains_str("8.8.8.8"));
        assert!(Cidr::parse("1.2.3.4").unwrap().contains_str("1.2.3.4"));
        assert!(!Cidr::parse("1.2.3.4").unwrap().contains_str("1.2.3.5"));
        let v6 = Cidr::parse("2001:db8::/32").unwrap();
        assert!(v6.contains_str("2001:db8::1"));
        assert!(!v6.contains_str("2001:db9::1"));
        assert!(!v6.contains_str("10.0.0.1"));
        assert!(Cidr::parse("::/0").unwrap().contains_str("::1"));
        assert!(Cidr::parse("1.2.3.4/33").is_none());
    }
}
