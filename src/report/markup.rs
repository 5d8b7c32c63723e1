//! The one escape rule for text that goes into HTML or SVG markup.

use crate::text::is_hidden;

/// `text` made safe as HTML or XML character data and as a quoted attribute value: `&`,
/// `<`, `>`, `"` and `'` as character references, so that it can open no tag, entity or
/// attribute; and every hidden character (a control, a bidi control that would reorder
/// the page around it, a zero-width character, a noncharacter, which XML forbids: see
/// [`is_hidden`]) as U+FFFD, so that what a reader sees is what the text holds. Tab, line
/// feed and carriage return stay: they are white space in both.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if is_hidden(c) => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn text_cannot_become_markup() {
        assert_eq!(
            escape("<script>alert('x')</script>"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"
        );
        assert_eq!(escape("a\" onload=\"x"), "a&quot; onload=&quot;x");
        assert_eq!(escape("&amp;"), "&amp;amp;");
        assert_eq!(
            escape("x\u{1b}[31m\u{202e}y\u{0}"),
            "x\u{fffd}[31m\u{fffd}y\u{fffd}"
        );
        assert_eq!(escape("Cymraeg: Byw’n Dda\n"), "Cymraeg: Byw’n Dda\n");
    }
}
