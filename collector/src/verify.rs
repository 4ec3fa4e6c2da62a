//! Verified answers: the shop's backend signs the order it just took, the
//! thank-you page passes the token to the widget (`order_token` with the
//! customer), and the answer carries it here. An answer is verified when the
//! token's signature is the shop's, it has not expired, it names the answer's
//! customer, and no other answer to the survey was verified by the same order.
//!
//! The token is `v1|ORDER|CUSTOMER|EXPIRES|MAC`: the order id, the customer id
//! (empty for a guest order), the expiry in Unix seconds, and the lowercase hex
//! HMAC-SHA256, keyed by the secret, of everything before the last `|`
//! (docs/collector.md shows how to make one in PHP, Node.js and Python).

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// What the collector concluded about an answer's token; stored with the answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    /// Signed by the shop for this customer's order `order`, in time.
    Verified { order: String },
    /// Not verified, and why (stored, so that a merchant can see what went wrong).
    Unverified(&'static str),
}

impl Verification {
    pub fn order(&self) -> Option<&str> {
        match self {
            Verification::Verified { order } => Some(order),
            Verification::Unverified(_) => None,
        }
    }

    pub fn note(&self) -> &'static str {
        match self {
            Verification::Verified { .. } => "verified",
            Verification::Unverified(why) => why,
        }
    }
}

/// The shop's signing secret.
#[derive(Clone)]
pub struct Secret(Vec<u8>);

impl Secret {
    /// At least 16 bytes: a short secret could be guessed from a token.
    pub fn new(bytes: Vec<u8>) -> Result<Secret, String> {
        if bytes.len() < 16 {
            return Err(format!(
                "the order secret has {} bytes; use at least 16 (32 random bytes in hex is good)",
                bytes.len()
            ));
        }
        Ok(Secret(bytes))
    }

    /// The token for an order, as the shop's backend makes it (tests and docs).
    pub fn sign(&self, order: &str, customer: &str, expires: i64) -> String {
        let message = format!("v1|{order}|{customer}|{expires}");
        let mut mac = self.mac();
        mac.update(message.as_bytes());
        let digest = mac.finalize().into_bytes();
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        format!("{message}|{hex}")
    }

    fn mac(&self) -> Hmac<Sha256> {
        // HMAC takes a key of any length.
        <Hmac<Sha256> as Mac>::new_from_slice(&self.0)
            .unwrap_or_else(|_| unreachable!("HMAC keys have no length limit"))
    }

    /// Checks a token for an answer of `customer` (None for a guest) received at `now` (Unix seconds).
    /// Whether the order was used before is the store's to check.
    pub fn check(&self, token: Option<&str>, customer: Option<&str>, now: i64) -> Verification {
        let Some(token) = token else { return Verification::Unverified("no token") };
        let Some((message, hex)) = token.rsplit_once('|') else {
            return Verification::Unverified("malformed token");
        };
        let parts: Vec<&str> = message.split('|').collect();
        let [version, order, token_customer, expires] = parts[..] else {
            return Verification::Unverified("malformed token");
        };
        if version != "v1" || order.is_empty() {
            return Verification::Unverified("malformed token");
        }
        let Some(signature) = from_hex(hex) else { return Verification::Unverified("malformed token") };
        let mut mac = self.mac();
        mac.update(message.as_bytes());
        if mac.verify_slice(&signature).is_err() {
            return Verification::Unverified("bad signature");
        }
        match expires.parse::<i64>() {
            Ok(at) if at >= now => {}
            Ok(_) => return Verification::Unverified("token expired"),
            Err(_) => return Verification::Unverified("malformed token"),
        }
        if token_customer != customer.unwrap_or("") {
            return Verification::Unverified("token of another customer");
        }
        Verification::Verified { order: order.to_string() }
    }
}

fn from_hex(text: &str) -> Option<Vec<u8>> {
    if text.len() != 64 || !text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret() -> Secret {
        Secret::new(b"0123456789abcdef0123456789abcdef".to_vec()).expect("secret")
    }

    #[test]
    fn the_known_vector_of_the_docs() {
        // The same as docs/collector.md's PHP, Node.js and Python lines print.
        assert_eq!(
            secret().sign("A-10023", "c-42", 1767225600),
            "v1|A-10023|c-42|1767225600|918efbebda76df9515cfacbbe81b2b12194995b23425fd43c1136b53f85ce65d"
        );
    }

    #[test]
    fn a_token_verifies_only_its_customer_in_time() {
        let s = secret();
        let token = s.sign("A-10023", "c-42", 1_000);
        assert_eq!(s.check(Some(&token), Some("c-42"), 999), Verification::Verified { order: "A-10023".into() });
        assert_eq!(s.check(Some(&token), Some("c-42"), 1_000).order(), Some("A-10023"));
        assert_eq!(s.check(Some(&token), Some("c-42"), 1_001), Verification::Unverified("token expired"));
        assert_eq!(s.check(Some(&token), Some("c-7"), 999), Verification::Unverified("token of another customer"));
        assert_eq!(s.check(Some(&token), None, 999), Verification::Unverified("token of another customer"));
        let guest = s.sign("A-10024", "", 1_000);
        assert_eq!(s.check(Some(&guest), None, 999).note(), "verified");
        assert_eq!(s.check(None, Some("c-42"), 999), Verification::Unverified("no token"));
    }

    #[test]
    fn a_changed_or_foreign_token_is_not_verified() {
        let s = secret();
        let token = s.sign("A-10023", "c-42", 1_000);
        let other_order = token.replacen("A-10023", "A-10099", 1);
        assert_eq!(s.check(Some(&other_order), Some("c-42"), 0), Verification::Unverified("bad signature"));
        let later = token.replacen("|1000|", "|9999|", 1);
        assert_eq!(s.check(Some(&later), Some("c-42"), 0), Verification::Unverified("bad signature"));
        let foreign = Secret::new(b"another secret of the wrong shop".to_vec()).expect("secret");
        assert_eq!(foreign.check(Some(&token), Some("c-42"), 0), Verification::Unverified("bad signature"));
        for bad in ["", "v1|A|c|1", "v2|A|c|1|00", "v1|A|c|soon|00", &token[..token.len() - 1], &token.to_uppercase()] {
            assert_ne!(s.check(Some(bad), Some("c"), 0).note(), "verified", "{bad}");
        }
    }

    #[test]
    fn short_secrets_are_refused() {
        assert!(Secret::new(b"short".to_vec()).is_err());
    }
}
