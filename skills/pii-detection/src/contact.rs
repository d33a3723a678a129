//! Singapore phone numbers and postal codes, found on digit chains.

use crate::rules::{SG_PHONE, SG_POSTAL};
use crate::scan::{Chain, Scanner, is_code_language};
use crate::words::{is_alnum, key_has, near, preceding_key};
use kiro_guard_skill::Severity;

/// Words that make a phone number a person's (raise warn → block).
pub const PERSONAL_WORDS: &[&str] = &[
    "customer",
    "mobile",
    "contact",
    "handphone",
    "hp",
    "whatsapp",
    "cell",
    "cellphone",
    "client",
    "member",
    "personal",
    "applicant",
    "msisdn",
];
/// Any phone word: rescues a bare numeric literal in source code.
pub const PHONE_WORDS: &[&str] = &[
    "phone",
    "tel",
    "telephone",
    "mobile",
    "contact",
    "hp",
    "handphone",
    "fax",
    "whatsapp",
    "sms",
    "call",
    "cell",
    "office",
    "voip",
    "hotline",
    "msisdn",
];
/// Key names under which an 8-digit number is a quantity or an id.
const NON_PHONE_KEYS: &[&str] = &[
    "timeout", "ttl", "ms", "size", "bytes", "max", "min", "limit", "count", "interval", "second",
    "secs", "millis", "epoch", "time", "port", "id", "amount", "price", "qty", "offset", "len",
    "version", "seed", "hash", "crc", "checksum", "total", "sum", "balance", "date", "order",
    "ref", "serial", "duration", "delay", "budget", "salary", "capacity",
];
const PHONE_KEYS: &[&str] = &[
    "phone", "mobile", "tel", "contact", "fax", "hp", "cell", "sms",
];

/// Words that put a 6-digit number in an address.
pub const ADDRESS_WORDS: &[&str] = &[
    "singapore",
    "postal",
    "postcode",
    "post code",
    "postalcode",
    "zip",
    "zipcode",
    "address",
    "addr",
    "street",
    "road",
    "avenue",
    "ave",
    "drive",
    "crescent",
    "blk",
    "lorong",
    "jalan",
];

impl Scanner<'_> {
    pub(crate) fn phone(&mut self, c: &Chain) {
        let b = self.b;
        let g = c.groups();
        let glen = |i: usize| g[i].1 - g[i].0;
        let start = c.start();
        let plus = start > 0 && b[start - 1] == b'+';
        // Split off the country code: `65 9123 4567`, `+65-91234567`, `6591234567`.
        let (national_first, national_shape) = if g.len() >= 2 && &b[g[0].0..g[0].1] == b"65" {
            (g[1].0, shape(g, 1))
        } else if g.len() == 1 && glen(0) == 10 && b[start..].starts_with(b"65") {
            (start + 2, Shape::Contiguous)
        } else if plus {
            // Another country code: not a Singapore number.
            return;
        } else {
            (start, shape(g, 0))
        };
        if national_shape == Shape::Other || !matches!(b[national_first], b'3' | b'6' | b'8' | b'9')
        {
            return;
        }
        let vs = if plus { start - 1 } else { start };
        let ve = c.end;
        // An id in a URL path (`/orders/91234567`) is not a phone number.
        if (vs > 0 && b[vs - 1] == b'/') || b.get(ve) == Some(&b'/') {
            return;
        }
        let bare = g.len() == 1 && !plus;
        if bare {
            // Round numbers: powers of two (buffer sizes) and numbers ending
            // in five or more zeros (timeouts, limits) are not phone numbers.
            let v = &b[vs..ve];
            let n: u64 = v.iter().fold(0, |a, &d| a * 10 + (d - b'0') as u64);
            if n.is_power_of_two() || v.ends_with(b"00000") {
                return;
            }
            // A bare 8-digit number: a size, a timeout or an id in code, unless
            // a phone word is near or it sits in a string or comment.
            if let Some(key) = preceding_key(b, vs)
                && key_has(key, NON_PHONE_KEYS)
                && !key_has(key, PHONE_KEYS)
            {
                return;
            }
            if !self.opts.settings.phone_numeric_literals
                && is_code_language(self.opts.language)
                && !near(b, vs, ve, 40, 16, true, PHONE_WORDS)
                && self.in_code(vs)
            {
                return;
            }
        }
        let personal = near(b, vs, ve, 40, 20, true, PERSONAL_WORDS);
        let (sev, msg) = if personal {
            (
                Severity::Block,
                "Singapore phone number next to customer/contact context",
            )
        } else {
            (SG_PHONE.severity, "Singapore phone number")
        };
        self.push(&SG_PHONE, vs, ve, sev, msg);
    }

    pub(crate) fn postal(&mut self, c: &Chain) {
        let b = self.b;
        if c.len != 1 || c.digits != 6 {
            return;
        }
        let s = c.start();
        let sector = (b[s] - b'0') * 10 + (b[s + 1] - b'0');
        if !(1..=82).contains(&sector) {
            return;
        }
        // `S(238801)`: the Singapore postal notation.
        let s_paren = s >= 2
            && b[s - 1] == b'('
            && matches!(b[s - 2], b'S' | b's')
            && (s < 3 || !is_alnum(b[s - 3]));
        if s_paren || near(b, s, c.end, 40, 0, true, ADDRESS_WORDS) {
            self.push(
                &SG_POSTAL,
                s,
                c.end,
                SG_POSTAL.severity,
                "Singapore postal code in an address",
            );
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// `91234567`
    Contiguous,
    /// `9123 4567`, `9123-4567`
    Split,
    Other,
}

/// The shape of the national part `g[from..]` of a phone number.
fn shape(g: &[(usize, usize)], from: usize) -> Shape {
    let len = |i: usize| g[i].1 - g[i].0;
    match g.len() - from {
        1 if len(from) == 8 => Shape::Contiguous,
        2 if len(from) == 4 && len(from + 1) == 4 => Shape::Split,
        _ => Shape::Other,
    }
}
