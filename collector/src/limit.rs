//! Rate limits and who the client is. Each client address, and each customer
//! id that sends answers, has a budget (`count` requests per `period`, all of
//! them at once at most); past it the collector answers 429 with
//! `Retry-After`, which the widget's queue treats like any failure to store:
//! it keeps the answer and sends it again later.
//!
//! The client address is the connection's peer, unless the peer is one of the
//! configured trusted proxies: then it is the right-most address in the
//! forwarded header that is not itself a trusted proxy (everything left of it
//! was written by the client and proves nothing).

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

/// `count` requests per `period`, as `--rate-per-address 120/min` writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub count: NonZeroU32,
    pub period: Duration,
}

impl Rate {
    pub fn parse(text: &str) -> Result<Rate, String> {
        let fail = || format!("expected a rate such as 120/min (count per s, min, h or day), found {text:?}");
        let (count, unit) = text.split_once('/').ok_or_else(fail)?;
        let count = count.trim().parse::<NonZeroU32>().map_err(|_| fail())?;
        let seconds = match unit.trim() {
            "s" | "sec" | "second" => 1,
            "min" | "minute" => 60,
            "h" | "hour" => 3600,
            "day" | "d" => 86_400,
            _ => return Err(fail()),
        };
        Ok(Rate { count, period: Duration::from_secs(seconds) })
    }

    fn quota(self) -> Option<Quota> {
        Quota::with_period(self.period / self.count.get()).map(|q| q.allow_burst(self.count))
    }
}

impl std::fmt::Display for Rate {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        let unit = match self.period.as_secs() {
            1 => "s",
            60 => "min",
            3600 => "h",
            _ => "day",
        };
        write!(f, "{}/{unit}", self.count)
    }
}

/// Budgets by key (an address, a customer id); `None` turns a limit off.
pub struct Limiter<K: std::hash::Hash + Eq + Clone> {
    limiter: Option<DefaultKeyedRateLimiter<K>>,
}

impl<K: std::hash::Hash + Eq + Clone> Limiter<K> {
    pub fn new(rate: Option<Rate>) -> Limiter<K> {
        Limiter { limiter: rate.and_then(Rate::quota).map(governor::RateLimiter::keyed) }
    }

    /// `Err(wait)` when `key` is over its budget: the whole seconds until one request fits again.
    pub fn check(&self, key: &K) -> Result<(), u64> {
        let Some(limiter) = &self.limiter else { return Ok(()) };
        limiter.check_key(key).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
        })
    }

    /// Forgets keys whose budget is full again, so that memory follows the active clients only.
    pub fn prune(&self) {
        if let Some(limiter) = &self.limiter {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    }
}

/// Which address counts as the client's.
#[derive(Debug, Clone, Default)]
pub struct ClientAddress {
    /// Peers whose forwarded header is believed (the shop's reverse proxies).
    pub trusted_proxies: Vec<IpAddr>,
    /// The header they write the client's address in, e.g. X-Forwarded-For.
    pub header: String,
}

impl ClientAddress {
    /// The client's address for a request from `peer` with the forwarded header's values `forwarded`.
    pub fn of<'a>(&self, peer: IpAddr, forwarded: impl Iterator<Item = &'a str>) -> IpAddr {
        if !self.trusted_proxies.contains(&peer) {
            return peer;
        }
        let hops: Vec<&str> = forwarded.flat_map(|v| v.split(',')).map(str::trim).collect();
        for hop in hops.iter().rev() {
            match parse_hop(hop) {
                Some(ip) if self.trusted_proxies.contains(&ip) => continue,
                Some(ip) => return ip,
                // Garbage where an address should be: the proxy let it through, so nothing left of it counts.
                None => return peer,
            }
        }
        peer
    }
}

/// An address as proxies write it: `203.0.113.7`, `2001:db8::1`, `[2001:db8::1]:443`, `203.0.113.7:5000`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    if let Ok(ip) = hop.parse() {
        return Some(ip);
    }
    if let Ok(socket) = hop.parse::<std::net::SocketAddr>() {
        return Some(socket.ip());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("test address")
    }

    #[test]
    fn rates_read_and_print() {
        let r = Rate::parse("120/min").expect("rate");
        assert_eq!((r.count.get(), r.period), (120, Duration::from_secs(60)));
        assert_eq!(r.to_string(), "120/min");
        assert_eq!(Rate::parse("20/h").map(|r| r.to_string()), Ok("20/h".into()));
        for bad in ["", "0/min", "120", "120/week", "-1/s", "x/s"] {
            assert!(Rate::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_key_gets_its_burst_then_waits_and_others_are_unaffected() {
        let limiter = Limiter::new(Some(Rate::parse("3/min").expect("rate")));
        for _ in 0..3 {
            assert_eq!(limiter.check(&"a"), Ok(()));
        }
        let wait = limiter.check(&"a").expect_err("over the budget");
        assert!((1..=20).contains(&wait), "{wait}");
        assert_eq!(limiter.check(&"b"), Ok(()));
        let off: Limiter<&str> = Limiter::new(None);
        assert!((0..1000).all(|_| off.check(&"a").is_ok()));
    }

    #[test]
    fn the_forwarded_address_counts_only_from_a_trusted_proxy() {
        let c =
            ClientAddress { trusted_proxies: vec![ip("10.0.0.1"), ip("10.0.0.2")], header: "X-Forwarded-For".into() };
        let hops = ["198.51.100.9, 203.0.113.7", "10.0.0.2"];
        assert_eq!(c.of(ip("10.0.0.1"), hops.into_iter()), ip("203.0.113.7"));
        // A client cannot choose its address by writing the header itself.
        assert_eq!(c.of(ip("192.0.2.5"), hops.into_iter()), ip("192.0.2.5"));
        assert_eq!(c.of(ip("10.0.0.1"), std::iter::empty()), ip("10.0.0.1"));
        assert_eq!(c.of(ip("10.0.0.1"), ["[2001:db8::1]:443"].into_iter()), ip("2001:db8::1"));
        assert_eq!(c.of(ip("10.0.0.1"), ["unknown"].into_iter()), ip("10.0.0.1"));
        let nobody = ClientAddress::default();
        assert_eq!(nobody.of(ip("10.0.0.1"), hops.into_iter()), ip("10.0.0.1"));
    }
}
