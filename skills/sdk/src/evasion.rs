//! Seeing through evasions: alternative views of a text in which encoded,
//! obfuscated or split values become plain, each with a map back to byte
//! ranges of the ORIGINAL text.
//!
//! A skill scans the original text as usual, then each [`View`] returned by
//! [`views`], and maps every hit in a view back with [`View::original_range`]
//! (dropping hits that overlap what the original scan already found). Spans
//! therefore always point at the text the host has.
//!
//! What a view undoes (in this order, cumulatively, in one view):
//!
//! 1. **Unicode** ([`fold_char`]): full-width ASCII (`Ｓ１２３４５６７Ｄ`),
//!    mathematical, circled, super/subscript and other-script decimal digits
//!    and letters (the NFKC compatibility mappings that matter for
//!    identifiers), Unicode spaces and dashes, and a confusables table for
//!    Latin look-alikes (Cyrillic `Ѕ`/`Т`/`С`, Greek `Τ`/`Μ`, Cherokee, Lisu).
//!    Zero-width and invisible characters (U+200B/C/D, U+2060, U+FEFF, soft
//!    hyphen U+00AD, variation selectors, combining marks) are removed. A
//!    hand-written table rather than the `unicode-normalization` crate:
//!    NFKC alone does not fold homoglyphs or remove zero-width characters,
//!    its tables cost ~200 KB of wasm, and we need the offset map anyway.
//! 2. **Escapes** ([`unescape`]): URL `%XX`, `\uXXXX`, `\u{X…}`, `\xXX`,
//!    octal `\ooo` and HTML `&#NN;`/`&#xNN;` that decode to printable
//!    characters.
//! 3. **Splitting** ([`join_concatenation`]): string literals joined by `+`,
//!    `.` (PHP) or nothing but whitespace (Python/C implicit concatenation),
//!    across lines too and through empty literals (`"S123" "" "4567D"`);
//!    `concat` calls on string literals (`"S123".concat("4567D")`, chained
//!    or with several arguments, `String.Concat("S123", "4567D")`, SQL
//!    `CONCAT('S123', '4567D')`); lists of string literals only that a
//!    `join` call joins, with the joiner between the pieces
//!    (`['S', '1', …, 'D'].join('')`, Python `''.join(['S123', '4567D'])`);
//!    empty interpolations (`` `S123${""}4567D` ``, `f"S123{''}4567D"`);
//!    backslash-newline line continuations with the next line's indentation
//!    (shell, C, YAML double-quoted strings); and a Jupyter cell's
//!    `"source"` array elements that the notebook joins without a newline.
//! 4. **Encoded blobs** ([`find_blobs`]): base64/base64url runs of at least
//!    [`MIN_BASE64`] characters, base32 runs of at least [`MIN_BASE32`] and
//!    hex runs of at least [`MIN_HEX`] digits that decode to printable text (random bytes — an image, a hash, a key —
//!    do not, and are left alone). The decoded text gets the same treatment
//!    recursively, to [`MAX_DEPTH`] levels; each blob decodes at most
//!    [`MAX_DECODED`] bytes and a whole text at most [`MAX_TOTAL_DECODED`].
//!    Every byte of a decoded view maps to the whole blob, so a finding
//!    inside it is reported at the blob's span.
//!
//! Cost: a pure-ASCII text with no escape, no quote pair to join and no
//! blob costs a few linear byte scans and allocates nothing.

/// Nesting limit for encoded blobs (base64 inside hex inside the text = 2).
pub const MAX_DEPTH: u8 = 2;
/// Maximum decoded bytes taken from one blob (longer blobs are decoded up to
/// this size).
pub const MAX_DECODED: usize = 64 * 1024;
/// Maximum decoded bytes over all blobs of one text, nested ones included.
pub const MAX_TOTAL_DECODED: usize = 1024 * 1024;
/// Shortest base64 run considered (12 characters = 9 bytes: `S1234567D`).
pub const MIN_BASE64: usize = 12;
/// Shortest hex run considered (16 digits = 8 bytes).
pub const MIN_HEX: usize = 16;
/// Shortest base32 run considered (15 characters = 9 bytes: `S1234567D`).
pub const MIN_BASE32: usize = 15;
/// Maximum blobs decoded per text.
pub const MAX_BLOBS: usize = 512;
/// Longest gap between two string literals that are joined.
const MAX_GAP: usize = 256;

/// A transformation a view has undone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layer {
    /// Unicode look-alikes and compatibility forms folded to ASCII
    /// (fullwidth digits, zero-width characters, homoglyphs).
    Unicode,
    /// Escape sequences decoded (`\x41`, `\u0041`, `%41`, `&#65;`).
    Escapes,
    /// String literals joined across `+`, `.` or whitespace (see
    /// [`join_concatenation`]).
    Concatenation,
    /// A base64 blob decoded.
    Base64,
    /// A base32 blob decoded.
    Base32,
    /// A hex blob decoded.
    Hex,
}

impl Layer {
    /// Words for a finding message ("base64-encoded").
    pub fn describe(self) -> &'static str {
        match self {
            Layer::Unicode => "Unicode-obfuscated",
            Layer::Escapes => "escape-encoded",
            Layer::Concatenation => "split across string concatenation",
            Layer::Base64 => "base64-encoded",
            Layer::Base32 => "base32-encoded",
            Layer::Hex => "hex-encoded",
        }
    }

    /// Whether the layer decodes a blob (findings span the whole blob).
    pub fn is_blob(self) -> bool {
        matches!(self, Layer::Base64 | Layer::Base32 | Layer::Hex)
    }
}

#[derive(Debug, Clone)]
enum Map {
    /// Per byte of the view: the original byte range it came from.
    Bytes { starts: Vec<u32>, ends: Vec<u32> },
    /// Every byte comes from this original range (a decoded blob).
    Whole(usize, usize),
}

/// An alternative text with a map back to the original.
#[derive(Debug, Clone)]
pub struct View {
    /// The view's text, in which detectors run as on any text.
    pub text: String,
    /// What was undone, outermost first (`[Base64, Unicode]`: a blob whose
    /// decoded text was then Unicode-folded).
    pub layers: Vec<Layer>,
    map: Map,
    orig_len: usize,
}

impl View {
    /// The original byte range of view bytes `start..end` (always on
    /// character boundaries of the original; the whole blob for decoded
    /// views).
    pub fn original_range(&self, start: usize, end: usize) -> (usize, usize) {
        match &self.map {
            Map::Whole(s, e) => (*s, *e),
            Map::Bytes { starts, ends } => {
                let n = starts.len();
                if n == 0 {
                    return (self.orig_len, self.orig_len);
                }
                let s = start.min(n - 1);
                let e = end.min(n);
                let os = starts[s] as usize;
                if e <= s {
                    return (os, os);
                }
                (os, (ends[e - 1] as usize).max(os))
            }
        }
    }

    /// The encoding of the outermost decoded blob, if the view is one.
    pub fn blob_layer(&self) -> Option<Layer> {
        self.layers.iter().copied().find(|l| l.is_blob())
    }

    /// A note for a finding message: `"base64-encoded"`, `"hex-encoded"`,
    /// or the other layers joined ("Unicode-obfuscated, escape-encoded").
    pub fn note(&self) -> String {
        if let Some(b) = self.blob_layer() {
            return b.describe().to_string();
        }
        let v: Vec<&str> = self.layers.iter().map(|l| l.describe()).collect();
        v.join(", ")
    }

    /// Whether only Unicode folding was undone (no decoding, no joining).
    pub fn unicode_only(&self) -> bool {
        self.layers.iter().all(|l| *l == Layer::Unicode)
    }

    /// Whether the view decodes an encoded blob.
    pub fn is_blob(&self) -> bool {
        self.blob_layer().is_some()
    }
}

/// Output text under construction with its per-byte source ranges.
struct Builder {
    text: String,
    starts: Vec<u32>,
    ends: Vec<u32>,
    changed: bool,
}

impl Builder {
    fn new(cap: usize) -> Builder {
        Builder {
            text: String::with_capacity(cap),
            starts: Vec::with_capacity(cap),
            ends: Vec::with_capacity(cap),
            changed: false,
        }
    }

    /// Append `c`, produced by source bytes `from..to`.
    fn push(&mut self, c: char, from: usize, to: usize) {
        let before = self.text.len();
        self.text.push(c);
        for _ in before..self.text.len() {
            self.starts.push(from as u32);
            self.ends.push(to as u32);
        }
    }

    /// Copy `src[from..to]` unchanged (each byte maps to its own character).
    fn copy(&mut self, src: &str, from: usize, to: usize) {
        let slice = &src[from..to];
        // Fast path: ASCII runs (most source text) copy in bulk.
        if slice.is_ascii() {
            self.text.push_str(slice);
            self.starts.extend(from as u32..to as u32);
            self.ends.extend(from as u32 + 1..to as u32 + 1);
            return;
        }
        for (i, c) in slice.char_indices() {
            let s = from + i;
            self.push(c, s, s + c.len_utf8());
        }
    }

    fn finish(self, layer: Layer, src_len: usize) -> Option<View> {
        self.changed.then(|| View {
            text: self.text,
            layers: vec![layer],
            map: Map::Bytes {
                starts: self.starts,
                ends: self.ends,
            },
            orig_len: src_len,
        })
    }
}

/// `child` is a view of `parent.text`; return it as a view of the parent's
/// original.
fn compose(parent: &View, child: View) -> View {
    let mut layers = parent.layers.clone();
    layers.extend(child.layers.iter().copied());
    let map = match (&parent.map, child.map) {
        (Map::Whole(s, e), _) => Map::Whole(*s, *e),
        (Map::Bytes { .. }, Map::Whole(s, e)) => {
            let (os, oe) = parent.original_range(s, e);
            Map::Whole(os, oe)
        }
        (Map::Bytes { .. }, Map::Bytes { starts, ends }) => {
            let mut ns = Vec::with_capacity(starts.len());
            let mut ne = Vec::with_capacity(ends.len());
            for (s, e) in starts.iter().zip(ends.iter()) {
                let (os, oe) = parent.original_range(*s as usize, *e as usize);
                ns.push(os as u32);
                ne.push(oe as u32);
            }
            Map::Bytes {
                starts: ns,
                ends: ne,
            }
        }
    };
    View {
        text: child.text,
        layers,
        map,
        orig_len: parent.orig_len,
    }
}

/// What [`fold_char`] does with a character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fold {
    /// The character stays as it is.
    Keep,
    /// The character is removed (zero-width and format characters).
    Drop,
    /// The character is replaced by this one.
    To(char),
}

/// The fold of one character: NFKC-style compatibility mapping for digits,
/// letters, spaces and dashes, Latin for look-alike letters, and removal of
/// invisible characters.
pub fn fold_char(c: char) -> Fold {
    let u = c as u32;
    if u < 0x80 {
        return Fold::Keep;
    }
    let digit = |d: u32| Fold::To(char::from(b'0' + d as u8));
    let letter = |i: u32| {
        Fold::To(if i < 26 {
            char::from(b'A' + i as u8)
        } else {
            char::from(b'a' + (i - 26) as u8)
        })
    };
    match u {
        // Invisible: zero-width space/joiners, word joiner, invisible
        // operators, BOM, soft hyphen, Mongolian vowel separator, combining
        // grapheme joiner, combining marks, variation selectors.
        0x200B..=0x200F | 0x2060..=0x2064 | 0xFEFF | 0x00AD | 0x180E | 0x034F => Fold::Drop,
        0x0300..=0x036F | 0xFE00..=0xFE0F | 0x202A..=0x202E | 0x2066..=0x2069 => Fold::Drop,
        // Full-width ASCII and the ideographic space.
        0xFF01..=0xFF5E => Fold::To(char::from_u32(u - 0xFEE0).unwrap_or(c)),
        0x3000 | 0x00A0 | 0x2000..=0x200A | 0x202F | 0x205F => Fold::To(' '),
        0x2010..=0x2015 | 0x2212 | 0xFE58 | 0xFE63 => Fold::To('-'),
        // Decimal digits of other scripts and compatibility digits.
        0x0660..=0x0669 => digit(u - 0x0660),
        0x06F0..=0x06F9 => digit(u - 0x06F0),
        0x07C0..=0x07C9 => digit(u - 0x07C0),
        0x0966..=0x096F => digit(u - 0x0966),
        0x09E6..=0x09EF => digit(u - 0x09E6),
        0x0E50..=0x0E59 => digit(u - 0x0E50),
        0x1040..=0x1049 => digit(u - 0x1040),
        0x1D7CE..=0x1D7FF => digit((u - 0x1D7CE) % 10),
        0x2070 | 0x2080 | 0x24EA | 0x24FF | 0x1F100 => digit(0),
        0x00B9 => digit(1),
        0x00B2 => digit(2),
        0x00B3 => digit(3),
        0x2074..=0x2079 => digit(u - 0x2070),
        0x2081..=0x2089 => digit(u - 0x2080),
        0x2460..=0x2468 => digit(u - 0x2460 + 1),
        0x2474..=0x247C => digit(u - 0x2474 + 1),
        0x2488..=0x2490 => digit(u - 0x2488 + 1),
        0x2776..=0x277E => digit(u - 0x2776 + 1),
        0x2780..=0x2788 => digit(u - 0x2780 + 1),
        0x278A..=0x2792 => digit(u - 0x278A + 1),
        0x1F101..=0x1F10A => digit(u - 0x1F101),
        // Mathematical alphanumeric letters (bold, italic, script, ...).
        0x1D400..=0x1D6A3 => letter((u - 0x1D400) % 52),
        // Circled and parenthesised letters.
        0x24B6..=0x24CF => letter(u - 0x24B6),
        0x24D0..=0x24E9 => letter(u - 0x24D0 + 26),
        0x1F130..=0x1F149 => letter(u - 0x1F130),
        0x1F150..=0x1F169 => letter(u - 0x1F150),
        0x1F170..=0x1F189 => letter(u - 0x1F170),
        0x1F1E6..=0x1F1FF => letter(u - 0x1F1E6),
        _ => match confusable(c) {
            Some(l) => Fold::To(l),
            None => Fold::Keep,
        },
    }
}

/// Latin look-alikes (Unicode confusables for letters that start or end an
/// identifier: NRIC prefixes S/T/F/G/M, check letters, token prefixes).
fn confusable(c: char) -> Option<char> {
    Some(match c {
        // Cyrillic
        'А' => 'A',
        'В' => 'B',
        'С' => 'C',
        'Е' => 'E',
        'Н' => 'H',
        'І' => 'I',
        'Ј' => 'J',
        'К' => 'K',
        'М' => 'M',
        'О' => 'O',
        'Р' => 'P',
        'Ѕ' => 'S',
        'Т' => 'T',
        'Х' => 'X',
        'У' => 'Y',
        'Ԍ' => 'G',
        'Ԛ' => 'Q',
        'Ԝ' => 'W',
        'Ү' => 'Y',
        'а' => 'a',
        'с' => 'c',
        'е' => 'e',
        'і' => 'i',
        'ј' => 'j',
        'о' => 'o',
        'р' => 'p',
        'ѕ' => 's',
        'х' => 'x',
        'у' => 'y',
        'һ' => 'h',
        'ԁ' => 'd',
        'ԛ' => 'q',
        'ԝ' => 'w',
        // Greek
        'Α' => 'A',
        'Β' => 'B',
        'Ε' => 'E',
        'Ζ' => 'Z',
        'Η' => 'H',
        'Ι' => 'I',
        'Κ' => 'K',
        'Μ' => 'M',
        'Ν' => 'N',
        'Ο' => 'O',
        'Ρ' => 'P',
        'Τ' => 'T',
        'Υ' => 'Y',
        'Χ' => 'X',
        'Ϝ' => 'F',
        'ο' => 'o',
        'ν' => 'v',
        // Armenian, Cherokee, Lisu, letterlike symbols
        'Տ' => 'S',
        'Ꮪ' => 'S',
        'Ꭲ' => 'T',
        'Ꮐ' => 'G',
        'Ꮇ' => 'M',
        'Ꭰ' => 'D',
        'Ꭼ' => 'E',
        'Ꮋ' => 'H',
        'ꓢ' => 'S',
        'ꓔ' => 'T',
        'ꓝ' => 'F',
        'ꓖ' => 'G',
        'ꓟ' => 'M',
        'ꓓ' => 'D',
        'ℂ' => 'C',
        'ℍ' => 'H',
        'ℕ' => 'N',
        'ℙ' => 'P',
        'ℚ' => 'Q',
        'ℝ' => 'R',
        'ℤ' => 'Z',
        'ℬ' => 'B',
        'ℰ' => 'E',
        'ℱ' => 'F',
        'ℋ' => 'H',
        'ℐ' => 'I',
        'ℒ' => 'L',
        'ℳ' => 'M',
        'ℛ' => 'R',
        'K' => 'K',
        _ => return None,
    })
}

/// Unicode folding of `text` (see [`fold_char`]); None when nothing folds.
pub fn fold_unicode(text: &str) -> Option<View> {
    if text.is_ascii() {
        return None;
    }
    let mut b = Builder::new(text.len());
    let mut run = 0; // start of the pending unchanged run
    for (i, c) in text.char_indices() {
        let f = fold_char(c);
        if f == Fold::Keep {
            continue;
        }
        b.copy(text, run, i);
        run = i + c.len_utf8();
        b.changed = true;
        if let Fold::To(t) = f {
            b.push(t, i, run);
        }
    }
    b.copy(text, run, text.len());
    b.finish(Layer::Unicode, text.len())
}

fn hex_val(c: u8) -> Option<u32> {
    (c as char).to_digit(16)
}

fn printable(c: char) -> bool {
    !c.is_control() || matches!(c, '\n' | '\r' | '\t')
}

/// One escape sequence at `i`: the character and the sequence length.
fn escape_at(b: &[u8], i: usize) -> Option<(char, usize)> {
    let hex_n = |from: usize, n: usize| -> Option<u32> {
        let s = b.get(from..from + n)?;
        s.iter()
            .try_fold(0u32, |acc, &c| Some(acc * 16 + hex_val(c)?))
    };
    let (cp, len) = match b[i] {
        b'%' => (hex_n(i + 1, 2)?, 3),
        b'\\' => match *b.get(i + 1)? {
            b'x' | b'X' => (hex_n(i + 2, 2)?, 4),
            b'u' if b.get(i + 2) == Some(&b'{') => {
                let close = b[i + 3..(i + 10).min(b.len())]
                    .iter()
                    .position(|&c| c == b'}')?;
                if close == 0 {
                    return None;
                }
                (hex_n(i + 3, close)?, close + 4)
            }
            b'u' => (hex_n(i + 2, 4)?, 6),
            // C/Python/shell octal: exactly three digits, `\000`-`\377`.
            b'0'..=b'3' => {
                let o = b.get(i + 1..i + 4)?;
                if !o.iter().all(|c| (b'0'..=b'7').contains(c)) {
                    return None;
                }
                (
                    o.iter().fold(0u32, |acc, &c| acc * 8 + (c - b'0') as u32),
                    4,
                )
            }
            _ => return None,
        },
        b'&' if b.get(i + 1) == Some(&b'#') => {
            let (digits_from, radix) = match b.get(i + 2) {
                Some(b'x' | b'X') => (i + 3, 16),
                _ => (i + 2, 10),
            };
            let mut j = digits_from;
            let mut v: u32 = 0;
            while j < b.len() && j < digits_from + 7 && (b[j] as char).is_digit(radix) {
                v = v * radix + (b[j] as char).to_digit(radix)?;
                j += 1;
            }
            if j == digits_from || b.get(j) != Some(&b';') {
                return None;
            }
            (v, j + 1 - i)
        }
        _ => return None,
    };
    let c = char::from_u32(cp)?;
    // Only escapes that hide visible text; `%0A`, `\u0000` stay as they are.
    (printable(c) && !c.is_whitespace() || c == ' ').then_some((c, len))
}

/// Decode URL `%XX`, `\uXXXX`, `\u{X}`, `\xXX`, octal `\ooo` and HTML
/// numeric entities that produce printable characters; None when there are
/// none.
pub fn unescape(text: &str) -> Option<View> {
    let b = text.as_bytes();
    if !b.iter().any(|&c| matches!(c, b'%' | b'\\' | b'&')) {
        return None;
    }
    let mut out = Builder::new(text.len());
    let mut run = 0;
    let mut i = 0;
    while i < b.len() {
        if matches!(b[i], b'%' | b'\\' | b'&')
            && let Some((c, len)) = escape_at(b, i)
        {
            out.copy(text, run, i);
            out.push(c, i, i + len);
            out.changed = true;
            i += len;
            run = i;
        } else {
            i += 1;
        }
    }
    out.copy(text, run, text.len());
    out.finish(Layer::Escapes, text.len())
}

/// The end of a gap between two string literals starting after a closing
/// quote at `q_at`: the index of the opening quote, when the gap is only
/// whitespace, backslash-newlines and at most one `+` or `.`, and not empty.
fn concat_gap(b: &[u8], q_at: usize) -> Option<usize> {
    let q = b[q_at];
    let mut j = q_at + 1;
    let mut op = false;
    let limit = (q_at + 1 + MAX_GAP).min(b.len());
    while j < limit {
        match b[j] {
            b' ' | b'\t' | b'\r' | b'\n' => j += 1,
            b'\\' if matches!(b.get(j + 1), Some(b'\n' | b'\r')) => j += 2,
            b'+' | b'.' if !op => {
                op = true;
                j += 1;
            }
            // An empty literal between the two (`"S123" "" "4567D"`,
            // `'a' + '' + 'b'`), not the start of a triple quote.
            c if c == q && b.get(j + 1) == Some(&q) && b.get(j + 2) != Some(&q) => {
                op = false;
                j += 2;
            }
            c if c == q => return (j > q_at + 1).then_some(j),
            _ => return None,
        }
    }
    None
}

/// An empty interpolation whose quote pair starts at `i` (`${""}`, `${''}`,
/// Ruby `#{""}`, Python f-string `{''}`): its byte range.
fn empty_interpolation(b: &[u8], i: usize) -> Option<(usize, usize)> {
    let q = b[i];
    if i == 0 || b[i - 1] != b'{' || b.get(i + 1) != Some(&q) || b.get(i + 2) != Some(&b'}') {
        return None;
    }
    let s = if i >= 2 && matches!(b[i - 2], b'$' | b'#') {
        i - 2
    } else {
        i - 1
    };
    Some((s, i + 3))
}

/// A backslash-newline at `i` (a line continuation) and the indentation of
/// the next line (a YAML double-quoted string drops it): the bytes removed,
/// 0 when `i` is not a continuation.
fn continuation(b: &[u8], i: usize) -> usize {
    let mut j = match (b.get(i + 1), b.get(i + 2)) {
        (Some(b'\n'), _) => i + 2,
        (Some(b'\r'), Some(b'\n')) => i + 3,
        _ => return 0,
    };
    while j < b.len() && matches!(b[j], b' ' | b'\t') {
        j += 1;
    }
    j - i
}

/// At `i`, a Jupyter notebook cell's `"source": [` key: the index of the
/// array's closing `]` and the gaps (closing quote, next opening quote)
/// between string elements that the notebook joins without a line break
/// (the earlier element does not end in `\n`). None when `i` does not start
/// such a key or the array is not a list of JSON strings.
fn notebook_source(b: &[u8], i: usize) -> Option<(usize, Vec<(usize, usize)>)> {
    const KEY: &[u8] = b"\"source\"";
    if !b[i..].starts_with(KEY) {
        return None;
    }
    let skip_ws = |mut j: usize| {
        while j < b.len() && b[j].is_ascii_whitespace() {
            j += 1;
        }
        j
    };
    let mut j = skip_ws(i + KEY.len());
    if b.get(j) != Some(&b':') {
        return None;
    }
    j = skip_ws(j + 1);
    if b.get(j) != Some(&b'[') {
        return None;
    }
    j += 1;
    let mut gaps = Vec::new();
    let mut prev: Option<usize> = None;
    loop {
        j = skip_ws(j);
        match *b.get(j)? {
            b']' => return Some((j, gaps)),
            b'"' => {}
            _ => return None,
        }
        let open = j;
        if let Some(c) = prev {
            gaps.push((c, open));
        }
        j += 1;
        loop {
            match *b.get(j)? {
                b'\\' => j += 2,
                b'"' => break,
                b'\n' => return None,
                _ => j += 1,
            }
        }
        let close = j;
        let line_break = close >= open + 3
            && b[close - 1] == b'n'
            && b[close - 2] == b'\\'
            && (close - 3 == open || b[close - 3] != b'\\');
        j = skip_ws(close + 1);
        match *b.get(j)? {
            b',' => j += 1,
            b']' => return Some((j, gaps)),
            _ => return None,
        }
        prev = (!line_break).then_some(close);
    }
}

/// Longest string literal taken as a piece of a joined list or a `concat`
/// argument.
const MAX_LITERAL: usize = 1024;
/// Most string literals in a list that is joined.
const MAX_PIECES: usize = 256;
/// Longest joiner literal of a Python `'…'.join([…])`.
const MAX_JOINER: usize = 16;

/// Skip ASCII whitespace from `j`, at most [`MAX_GAP`] bytes.
#[inline]
fn skip_ws(b: &[u8], j: usize) -> usize {
    let limit = (j + MAX_GAP).min(b.len());
    let mut k = j;
    while k < limit && matches!(b[k], b' ' | b'\t' | b'\r' | b'\n') {
        k += 1;
    }
    k
}

/// A one-line string literal opening at `i` (`"`, `'` or `` ` ``, with
/// backslash escapes) of at most `max` bytes: the index of its closing
/// quote.
fn literal_end(b: &[u8], i: usize, max: usize) -> Option<usize> {
    let q = *b.get(i)?;
    if !matches!(q, b'"' | b'\'' | b'`') {
        return None;
    }
    let limit = (i + 2 + max).min(b.len());
    let mut j = i + 1;
    while j < limit {
        match b[j] {
            b'\\' => j += 2,
            b'\n' => return None,
            c if c == q => return Some(j),
            _ => j += 1,
        }
    }
    None
}

/// Whether `b[j..]` starts with `word` (ASCII, any case) not followed by an
/// identifier character.
fn word_at(b: &[u8], j: usize, word: &[u8]) -> bool {
    b.get(j..j + word.len())
        .is_some_and(|w| w.eq_ignore_ascii_case(word))
        && b.get(j + word.len())
            .is_none_or(|&c| !(c.is_ascii_alphanumeric() || c == b'_'))
}

/// After a closing quote at `q_at`, a gap that a `concat` call bridges
/// (`"S123".concat("4567D")`, `.concat("a", "b")`, `.concat("a").concat("b")`,
/// whitespace allowed): the index of the next literal's opening quote. The
/// `,` between two arguments and the `).concat(` of a chain count only
/// inside the call's arguments (`in_call`), the `,` only when `next` is set.
fn concat_call_gap(b: &[u8], q_at: usize, in_call: bool, next: bool) -> Option<usize> {
    // Most closing quotes are followed by none of these.
    let c = *b.get(q_at + 1)?;
    let bridge =
        matches!(c, b'.' | b' ' | b'\t' | b'\r' | b'\n') || (in_call && matches!(c, b',' | b')'));
    if !bridge {
        return None;
    }
    let mut j = skip_ws(b, q_at + 1);
    if b.get(j) == Some(&b',') {
        if !(in_call && next) {
            return None;
        }
        j += 1;
    } else {
        if b.get(j) == Some(&b')') {
            if !in_call {
                return None;
            }
            j = skip_ws(b, j + 1);
        }
        if b.get(j) != Some(&b'.') {
            return None;
        }
        j = skip_ws(b, j + 1);
        if !word_at(b, j, b"concat") {
            return None;
        }
        j = skip_ws(b, j + 6);
        if b.get(j) != Some(&b'(') {
            return None;
        }
        j += 1;
    }
    j = skip_ws(b, j);
    matches!(b.get(j), Some(b'"' | b'\'' | b'`')).then_some(j)
}

/// Skip ASCII whitespace backwards from `j`, at most [`MAX_GAP`] bytes: the
/// smallest `k` such that `b[k..j]` is whitespace.
#[inline]
fn skip_ws_back(b: &[u8], j: usize) -> usize {
    let floor = j.saturating_sub(MAX_GAP);
    let mut k = j;
    while k > floor && matches!(b[k - 1], b' ' | b'\t' | b'\r' | b'\n') {
        k -= 1;
    }
    k
}

/// Whether the `(` at `paren` opens a `concat` call
/// (`String.Concat("a", "b")`, `"".concat("a", "b")`, SQL
/// `CONCAT('a', 'b')`).
fn is_concat_call(b: &[u8], paren: usize) -> bool {
    let j = skip_ws_back(b, paren);
    j >= 6
        && b[j - 1] | 0x20 == b't'
        && b[j - 6..j].eq_ignore_ascii_case(b"concat")
        && (j == 6 || !(b[j - 7].is_ascii_alphanumeric() || b[j - 7] == b'_'))
}

/// The `(` just before the quote at `i` (whitespace between), if any.
#[inline]
fn paren_before(b: &[u8], i: usize) -> Option<usize> {
    if i == 0 || !matches!(b[i - 1], b'(' | b' ' | b'\t' | b'\r' | b'\n') {
        return None;
    }
    let j = skip_ws_back(b, i);
    (j > 0 && b[j - 1] == b'(').then(|| j - 1)
}

/// A bracketed list at `open` (`[…]`, or `(…)`) that holds two or more
/// string literals and nothing else: the content ranges of the literals and
/// the index of the closing bracket.
fn literal_list(b: &[u8], open: usize) -> Option<(Vec<(usize, usize)>, usize)> {
    let close = match *b.get(open)? {
        b'[' => b']',
        b'(' => b')',
        _ => return None,
    };
    let mut pieces = Vec::new();
    let mut j = skip_ws(b, open + 1);
    loop {
        let e = literal_end(b, j, MAX_LITERAL)?;
        if pieces.len() == MAX_PIECES {
            return None;
        }
        pieces.push((j + 1, e));
        j = skip_ws(b, e + 1);
        match *b.get(j)? {
            b',' => {
                j = skip_ws(b, j + 1);
                if b.get(j) == Some(&close) {
                    break;
                }
            }
            c if c == close => break,
            _ => return None,
        }
    }
    (pieces.len() >= 2).then_some((pieces, j))
}

/// After a list closing at `close`, a `join` call on it: `.join('')`
/// (JavaScript; the joiner is a string literal) or `.join` without
/// arguments (Ruby: an empty joiner). The joiner's content range.
fn join_after(b: &[u8], close: usize) -> Option<(usize, usize)> {
    let mut j = skip_ws(b, close + 1);
    if b.get(j) != Some(&b'.') {
        return None;
    }
    j = skip_ws(b, j + 1);
    if !word_at(b, j, b"join") {
        return None;
    }
    j += 4;
    let k = skip_ws(b, j);
    if b.get(k) != Some(&b'(') {
        return Some((j, j));
    }
    let o = skip_ws(b, k + 1);
    let e = literal_end(b, o, MAX_JOINER)?;
    (b.get(skip_ws(b, e + 1)) == Some(&b')')).then_some((o + 1, e))
}

/// Before a list opening at `open`, the Python call that joins it:
/// `'<joiner>'.join(` with a short literal joiner (`''.join(['S123',
/// '4567D'])`, tuples too). The joiner's content range.
fn join_before(b: &[u8], open: usize) -> Option<(usize, usize)> {
    let mut j = skip_ws_back(b, open);
    if j == 0 || b[j - 1] != b'(' {
        return None;
    }
    j = skip_ws_back(b, j - 1);
    if j < 6 || !b[j - 4..j].eq_ignore_ascii_case(b"join") || b[j - 5] != b'.' {
        return None;
    }
    j = skip_ws_back(b, j - 5);
    let close = j.checked_sub(1)?;
    let q = b[close];
    if !matches!(q, b'"' | b'\'') {
        return None;
    }
    let floor = close.saturating_sub(MAX_JOINER + 1);
    let o = (floor..close).rev().find(|&k| b[k] == q || b[k] == b'\n')?;
    (b[o] == q).then_some((o + 1, close))
}

/// A list of string literals that a `join` call joins.
struct JoinedList {
    /// The joiner's content range.
    joiner: (usize, usize),
    /// The content range of each piece.
    pieces: Vec<(usize, usize)>,
    /// The index of the list's closing bracket.
    close: usize,
}

/// At `open`, a list of string literals that a `join` call joins (Python
/// before it, JavaScript or Ruby after it).
fn joined_list(b: &[u8], open: usize) -> Option<JoinedList> {
    let (pieces, close) = literal_list(b, open)?;
    let joiner = join_before(b, open).or_else(|| join_after(b, close))?;
    Some(JoinedList {
        joiner,
        pieces,
        close,
    })
}

/// Whether the quote at `i` may take part in a `concat` or `join` call on
/// string literals that [`join_concatenation`] undoes: followed by
/// `.concat(`, by `.join(` and a list (Python's joiner, empty or not), by
/// the `]` of a list joined after it, or opening the arguments of a
/// `concat` call. For [`changed_regions`]: a cheap superset, most quotes
/// are decided by the bytes next to them.
#[inline]
fn in_call_on_literals(b: &[u8], i: usize) -> bool {
    let ws = |c: u8| matches!(c, b' ' | b'\t' | b'\r' | b'\n');
    let q = b[i];
    let after = b.get(i + 1).copied().unwrap_or(0);
    if matches!(after, b'.' | b']' | b',') || after == q || ws(after) {
        let from = if after == q { i + 2 } else { i + 1 };
        let mut j = skip_ws(b, from);
        if b.get(j) == Some(&b',') {
            j = skip_ws(b, j + 1);
        }
        match b.get(j) {
            Some(b'.') => {
                let k = skip_ws(b, j + 1);
                if word_at(b, k, b"concat") {
                    return true;
                }
                if word_at(b, k, b"join") {
                    let p = skip_ws(b, k + 4);
                    if b.get(p) == Some(&b'(')
                        && matches!(b.get(skip_ws(b, p + 1)), Some(b'[' | b'('))
                    {
                        return true;
                    }
                }
            }
            Some(b']') if join_after(b, j).is_some() => return true,
            _ => {}
        }
    }
    paren_before(b, i).is_some_and(|p| is_concat_call(b, p))
}

/// Write the literal (quoted like its first piece) that joining `list`
/// produces, in place of the list: each piece and joiner byte mapped to its
/// source. Returns the index just past the list.
fn write_joined_list(out: &mut Builder, text: &str, list: &JoinedList) -> usize {
    let b = text.as_bytes();
    let pieces = &list.pieces;
    let (fs, _) = pieces[0];
    let (_, le) = pieces[pieces.len() - 1];
    out.push(char::from(b[fs - 1]), fs - 1, fs);
    for (k, &(s, e)) in pieces.iter().enumerate() {
        if k > 0 {
            out.copy(text, list.joiner.0, list.joiner.1);
        }
        out.copy(text, s, e);
    }
    out.push(char::from(b[fs - 1]), le, le + 1);
    out.changed = true;
    list.close + 1
}

/// Join string literals split by concatenation (`"4111" + "1111"`, Python
/// `"4111" "1111"`, PHP `'a' . 'b'`, over several lines, with empty literals
/// between; `"a".concat("b")` and `concat` calls on literals only, chained
/// or with several arguments), lists of string literals joined by a `join`
/// call (`['S', '123'].join('')`, `''.join(['S123', '4567D'])`, with the
/// joiner between the pieces), remove empty interpolations (`${""}`,
/// f-string `{''}`) and backslash-newline line continuations (with the next
/// line's indentation), and join the elements of a notebook cell's
/// `"source"` array that the notebook joins without a line break; None when
/// there is nothing to join.
pub fn join_concatenation(text: &str) -> Option<View> {
    let b = text.as_bytes();
    let mut out = Builder::new(text.len());
    let mut run = 0;
    let mut i = 0;
    // Inside the arguments of a `concat` call: the quote of the argument
    // literal being read.
    let mut call: Option<u8> = None;
    while i < b.len() {
        match b[i] {
            // A closing quote: the character before it is not a backslash
            // and not the same quote (`""` is an empty literal).
            q @ (b'"' | b'\'' | b'`') if i > 0 && b[i - 1] != b'\\' && b[i - 1] != q => {
                if let Some((s, e)) = empty_interpolation(b, i) {
                    out.copy(text, run, s.max(run));
                    out.changed = true;
                    i = e;
                    run = i;
                } else if q == b'"'
                    && b.get(i + 1) == Some(&b's')
                    && let Some((close, gaps)) = notebook_source(b, i)
                    && !gaps.is_empty()
                {
                    for (c, o) in gaps {
                        out.copy(text, run, c);
                        run = o + 1;
                    }
                    out.changed = true;
                    i = close;
                } else if let Some(k) = concat_gap(b, i) {
                    out.copy(text, run, i);
                    out.changed = true;
                    i = k + 1;
                    run = i;
                } else if let Some(k) = concat_call_gap(b, i, call == Some(q), true) {
                    out.copy(text, run, i);
                    out.changed = true;
                    call = Some(b[k]);
                    i = k + 1;
                    run = i;
                } else if let Some(open) = paren_before(b, i)
                    && open >= run
                    && let Some(list) = joined_list(b, open)
                {
                    // A Python tuple joined: `''.join(('S123', '4567D'))`.
                    out.copy(text, run, open);
                    i = write_joined_list(&mut out, text, &list);
                    run = i;
                } else if call.is_none() && paren_before(b, i).is_some_and(|p| is_concat_call(b, p))
                {
                    call = Some(q);
                    i += 1;
                } else {
                    if call == Some(q) {
                        call = None;
                    }
                    i += 1;
                }
            }
            b'[' if let Some(list) = joined_list(b, i) => {
                out.copy(text, run, i);
                i = write_joined_list(&mut out, text, &list);
                run = i;
            }
            b'\\' if continuation(b, i) > 0 => {
                out.copy(text, run, i);
                out.changed = true;
                i += continuation(b, i);
                run = i;
            }
            _ => i += 1,
        }
    }
    out.copy(text, run, text.len());
    out.finish(Layer::Concatenation, text.len())
}

/// A candidate encoded blob: byte range and encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Blob {
    /// Byte offset where the blob starts.
    pub start: usize,
    /// Byte offset just past the blob.
    pub end: usize,
    /// Its encoding ([`Layer::Base64`], [`Layer::Base32`] or [`Layer::Hex`]).
    pub layer: Layer,
}

fn is_b64(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'-' | b'_')
}

/// Whether a run may be RFC 4648 base32: one letter case plus the digits
/// 2-7, at least one of each (a word or a constant name has no digit, a
/// number no letter), and a length an unpadded encoding can have. Letters
/// alone (the encoding of a run of digits: `GQYTCMJR…`) qualify when the
/// run carries its padding of three or more `=` (`pad`), which a word does
/// not.
fn is_base32_run(run: &[u8], pad: usize) -> bool {
    let (mut upper, mut lower, mut digit) = (false, false, false);
    for &c in run {
        match c {
            b'A'..=b'Z' => upper = true,
            b'a'..=b'z' => lower = true,
            b'2'..=b'7' => digit = true,
            _ => return false,
        }
    }
    let padded = matches!((run.len() % 8, pad), (2, 6) | (4, 4) | (5, 3));
    (upper != lower) && (digit || padded) && matches!(run.len() % 8, 0 | 2 | 4 | 5 | 7)
}

/// The 5-bit value of a base32 symbol (either case).
fn base32_value(c: u8) -> Option<u8> {
    Some(match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a',
        b'2'..=b'7' => c - b'2' + 26,
        _ => return None,
    })
}

/// Runs that may be base64 (≥ [`MIN_BASE64`] characters of one alphabet,
/// optional `=` padding), hex (≥ [`MIN_HEX`] hex digits, even length) or
/// base32 (≥ [`MIN_BASE32`] characters, see `is_base32_run`; such a run is
/// also a base64 candidate, and at most one of the two decodes to text).
/// Plausibility only; [`decode_blob`] decides whether a run is text.
pub fn find_blobs(text: &str) -> Vec<Blob> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() && out.len() < MAX_BLOBS {
        if !is_b64(b[i]) {
            i += 1;
            continue;
        }
        let s = i;
        while i < b.len() && is_b64(b[i]) {
            i += 1;
        }
        let mut e = i;
        // Strip identifier dashes/underscores at the edges.
        let mut s2 = s;
        while s2 < e && matches!(b[s2], b'-' | b'_') {
            s2 += 1;
        }
        while e > s2 && matches!(b[e - 1], b'-' | b'_') {
            e -= 1;
        }
        let run = &b[s2..e];
        let mut pad_end = i;
        while pad_end < b.len() && pad_end < i + 2 && b[pad_end] == b'=' && e == i {
            pad_end += 1;
        }
        if run.len() >= MIN_HEX
            && run.len().is_multiple_of(2)
            && run.iter().all(u8::is_ascii_hexdigit)
        {
            out.push(Blob {
                start: s2,
                end: e,
                layer: Layer::Hex,
            });
        } else if run.len() >= MIN_BASE64 && run.len() % 4 != 1 {
            let std = run.iter().any(|c| matches!(c, b'+' | b'/'));
            let url = run.iter().any(|c| matches!(c, b'-' | b'_'));
            // One alphabet, and not a plain path or word list.
            if !(std && url) {
                out.push(Blob {
                    start: s2,
                    end: if pad_end > i { pad_end } else { e },
                    layer: Layer::Base64,
                });
            }
        }
        if run.len() >= MIN_BASE32 && out.len() < MAX_BLOBS {
            let mut end = e;
            while e == i && end < b.len() && end < e + 6 && b[end] == b'=' {
                end += 1;
            }
            if is_base32_run(run, end - e) {
                out.push(Blob {
                    start: s2,
                    end,
                    layer: Layer::Base32,
                });
                pad_end = pad_end.max(end);
            }
        }
        i = pad_end.max(i);
    }
    out
}

/// The 6-bit value of a base64 symbol, standard (`+/`) or URL-safe (`-_`).
pub fn base64_value(c: u8) -> Option<u8> {
    Some(match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' | b'-' => 62,
        b'/' | b'_' => 63,
        _ => return None,
    })
}

/// Decode base64 in either alphabet, stopping at `=` padding and skipping
/// ASCII whitespace. None for any other byte, for input without a symbol,
/// or when the output would exceed `max` bytes.
pub fn base64_decode(s: &str, max: usize) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity((s.len() * 3 / 4).min(max));
    let (mut acc, mut bits, mut symbols) = (0u32, 0u32, 0usize);
    for c in s.bytes() {
        let v = match c {
            b'=' => break,
            b' ' | b'\n' | b'\r' | b'\t' => continue,
            _ => base64_value(c)?,
        };
        symbols += 1;
        acc = (acc << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
            if out.len() > max {
                return None;
            }
        }
    }
    (symbols > 0).then_some(out)
}

/// Decode a blob of `text` when it decodes to printable UTF-8 text (at most
/// `max` bytes); None for binary data.
pub fn decode_blob(text: &str, blob: &Blob, max: usize) -> Option<String> {
    let run = &text.as_bytes()[blob.start..blob.end];
    let max = max.min(MAX_DECODED);
    let mut out: Vec<u8> = Vec::with_capacity((run.len() * 3 / 4).min(max));
    // Early rejection: a byte that cannot occur in printable UTF-8 text.
    let ok_byte = |x: u8| x >= 0x20 || matches!(x, b'\n' | b'\r' | b'\t');
    match blob.layer {
        Layer::Hex => {
            for pair in run.chunks_exact(2) {
                if out.len() >= max {
                    break;
                }
                let x = (hex_val(pair[0])? * 16 + hex_val(pair[1])?) as u8;
                if !ok_byte(x) || x == 0x7f {
                    return None;
                }
                out.push(x);
            }
        }
        Layer::Base64 => {
            let mut acc = 0u32;
            let mut bits = 0;
            for &c in run {
                if c == b'=' {
                    break;
                }
                if out.len() >= max {
                    break;
                }
                acc = (acc << 6) | base64_value(c)? as u32;
                bits += 6;
                if bits >= 8 {
                    bits -= 8;
                    let x = (acc >> bits) as u8;
                    acc &= (1 << bits) - 1;
                    if !ok_byte(x) || x == 0x7f {
                        return None;
                    }
                    out.push(x);
                }
            }
        }
        Layer::Base32 => {
            let mut acc = 0u32;
            let mut bits = 0;
            for &c in run {
                if c == b'=' || out.len() >= max {
                    break;
                }
                acc = (acc << 5) | base32_value(c)? as u32;
                bits += 5;
                if bits >= 8 {
                    bits -= 8;
                    let x = (acc >> bits) as u8;
                    acc &= (1 << bits) - 1;
                    if !ok_byte(x) || x == 0x7f {
                        return None;
                    }
                    out.push(x);
                }
            }
        }
        _ => return None,
    }
    if out.len() < 6 {
        return None;
    }
    // A truncated blob may end inside a UTF-8 sequence.
    let s = match String::from_utf8(out) {
        Ok(s) => s,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let mut v = e.into_bytes();
            if v.len() - valid > 3 || valid == 0 {
                return None;
            }
            v.truncate(valid);
            String::from_utf8(v).ok()?
        }
    };
    // Text, not a lucky run of printable bytes: at least one letter or
    // digit and no C1 controls.
    if !s.chars().all(printable) || !s.chars().any(|c| c.is_alphanumeric()) {
        return None;
    }
    // Decoding must have revealed something: a run of letters that decodes
    // to letters only is far more likely an identifier than an encoding, so
    // require the decoded text to differ in shape (a digit, a space or
    // punctuation).
    if !s
        .bytes()
        .any(|c| c.is_ascii_digit() || c == b' ' || c.is_ascii_punctuation() || c >= 0x80)
    {
        return None;
    }
    Some(s)
}

/// All views of `text` (not including `text` itself): at most one view
/// undoing Unicode tricks, escapes and concatenation together, then one view
/// per encoded blob that decodes to text (and their own views, recursively
/// to [`MAX_DEPTH`]).
pub fn views(text: &str) -> Vec<View> {
    let mut out = Vec::new();
    let mut budget = MAX_TOTAL_DECODED;
    level(text, 0, &mut budget, &mut out);
    out
}

/// Context kept around each changed region in the combined view: enough for
/// the label words skills look for before a value (`account no.`, `nric:`)
/// and for the value itself; windows are then widened to whole lines (up to
/// `LINE_SNAP` more bytes each way) so line-local judgements (comments,
/// string literals) see the same line as in the original.
pub const CONTEXT: usize = 256;
/// How far a window is widened to reach a line boundary.
const LINE_SNAP: usize = 512;

/// Original byte ranges that the Unicode, escape or concatenation layer
/// would change, in text order (possibly overlapping). One linear pass that
/// skips uninteresting bytes 32 at a time.
pub fn changed_regions(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(p) = next_special(b, i) {
        i = p;
        let c = b[i];
        if c >= 0x80 {
            // Start of a multi-byte character (`next_special` only stops on
            // character starts, continuation bytes are skipped below).
            let ch = text[i..].chars().next().unwrap_or('\u{FFFD}');
            let len = ch.len_utf8();
            if fold_char(ch) != Fold::Keep {
                out.push((i, i + len));
            }
            i += len;
            continue;
        }
        match c {
            b'%' | b'&' => {
                if let Some((_, len)) = escape_at(b, i) {
                    out.push((i, i + len));
                    i += len;
                    continue;
                }
            }
            b'\\' => {
                if let Some((_, len)) = escape_at(b, i) {
                    out.push((i, i + len));
                    i += len;
                    continue;
                }
                let cont = continuation(b, i);
                if cont > 0 {
                    out.push((i, i + cont));
                    i += cont;
                    continue;
                }
            }
            q @ (b'"' | b'\'' | b'`') if i > 0 && b[i - 1] != b'\\' && b[i - 1] != q => {
                if let Some((s, e)) = empty_interpolation(b, i) {
                    out.push((s, e));
                    i = e;
                    continue;
                }
                if q == b'"'
                    && b.get(i + 1) == Some(&b's')
                    && let Some((close, gaps)) = notebook_source(b, i)
                    && !gaps.is_empty()
                {
                    out.push((i, close + 1));
                    i = close + 1;
                    continue;
                }
                if let Some(k) = concat_gap(b, i) {
                    out.push((i, k + 1));
                    i = k + 1;
                    continue;
                }
                // A `concat` or `join` call on string literals: the call is
                // in the window (its pieces lie within the context around
                // it).
                if in_call_on_literals(b, i) {
                    out.push((i, i + 1));
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// Whether a byte can start something [`changed_regions`] looks at (a
/// non-ASCII character starts at a byte ≥ 0xC0).
#[inline]
fn is_special(c: u8) -> bool {
    (c >= 0xC0)
        | (c == b'%')
        | (c == b'&')
        | (c == b'\\')
        | (c == b'"')
        | (c == b'\'')
        | (c == b'`')
}

/// The first byte at or after `i` that [`is_special`] accepts.
#[inline]
fn next_special(b: &[u8], i: usize) -> Option<usize> {
    crate::text::find_byte(b, i, is_special)
}

/// Merge changed regions into windows: each widened by [`CONTEXT`] and
/// then to line boundaries (at most [`LINE_SNAP`] further), overlapping
/// windows joined.
fn windows(text: &str, regions: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let n = b.len();
    let mut raw: Vec<(usize, usize)> = Vec::new();
    for &(s, e) in regions {
        let (ws, we) = (s.saturating_sub(CONTEXT), (e + CONTEXT).min(n));
        match raw.last_mut() {
            Some(last) if ws <= last.1 => last.1 = last.1.max(we),
            _ => raw.push((ws, we)),
        }
    }
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(raw.len());
    for (ws, we) in raw {
        let floor = ws.saturating_sub(LINE_SNAP);
        let ws = match b[floor..ws].iter().rposition(|&c| c == b'\n') {
            Some(p) => floor + p + 1,
            None if floor == 0 => 0,
            None => ws,
        };
        let ceil = (we + LINE_SNAP).min(n);
        let we = match b[we..ceil].iter().position(|&c| c == b'\n') {
            Some(p) => we + p,
            None if ceil == n => n,
            None => we,
        };
        let ws = crate::text::floor_char_boundary(text, ws);
        let we = crate::text::ceil_char_boundary(text, we);
        match out.last_mut() {
            Some(last) if ws <= last.1 => last.1 = last.1.max(we),
            _ => out.push((ws, we)),
        }
    }
    out
}

/// Unicode folding, unescaping and joining of one slice, composed.
fn combined(slice: &str) -> Option<View> {
    let mut cur: Option<View> = None;
    for t in [fold_unicode, unescape, join_concatenation] {
        let src = cur.as_ref().map_or(slice, |v| v.text.as_str());
        if let Some(v) = t(src) {
            cur = Some(match cur {
                Some(p) => compose(&p, v),
                None => v,
            });
        }
    }
    cur
}

/// The combined view of `text`, built only over the windows around changed
/// regions (joined by newlines): a text whose only oddity is one `"a" + "b"`
/// costs a few hundred bytes of view, not a copy of the whole file. Every
/// finding a skill can make outside the windows it already made on the
/// original text.
fn windowed_view(text: &str, windows: &[(usize, usize)]) -> Option<View> {
    if let [(0, e)] = windows
        && *e == text.len()
    {
        return combined(text);
    }
    let cap: usize = windows.iter().map(|w| w.1 - w.0 + 1).sum();
    let mut out = Builder::new(cap);
    let mut layers: Vec<Layer> = Vec::new();
    for (k, &(ws, we)) in windows.iter().enumerate() {
        if k > 0 {
            // The separator maps to an empty range at the window start.
            out.push('\n', ws, ws);
        }
        match combined(&text[ws..we]) {
            Some(v) => {
                for l in &v.layers {
                    if !layers.contains(l) {
                        layers.push(*l);
                    }
                }
                let base = out.text.len();
                out.text.push_str(&v.text);
                for i in 0..v.text.len() {
                    let (s, e) = v.original_range(i, i + 1);
                    out.starts.push((ws + s) as u32);
                    out.ends.push((ws + e) as u32);
                }
                debug_assert_eq!(out.starts.len(), base + v.text.len());
            }
            None => out.copy(text, ws, we),
        }
    }
    if layers.is_empty() {
        return None;
    }
    // Keep the layers in pipeline order for notes.
    let order = [Layer::Unicode, Layer::Escapes, Layer::Concatenation];
    layers.sort_by_key(|l| order.iter().position(|o| o == l));
    Some(View {
        text: out.text,
        layers,
        map: Map::Bytes {
            starts: out.starts,
            ends: out.ends,
        },
        orig_len: text.len(),
    })
}

fn level(text: &str, depth: u8, budget: &mut usize, out: &mut Vec<View>) {
    let regions = changed_regions(text);
    let wins = windows(text, &regions);
    let cur = if wins.is_empty() {
        None
    } else {
        windowed_view(text, &wins)
    };
    // Blobs outside the windows are found on the original text, those
    // inside on the view (where an escaped or split blob has been undone).
    let mut blobs: Vec<(bool, Blob)> = Vec::new();
    if depth < MAX_DEPTH {
        let outside = |bl: &Blob| !wins.iter().any(|&(ws, we)| bl.start < we && ws < bl.end);
        blobs.extend(
            find_blobs(text)
                .into_iter()
                .filter(|bl| cur.is_none() || outside(bl))
                .map(|bl| (false, bl)),
        );
        if let Some(v) = &cur {
            blobs.extend(find_blobs(&v.text).into_iter().map(|bl| (true, bl)));
        }
        blobs.truncate(MAX_BLOBS);
    }
    let mut decoded_views = Vec::new();
    for (in_view, blob) in blobs {
        if *budget == 0 {
            break;
        }
        let (base, (os, oe)) = match (&cur, in_view) {
            (Some(v), true) => (v.text.as_str(), v.original_range(blob.start, blob.end)),
            _ => (text, (blob.start, blob.end)),
        };
        let Some(decoded) = decode_blob(base, &blob, *budget) else {
            continue;
        };
        *budget = budget.saturating_sub(decoded.len());
        let whole = |layers: Vec<Layer>, t: String| View {
            text: t,
            layers,
            map: Map::Whole(os, oe),
            orig_len: text.len(),
        };
        let mut inner = Vec::new();
        level(&decoded, depth + 1, budget, &mut inner);
        decoded_views.push(whole(vec![blob.layer], decoded));
        for v in inner {
            let mut layers = vec![blob.layer];
            layers.extend(v.layers);
            decoded_views.push(whole(layers, v.text));
        }
    }
    if let Some(v) = cur {
        out.push(v);
    }
    out.extend(decoded_views);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(s: &str) -> String {
        const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let b = s.as_bytes();
        let mut out = String::new();
        for ch in b.chunks(3) {
            let n = ch.len();
            let v = (ch[0] as u32) << 16
                | (*ch.get(1).unwrap_or(&0) as u32) << 8
                | *ch.get(2).unwrap_or(&0) as u32;
            for k in 0..4 {
                if k <= n {
                    out.push(T[((v >> (18 - 6 * k)) & 63) as usize] as char);
                } else {
                    out.push('=');
                }
            }
        }
        out
    }

    fn find<'a>(vs: &'a [View], needle: &str) -> Option<(&'a View, usize)> {
        vs.iter().find_map(|v| v.text.find(needle).map(|p| (v, p)))
    }

    #[test]
    fn fullwidth_and_zero_width_map_back() {
        let t = "id: Ｓ１２３４５６７Ｄ and 4111\u{200B}1111\u{00AD}1111 1111.";
        let vs = views(t);
        assert_eq!(vs.len(), 1);
        let (v, p) = find(&vs, "S1234567D").unwrap();
        let (s, e) = v.original_range(p, p + 9);
        assert_eq!(&t[s..e], "Ｓ１２３４５６７Ｄ");
        let (v, p) = find(&vs, "411111111111 1111").unwrap();
        let (s, e) = v.original_range(p, p + 12);
        assert_eq!(&t[s..e], "4111\u{200B}1111\u{00AD}1111");
    }

    #[test]
    fn homoglyphs() {
        let t = "Ѕ1234567D Т7654321J Τ1234567J";
        let v = &views(t)[0];
        assert_eq!(v.text, "S1234567D T7654321J T1234567J");
        let (s, e) = v.original_range(0, 9);
        assert_eq!(&t[s..e], "Ѕ1234567D");
    }

    #[test]
    fn escapes() {
        let t = "q=%53%31%32%33%34%35%36%37%44&x=\\u0053123\\x34567D &#83;1";
        let v = &views(t)[0];
        assert!(v.text.contains("q=S1234567D&x=S1234567D S1"), "{}", v.text);
        let p = v.text.find("S1234567D").unwrap();
        let (s, e) = v.original_range(p, p + 9);
        assert_eq!(&t[s..e], "%53%31%32%33%34%35%36%37%44");
        // Newlines and NULs are not decoded.
        assert!(unescape("a%0Ab\\u0000").is_none());
    }

    #[test]
    fn concatenation() {
        let t = "card = \"4111\" + \"1111\" +\n   \"1111\" \"1111\"\nx = 'a' . 'b'\ny = 41\\\n11";
        let v = join_concatenation(t).unwrap();
        assert!(v.text.contains("card = \"4111111111111111\""), "{}", v.text);
        assert!(v.text.contains("x = 'ab'"));
        assert!(v.text.contains("y = 4111"));
        let p = v.text.find("4111111111111111").unwrap();
        let (s, e) = v.original_range(p, p + 16);
        assert_eq!(&t[s..e], "4111\" + \"1111\" +\n   \"1111\" \"1111");
        // Not joined: separate arguments, empty literals.
        assert!(join_concatenation("f(\"4111\", \"1111\")").is_none());
        assert!(join_concatenation("x = \"\" ").is_none());
    }

    fn b32(s: &str) -> String {
        const T: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        let mut out = String::new();
        let (mut acc, mut bits) = (0u32, 0u32);
        for &c in s.as_bytes() {
            acc = (acc << 8) | c as u32;
            bits += 8;
            while bits >= 5 {
                bits -= 5;
                out.push(T[((acc >> bits) & 31) as usize] as char);
            }
            acc &= (1 << bits) - 1;
        }
        if bits > 0 {
            out.push(T[((acc << (5 - bits)) & 31) as usize] as char);
        }
        while !out.len().is_multiple_of(8) {
            out.push('=');
        }
        out
    }

    #[test]
    fn octal_escapes() {
        let t = r"x = '\123\061\062\063' + y";
        let v = unescape(t).unwrap();
        assert_eq!(v.text, "x = 'S123' + y");
        let (s, e) = v.original_range(5, 9);
        assert_eq!(&t[s..e], r"\123\061\062\063");
        // Not octal: two digits, a digit 8, `\4xx` (over 255), NUL.
        for t in [r"\12x", r"\128", r"\400", r"\000", r"\1"] {
            assert!(unescape(t).is_none(), "{t}");
        }
    }

    #[test]
    fn empty_literals_and_interpolations_are_joined() {
        for (t, want) in [
            ("a = \"S123\" \"\" \"4567D\"", "a = \"S1234567D\""),
            ("a = 'S123' + '' + '4567D'", "a = 'S1234567D'"),
            ("a = `S123${\"\"}4567D`", "a = `S1234567D`"),
            ("a = `S123${''}4567D`", "a = `S1234567D`"),
            ("a = f\"S123{''}4567D\"", "a = f\"S1234567D\""),
            ("a = \"S123#{\"\"}4567D\"", "a = \"S1234567D\""),
        ] {
            let v = join_concatenation(t).unwrap_or_else(|| panic!("{t}"));
            assert_eq!(v.text, want);
            let p = v.text.find("S1234567D").unwrap();
            let (s, e) = v.original_range(p, p + 9);
            assert!(t[s..e].starts_with("S123") && t[s..e].ends_with("4567D"));
            assert!(!changed_regions(t).is_empty(), "{t}");
        }
        // Benign twins: an empty literal alone, a triple quote, a dict key,
        // an argument list.
        for t in [
            "x = \"\"",
            "x = \"a\" \"\"\"doc\"\"\"",
            "d = {\"\": 1}",
            "f('a', '', 'b')",
            "s = \"{}\".format(x)",
        ] {
            let joined = join_concatenation(t).map(|v| v.text);
            assert!(
                joined.as_deref().is_none_or(|j| !j.contains("a\"\"\"")),
                "{t}: {joined:?}"
            );
        }
        assert!(join_concatenation("f('a', '', 'b')").is_none());
        assert!(join_concatenation("d = {\"\": 1}").is_none());
    }

    /// `t` is joined to `want`, and the NRIC in it maps back to `covered`
    /// (from its first piece to its last) in the original text.
    fn assert_joined(t: &str, want: &str, covered: &str) {
        let v = join_concatenation(t).unwrap_or_else(|| panic!("{t}"));
        assert_eq!(v.text, want, "{t}");
        let p = v.text.find("S1234567D").unwrap();
        let (s, e) = v.original_range(p, p + 9);
        assert_eq!(&t[s..e], covered, "{t}");
        assert!(!changed_regions(t).is_empty(), "{t}");
        assert!(find(&views(t), "S1234567D").is_some(), "{t}");
    }

    #[test]
    fn concat_calls_are_joined() {
        for (t, want, covered) in [
            (
                "const nric = \"S123\".concat(\"4567D\");",
                "const nric = \"S1234567D\");",
                "S123\".concat(\"4567D",
            ),
            (
                "String nric = \"S1\" .concat( \"23\" ).concat('4567D');",
                "String nric = \"S1234567D');",
                "S1\" .concat( \"23\" ).concat('4567D",
            ),
            (
                "x = \"S123\".concat(\"45\", \"67D\")",
                "x = \"S1234567D\")",
                "S123\".concat(\"45\", \"67D",
            ),
            (
                "x = \"\".concat(\"S123\", \"4567D\")",
                "x = \"\".concat(\"S1234567D\")",
                "S123\", \"4567D",
            ),
            (
                "var n = String.Concat(\"S123\", \"4567D\");",
                "var n = String.Concat(\"S1234567D\");",
                "S123\", \"4567D",
            ),
            (
                "SELECT CONCAT('S123', '4567D') AS nric",
                "SELECT CONCAT('S1234567D') AS nric",
                "S123', '4567D",
            ),
        ] {
            assert_joined(t, want, covered);
        }
        // Not joined: a call on something else than a literal with a
        // non-literal argument, separate arguments of another call, an
        // argument that is not a literal, a method named otherwise.
        for t in [
            "a.concat(b)",
            "f(\"S123\", \"4567D\")",
            "x = \"S123\".concat(rest, \"4567D\")",
            "x = \"S123\".concatenate(\"4567D\")",
            "x = \"S123\".concat()",
            "x = \"S123\".then(\"4567D\")",
            "x = \"S1\".concat(\"23\"); f(\"4567\", \"D\")",
        ] {
            let joined = join_concatenation(t).map(|v| v.text);
            assert!(
                joined.as_deref().is_none_or(|j| !j.contains("S1234567D")),
                "{t}: {joined:?}"
            );
            assert!(
                views(t).iter().all(|v| !v.text.contains("S1234567D")),
                "{t}"
            );
        }
        assert!(join_concatenation("f(\"S123\", \"4567D\")").is_none());
        assert!(join_concatenation("x = \"S123\".concat(rest, \"4567D\")").is_none());
        // A chain ends with its call: a later argument list is not joined.
        let v = join_concatenation("x = \"S1\".concat(\"23\"); f(\"4567\", \"D\")").unwrap();
        assert_eq!(v.text, "x = \"S123\"); f(\"4567\", \"D\")");
    }

    #[test]
    fn joined_lists_are_joined() {
        for (t, want, covered) in [
            (
                "const nric = ['S','1','2','3','4','5','6','7','D'].join('');",
                "const nric = 'S1234567D'.join('');",
                "S','1','2','3','4','5','6','7','D",
            ),
            (
                "nric = ''.join(['S123', '4567D'])",
                "nric = ''.join('S1234567D')",
                "S123', '4567D",
            ),
            (
                "nric = \"\".join((\n    \"S123\",\n    \"4567D\",\n))",
                "nric = \"\".join(\"S1234567D\")",
                "S123\",\n    \"4567D",
            ),
            (
                "nric = ['S123', \"4567D\"].join",
                "nric = 'S1234567D'.join",
                "S123', \"4567D",
            ),
        ] {
            assert_joined(t, want, covered);
        }
        // The joiner goes between the pieces, mapped to itself.
        let t = "n = '-'.join(['S', '1234567', 'D'])";
        let v = join_concatenation(t).unwrap();
        assert_eq!(v.text, "n = '-'.join('S-1234567-D')");
        let p = v.text.find("S-").unwrap();
        assert_eq!(v.original_range(p + 1, p + 2), (5, 6));
        let t = "n = ['S', '1234567', 'D'].join(' ')";
        assert!(
            join_concatenation(t)
                .unwrap()
                .text
                .contains("'S 1234567 D'")
        );
        // Not joined: a list nobody joins, a list with anything but string
        // literals, a joiner that is not a literal, a lone piece, a list
        // joined with a variable.
        for t in [
            "x = ['S123', '4567D']",
            "x = [a, 'S123', '4567D'].join('')",
            "x = ['S123', '4567D', 3].join('')",
            "x = ['S123', '4567D'].join(sep)",
            "x = ['S1234567D'].join('')",
            "x = sep.join(['S123', '4567D'])",
            "x = ''.join(pieces)",
            "x = ['S123' + y, '4567D'].join('')",
            "{\"tags\": [\"S123\", \"4567D\"]}",
        ] {
            assert!(
                join_concatenation(t).is_none(),
                "{t}: {:?}",
                join_concatenation(t)
            );
            assert!(views(t).is_empty(), "{t}");
        }
        // Odd input does not panic.
        for t in [
            "[",
            "['",
            "['a',",
            "['a','b']",
            "['a','b'].",
            "['a','b'].join(",
            "['a','b'].join('",
            "''.join([",
            "''.join(['a','b'",
            "''.join",
        ] {
            let _ = join_concatenation(t);
            let _ = views(t);
        }
    }

    #[test]
    fn yaml_continuation_drops_the_indentation() {
        let t = "nric: \"S123\\\n    4567D\"\nnext: 1\n";
        let v = join_concatenation(t).unwrap();
        assert!(v.text.starts_with("nric: \"S1234567D\"\n"), "{}", v.text);
        let p = v.text.find("S1234567D").unwrap();
        let (s, e) = v.original_range(p, p + 9);
        assert_eq!(&t[s..e], "S123\\\n    4567D");
        let vs = views(t);
        assert!(find(&vs, "S1234567D").is_some());
    }

    #[test]
    fn notebook_source_arrays_are_joined() {
        let t = "{\"cells\": [{\"cell_type\": \"code\", \"source\": [\n    \"x = 'S123\",\n    \"4567D'\"\n   ]}]}";
        let v = join_concatenation(t).unwrap();
        assert!(v.text.contains("\"x = 'S1234567D'\""), "{}", v.text);
        let p = v.text.find("S1234567D").unwrap();
        let (s, e) = v.original_range(p, p + 9);
        assert_eq!(&t[s..e], "S123\",\n    \"4567D");
        assert!(find(&views(t), "S1234567D").is_some());
        // Lines that end in `\n` are separate lines: nothing to join.
        let t = "{\"source\": [\"a = 1\\n\", \"b = 2\\n\", \"S123\\n\", \"4567D\"]}";
        assert!(
            join_concatenation(t).is_none(),
            "{:?}",
            join_concatenation(t)
        );
        assert!(changed_regions(t).is_empty());
        // Not a source array: a list of strings under another key, or a
        // malformed one.
        assert!(join_concatenation("{\"tags\": [\"S123\",\n \"4567D\"]}").is_none());
        for t in [
            "\"source\": [\"a\", 1]",
            "\"source\": [\"a",
            "\"source\": [",
            "\"source\":",
        ] {
            let _ = join_concatenation(t);
            let _ = views(t);
        }
    }

    #[test]
    fn base32_blobs() {
        let secret = "nric S1234567D";
        let enc = b32(secret);
        let t = format!("token = \"{enc}\"");
        let vs = views(&t);
        let (v, _) = find(&vs, "S1234567D").unwrap_or_else(|| panic!("{vs:?}"));
        assert_eq!(v.blob_layer(), Some(Layer::Base32));
        assert_eq!(v.note(), "base32-encoded");
        let (s, e) = v.original_range(0, 1);
        assert_eq!(&t[s..e], enc);
        // Lower case too, and a bare value (15 characters).
        let bare = b32("S1234567D").trim_end_matches('=').to_ascii_lowercase();
        assert_eq!(bare.len(), MIN_BASE32);
        assert!(find(&views(&format!("k={bare}")), "S1234567D").is_some());
        // Digits encode to letters only: found with the padding, not without.
        let digits = b32("4111111111111111");
        assert!(digits.bytes().all(|c| c.is_ascii_uppercase() || c == b'='));
        assert!(find(&views(&format!("t=\"{digits}\"")), "4111111111111111").is_some());
        let bare = digits.trim_end_matches('=');
        assert!(find(&views(&format!("t=\"{bare}\"")), "4111111111111111").is_none());
        // Padded words that are not base32 of text: no decoded view.
        for t in [
            "x = \"SECTIONHEADERTITLE======\"",
            "QWERTYUIOPASDFGHJKLZXC====",
            "ABCDEFGHIJKLMNOPQRSTU===",
        ] {
            assert!(views(t).iter().all(|v| !v.is_blob()), "{t}: {:?}", views(t));
        }
        // Base32-looking identifiers that decode to garbage, constant names,
        // an AWS-style key id: no decoded view.
        for t in [
            "JBSWY3DPEHPK3PXPJBSWY3DP",
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567",
            "MAX_CONNECTION_POOL_SIZE_LIMIT",
            "AKIAIOSFODNN7EXAMPLE",
            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
        ] {
            let vs = views(t);
            assert!(
                vs.iter().all(|v| v.blob_layer() != Some(Layer::Base32)
                    || !v.text.contains("S1234567D")),
                "{t}: {vs:?}"
            );
        }
        assert!(
            views("JBSWY3DPEHPK3PXPJBSWY3DP7QZ2")
                .iter()
                .all(|v| v.blob_layer() != Some(Layer::Base32))
        );
    }

    #[test]
    fn base64_decoding_both_alphabets() {
        assert_eq!(
            base64_decode("eyJhbGciOiJIUzI1NiJ9", usize::MAX).unwrap(),
            br#"{"alg":"HS256"}"#
        );
        assert!(base64_decode("a*b", usize::MAX).is_none());
        assert_eq!(base64_decode("cm0gLXJmIC8=", 64).unwrap(), b"rm -rf /");
        assert!(base64_decode("cm0gLXJmIC8=", 4).is_none());
        assert!(base64_decode("", 64).is_none());
    }

    #[test]
    fn base64_and_hex_blobs() {
        let secret = "nric S1234567D";
        let t = format!("data = \"{}\" and {}", b64(secret), "5331323334353637440a");
        let vs = views(&t);
        let (v, _) = find(&vs, "S1234567D").unwrap();
        assert_eq!(v.blob_layer(), Some(Layer::Base64));
        let (s, e) = v.original_range(0, 1);
        assert_eq!(&t[s..e], b64(secret));
        assert!(
            vs.iter()
                .any(|v| v.blob_layer() == Some(Layer::Hex) && v.text.starts_with("S1234567D"))
        );
        // Nested: base64 of hex of the text, depth 2.
        let hex: String = secret.bytes().map(|c| format!("{c:02x}")).collect();
        let t = b64(&hex);
        assert!(find(&views(&t), "S1234567D").is_some());
        // Depth 3 is not decoded.
        let t3 = b64(&b64(&hex));
        assert!(find(&views(&t3), "S1234567D").is_none());
    }

    #[test]
    fn binary_and_words_are_not_blobs() {
        // A PNG header, a SHA-256, identifiers and paths.
        let png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
        let sha = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        let t = format!("{png} {sha} getUserAccountNumber /usr/local/bin/python3");
        assert!(views(&t).iter().all(|v| !v.is_blob()), "{:?}", views(&t));
    }

    #[test]
    fn bounded() {
        let big = b64(&"S1234567D ".repeat(20_000));
        let vs = views(&big);
        let v = vs.iter().find(|v| v.is_blob()).unwrap();
        assert!(v.text.len() <= MAX_DECODED);
        assert!(views("").is_empty());
        assert!(views("plain ascii, nothing to see").is_empty());
    }

    #[test]
    fn never_panics_on_odd_input() {
        for t in [
            "\\",
            "%",
            "%4",
            "&#",
            "&#x;",
            "\\u{",
            "\\u{}",
            "\\u{110000}",
            "\"",
            "\"\"\"",
            "'+'",
            "\\\r",
            "\u{200B}",
            "Ｓ",
            "=",
            "====",
            "\\ud800",
        ] {
            for v in views(t) {
                let (s, e) = v.original_range(0, v.text.len());
                assert!(s <= e && e <= t.len() && t.is_char_boundary(s) && t.is_char_boundary(e));
            }
        }
    }

    #[test]
    fn windowed_view_is_small_and_maps_back() {
        let filler = "fn f(x: u32) -> u32 { x + 1 } // ordinary code\n".repeat(2000);
        let t = format!("{filler}card = \"4111\" + \"1111\" + \"1111\" + \"1111\"\n{filler}");
        let vs = views(&t);
        assert_eq!(vs.len(), 1);
        let v = &vs[0];
        assert!(
            v.text.len() < 2 * (CONTEXT + LINE_SNAP) + 100,
            "{}",
            v.text.len()
        );
        let (v, p) = find(&vs, "4111111111111111").unwrap();
        let (s, e) = v.original_range(p, p + 16);
        assert_eq!(&t[s..e], "4111\" + \"1111\" + \"1111\" + \"1111");
        // Two far-apart changes: two windows in one view, both mapped.
        let t2 = format!("a = \"S123\" \"4567D\"\n{filler}b = \"\\u0053\\u0031234567D\"\n");
        let vs = views(&t2);
        assert_eq!(vs.len(), 1);
        assert!(vs[0].layers.contains(&Layer::Escapes));
        assert!(vs[0].layers.contains(&Layer::Concatenation));
        let hits: Vec<(usize, usize)> = vs[0]
            .text
            .match_indices("S1234567D")
            .map(|(p, _)| vs[0].original_range(p, p + 9))
            .collect();
        assert_eq!(hits.len(), 2);
        assert_eq!(&t2[hits[0].0..hits[0].1], "S123\" \"4567D");
        assert_eq!(&t2[hits[1].0..hits[1].1], "\\u0053\\u0031234567D");
        // Nothing changed: no view at all.
        assert!(views(&filler).is_empty());
    }

    /// The windowed view finds every value the whole-text combined view
    /// finds, at the same original range.
    #[test]
    fn windowed_view_agrees_with_whole_text_view() {
        let pad = "ordinary words without anything to undo ".repeat(30) + "\n";
        let pieces = [
            pad.as_str(),
            pad.as_str(),
            pad.as_str(),
            "x = 1\n",
            "call(\"a\", \"b\")\n",
            "card = \"4111\" + \"1111\" +\n  \"1111\" \"1111\"\n",
            "id = \"Ｓ１２３４５６７Ｄ\"\n",
            "u = \"%53%31%32%33%34%35%36%37%44\"\n",
            "j = \"\\u0053\\u00311234567D\"\n",
            "long line of ordinary words that pads the text out a bit more\n",
            "s = 'it''s' + x\n",
            "y = 41\\\n11\n",
            "t = `S123${\"\"}4567D` + f\"S12{''}34567D\"\n",
            "o = \"\\123\\061234567D\"\n",
            "c: \"S1234\\\n    567D\"\n",
            "{\"source\": [\"S123\",\n \"4567D\"]}\n",
            "k = \"S12\".concat(\"34567D\", \"\")\n",
            "v = ['S','1','2','3','4','5','6','7','D'].join('')\n",
            "w = ''.join(['4111', '1111', '1111', '1111'])\n",
        ];
        let mut seed = 0x9E37_79B9_u32;
        let mut windowed = 0;
        for _ in 0..200 {
            let mut t = String::new();
            for _ in 0..60 {
                seed ^= seed << 13;
                seed ^= seed >> 17;
                seed ^= seed << 5;
                t.push_str(pieces[(seed as usize) % pieces.len()]);
            }
            let whole = combined(&t);
            let vs = views(&t);
            let win = vs.iter().find(|v| !v.is_blob());
            assert_eq!(whole.is_some(), win.is_some(), "{t}");
            windowed += win.is_some_and(|w| w.text.len() + 200 < t.len()) as usize;
            let (Some(whole), Some(win)) = (whole, win) else {
                continue;
            };
            for needle in ["4111111111111111", "S1234567D", "4111"] {
                let mut a: Vec<(usize, usize)> = whole
                    .text
                    .match_indices(needle)
                    .map(|(p, _)| whole.original_range(p, p + needle.len()))
                    .collect();
                let mut b: Vec<(usize, usize)> = win
                    .text
                    .match_indices(needle)
                    .map(|(p, _)| win.original_range(p, p + needle.len()))
                    .collect();
                a.sort();
                a.dedup();
                b.sort();
                b.dedup();
                // Values the original already shows need not be in a window.
                a.retain(|&(s, e)| &t[s..e] != needle);
                b.retain(|&(s, e)| &t[s..e] != needle);
                assert_eq!(a, b, "{needle} in {t}");
            }
        }
        // Most texts had more than one window.
        assert!(windowed > 100, "{windowed}");
    }
}
