//! Text that came from outside, made safe to show: the one rule for what counts as a hidden
//! character, and the one way errors quote a value.

use std::fmt;

/// The most characters of a value an error message shows.
const SHOWN: usize = 64;

/// Whether `c` would be hidden or misleading on screen: a control character, a bidi control
/// (which reorders the text around it), a zero-width or invisible formatting character, a
/// line or paragraph separator, or a Unicode noncharacter (which XML forbids).
pub(crate) fn is_hidden(c: char) -> bool {
    let u = c as u32;
    c.is_control()
        || matches!(u,
            0x00AD | 0x034F | 0x061C | 0x115F | 0x1160 | 0x17B4 | 0x17B5 | 0x180B..=0x180F
            | 0x200B..=0x200F | 0x2028..=0x202E | 0x2060..=0x206F | 0x3164 | 0xFE00..=0xFE0F
            | 0xFEFF | 0xFFA0 | 0xFFF0..=0xFFF8 | 0xE0000..=0xE0FFF | 0xFDD0..=0xFDEF)
        || u & 0xFFFE == 0xFFFE
}

/// A value as an error message quotes it: hidden characters as `\u{..}` escapes (and `\`
/// as `\\`), so that nothing in it can move the cursor, recolour a terminal or reorder the
/// message; at most 64 characters, then `…` and the value's length.
///
/// ```text
/// quote("x\u{1b}[31my") -> x\u{1b}[31my
/// quote(&"a".repeat(1000)) -> aaaa…aaaa… (1000 bytes)
/// ```
pub(crate) fn quote<S: AsRef<str> + ?Sized>(value: &S) -> Quoted<'_> {
    Quoted(value.as_ref())
}

/// See [`quote`].
pub(crate) struct Quoted<'a>(&'a str);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut chars = self.0.chars();
        for c in chars.by_ref().take(SHOWN) {
            match c {
                '\\' => f.write_str("\\\\")?,
                c if is_hidden(c) => write!(f, "\\u{{{:x}}}", c as u32)?,
                c => write!(f, "{c}")?,
            }
        }
        if chars.next().is_some() {
            write!(f, "… ({} bytes)", self.0.len())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_characters_are_shown_as_escapes() {
        assert_eq!(quote("a\u{1b}[2Jb").to_string(), "a\\u{1b}[2Jb");
        assert_eq!(quote("abc\u{202e}cba").to_string(), "abc\\u{202e}cba");
        assert_eq!(quote("zero\u{200b}width").to_string(), "zero\\u{200b}width");
        assert_eq!(quote("\u{fffe}").to_string(), "\\u{fffe}");
        assert_eq!(quote("back\\slash").to_string(), "back\\\\slash");
        assert_eq!(quote("café, naïve: ok").to_string(), "café, naïve: ok");
    }

    #[test]
    fn long_values_are_cut_with_their_length() {
        let long = "é".repeat(100);
        let shown = quote(&long).to_string();
        assert_eq!(shown, format!("{}… (200 bytes)", "é".repeat(64)));
        assert_eq!(quote(&"x".repeat(64)).to_string(), "x".repeat(64));
    }

    #[test]
    fn what_is_hidden() {
        for c in [
            '\0',
            '\t',
            '\u{7f}',
            '\u{85}',
            '\u{2066}',
            '\u{2069}',
            '\u{feff}',
            '\u{1fffe}',
        ] {
            assert!(is_hidden(c), "{c:?}");
        }
        for c in ['a', ' ', 'ß', '中', '😀', '\u{2d}'] {
            assert!(!is_hidden(c), "{c:?}");
        }
    }
}
