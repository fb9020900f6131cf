//! A small tokenizer for the three languages whose source declares Azure functions (Python,
//! JavaScript/TypeScript, C#): enough to find decorators, calls and attributes with their
//! arguments without being fooled by strings and comments. It never fails: text it does not
//! understand becomes [`Tok::Punct`] tokens.

/// Which comment and string syntax applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Python,
    Js,
    CSharp,
}

/// A token kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tok {
    /// An identifier or keyword.
    Ident(String),
    /// A string literal's value (escapes decoded for the common cases). `plain` is false for
    /// strings with interpolation (`f"…{x}"`, `` `…${x}` ``, `$"…{x}"`), whose value is not known.
    Str { value: String, plain: bool },
    /// A number literal, as written.
    Num(String),
    /// One punctuation character.
    Punct(char),
    /// The end of a Python logical line (outside brackets). Other languages have none.
    Newline,
}

/// A token and its byte span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub tok: Tok,
    pub start: usize,
    pub end: usize,
    /// For an opening bracket, the index just after its closing bracket (the end of the tokens
    /// when it is never closed); 0 for other tokens. Computed once, so skipping a group is O(1)
    /// however the brackets nest or fail to close.
    pub close: usize,
}

impl Token {
    pub fn ident(&self) -> Option<&str> {
        match &self.tok {
            Tok::Ident(s) => Some(s),
            _ => None,
        }
    }

    pub fn is_punct(&self, c: char) -> bool {
        self.tok == Tok::Punct(c)
    }
}

/// Tokenizes `text`.
pub fn tokenize(text: &str, lang: Lang) -> Vec<Token> {
    let mut lx = Lexer {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        lang,
        depth: 0,
        out: Vec::new(),
    };
    lx.run();
    let mut toks = lx.out;
    let mut open: Vec<usize> = Vec::new();
    for i in 0..toks.len() {
        match toks[i].tok {
            Tok::Punct('(' | '[' | '{') => open.push(i),
            Tok::Punct(')' | ']' | '}') => {
                if let Some(o) = open.pop() {
                    toks[o].close = i + 1;
                }
            }
            _ => {}
        }
    }
    let len = toks.len();
    for o in open {
        toks[o].close = len;
    }
    toks
}

struct Lexer<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    lang: Lang,
    /// Bracket depth, for Python's implicit line joining.
    depth: usize,
    out: Vec<Token>,
}

impl Lexer<'_> {
    fn peek(&self, ahead: usize) -> Option<u8> {
        self.bytes.get(self.pos + ahead).copied()
    }

    fn push(&mut self, tok: Tok, start: usize) {
        self.out.push(Token {
            tok,
            start,
            end: self.pos,
            close: 0,
        });
    }

    fn run(&mut self) {
        while let Some(c) = self.peek(0) {
            let start = self.pos;
            match c {
                b'\n' => {
                    self.pos += 1;
                    if self.lang == Lang::Python
                        && self.depth == 0
                        && !matches!(self.out.last().map(|t| &t.tok), Some(Tok::Newline) | None)
                    {
                        self.push(Tok::Newline, start);
                    }
                }
                b'\\' if self.lang == Lang::Python && matches!(self.peek(1), Some(b'\n')) => {
                    self.pos += 2; // explicit line joining
                }
                b'#' if self.lang == Lang::Python => self.skip_line(),
                b'/' if self.lang != Lang::Python && self.peek(1) == Some(b'/') => self.skip_line(),
                b'/' if self.lang != Lang::Python && self.peek(1) == Some(b'*') => {
                    self.pos += 2;
                    match self.text[self.pos..].find("*/") {
                        Some(i) => self.pos += i + 2,
                        None => self.pos = self.bytes.len(),
                    }
                }
                b'/' if self.lang == Lang::Js && self.regex_allowed() => self.skip_regex(),
                b'"' | b'\'' => self.string(start, c, true),
                b'`' if self.lang == Lang::Js => self.template(start),
                b'@' if self.lang == Lang::CSharp && self.peek(1) == Some(b'"') => {
                    self.pos += 1;
                    self.verbatim(start);
                }
                b'$' if self.lang == Lang::CSharp && matches!(self.peek(1), Some(b'"' | b'@')) => {
                    self.pos += 1;
                    if self.peek(0) == Some(b'@') {
                        self.pos += 1;
                        self.verbatim(start);
                    } else {
                        self.string(start, b'"', false);
                    }
                    if let Some(Token {
                        tok: Tok::Str { plain, .. },
                        ..
                    }) = self.out.last_mut()
                    {
                        *plain = false;
                    }
                }
                c if c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 => self.word(start),
                c if c.is_ascii_digit() => {
                    while self
                        .peek(0)
                        .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'.' || c == b'_')
                    {
                        self.pos += 1;
                    }
                    let s = self.text[start..self.pos].to_string();
                    self.push(Tok::Num(s), start);
                }
                c if c.is_ascii_whitespace() => self.pos += 1,
                _ => {
                    let ch = self.text[self.pos..].chars().next().unwrap_or('\u{fffd}');
                    self.pos += ch.len_utf8().max(1);
                    match ch {
                        '(' | '[' | '{' => self.depth += 1,
                        ')' | ']' | '}' => self.depth = self.depth.saturating_sub(1),
                        _ => {}
                    }
                    self.push(Tok::Punct(ch), start);
                }
            }
        }
    }

    fn skip_line(&mut self) {
        match memchr::memchr(b'\n', &self.bytes[self.pos..]) {
            Some(i) => self.pos += i,
            None => self.pos = self.bytes.len(),
        }
    }

    /// An identifier; in Python, a string prefix (`r`, `b`, `f`, `rb`...) directly before a quote
    /// starts a string instead.
    fn word(&mut self, start: usize) {
        while let Some(c) = self.peek(0) {
            if c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80 {
                self.pos += 1;
            } else {
                break;
            }
        }
        // Never split a UTF-8 sequence: extend to a char boundary.
        while !self.text.is_char_boundary(self.pos) {
            self.pos += 1;
        }
        let word = &self.text[start..self.pos];
        if self.lang == Lang::Python
            && word.len() <= 2
            && word
                .bytes()
                .all(|b| matches!(b.to_ascii_lowercase(), b'r' | b'b' | b'f' | b'u'))
            && let Some(q @ (b'"' | b'\'')) = self.peek(0)
        {
            let lower = word.to_ascii_lowercase();
            let raw = lower.contains('r');
            let interpolated = lower.contains('f');
            self.string(start, q, !raw);
            if interpolated
                && let Some(Token {
                    tok: Tok::Str { plain, value },
                    ..
                }) = self.out.last_mut()
                && value.contains('{')
            {
                *plain = false;
            }
            return;
        }
        self.push(Tok::Ident(word.to_string()), start);
    }

    /// A quoted string starting at `self.pos` (the opening quote). Python triple quotes are
    /// recognised. `escapes`: backslash escapes are decoded.
    fn string(&mut self, start: usize, quote: u8, escapes: bool) {
        let triple =
            self.lang == Lang::Python && self.peek(1) == Some(quote) && self.peek(2) == Some(quote);
        self.pos += if triple { 3 } else { 1 };
        let mut value = String::new();
        while let Some(c) = self.peek(0) {
            if c == quote {
                if !triple {
                    self.pos += 1;
                    break;
                }
                if self.peek(1) == Some(quote) && self.peek(2) == Some(quote) {
                    self.pos += 3;
                    break;
                }
            }
            if c == b'\n' && !triple && self.lang != Lang::Js {
                break; // unterminated single-line string
            }
            if c == b'\\' {
                let next = self.peek(1);
                self.pos += 1;
                let Some(n) = next else { break };
                if escapes {
                    match n {
                        b'n' => value.push('\n'),
                        b't' => value.push('\t'),
                        b'\\' | b'"' | b'\'' | b'`' => value.push(n as char),
                        _ => {
                            value.push('\\');
                            continue;
                        }
                    }
                    self.pos += 1;
                } else {
                    value.push('\\');
                    if n == quote || n == b'\\' {
                        value.push(n as char);
                        self.pos += 1;
                    }
                }
                continue;
            }
            let ch = self.text[self.pos..].chars().next().unwrap_or('\u{fffd}');
            value.push(ch);
            self.pos += ch.len_utf8().max(1);
        }
        self.push(Tok::Str { value, plain: true }, start);
    }

    /// A C# verbatim string `@"…"` (`""` is a quote), `self.pos` at the quote.
    fn verbatim(&mut self, start: usize) {
        self.pos += 1;
        let mut value = String::new();
        while let Some(c) = self.peek(0) {
            if c == b'"' {
                if self.peek(1) == Some(b'"') {
                    value.push('"');
                    self.pos += 2;
                    continue;
                }
                self.pos += 1;
                break;
            }
            let ch = self.text[self.pos..].chars().next().unwrap_or('\u{fffd}');
            value.push(ch);
            self.pos += ch.len_utf8().max(1);
        }
        self.push(Tok::Str { value, plain: true }, start);
    }

    /// A JavaScript template literal; `${…}` parts are skipped with their nesting.
    fn template(&mut self, start: usize) {
        self.pos += 1;
        let mut value = String::new();
        let mut plain = true;
        while let Some(c) = self.peek(0) {
            match c {
                b'`' => {
                    self.pos += 1;
                    break;
                }
                b'\\' => {
                    self.pos += 1;
                    if let Some(n) = self.peek(0) {
                        value.push(n as char);
                        self.pos += 1;
                    }
                }
                b'$' if self.peek(1) == Some(b'{') => {
                    plain = false;
                    self.pos += 2;
                    let mut depth = 1usize;
                    while let Some(c) = self.peek(0) {
                        self.pos += 1;
                        match c {
                            b'{' => depth += 1,
                            b'}' => {
                                depth -= 1;
                                if depth == 0 {
                                    break;
                                }
                            }
                            _ => {}
                        }
                    }
                }
                _ => {
                    let ch = self.text[self.pos..].chars().next().unwrap_or('\u{fffd}');
                    value.push(ch);
                    self.pos += ch.len_utf8().max(1);
                }
            }
        }
        self.push(Tok::Str { value, plain }, start);
    }

    /// A `/` starts a regular expression after an operator or at the start (the usual heuristic).
    fn regex_allowed(&self) -> bool {
        match self.out.last().map(|t| &t.tok) {
            None => true,
            Some(Tok::Punct(c)) => !matches!(c, ')' | ']' | '}'),
            Some(Tok::Ident(w)) => matches!(
                w.as_str(),
                "return" | "typeof" | "case" | "in" | "of" | "new" | "delete" | "void" | "throw"
            ),
            _ => false,
        }
    }

    fn skip_regex(&mut self) {
        let start = self.pos;
        self.pos += 1;
        let mut in_class = false;
        while let Some(c) = self.peek(0) {
            match c {
                b'\\' => self.pos += 1,
                b'[' => in_class = true,
                b']' => in_class = false,
                b'/' if !in_class => {
                    self.pos += 1;
                    while self.peek(0).is_some_and(|c| c.is_ascii_alphabetic()) {
                        self.pos += 1;
                    }
                    return;
                }
                b'\n' => {
                    // Not a regex after all: treat the slash as punctuation.
                    self.pos = start + 1;
                    self.push(Tok::Punct('/'), start);
                    return;
                }
                _ => {}
            }
            self.pos += 1;
        }
        self.pos = self.pos.min(self.bytes.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str, lang: Lang) -> Vec<Tok> {
        tokenize(text, lang).into_iter().map(|t| t.tok).collect()
    }

    fn s(v: &str) -> Tok {
        Tok::Str {
            value: v.into(),
            plain: true,
        }
    }

    #[test]
    fn python_strings_comments_and_lines() {
        let t = toks(
            "x = r'a\\b' # c\n@app.route(\n  route=\"\"\"r\"\"\")\ndef f(): pass\n",
            Lang::Python,
        );
        assert_eq!(t[2], s("a\\b"));
        assert_eq!(t[3], Tok::Newline);
        assert_eq!(t[4], Tok::Punct('@'));
        assert!(t.contains(&s("r")));
        // No newline inside the brackets.
        let nl = t.iter().filter(|t| **t == Tok::Newline).count();
        assert_eq!(nl, 3);
    }

    #[test]
    fn f_strings_with_fields_are_not_plain() {
        let t = toks("f'{x}' f'y'", Lang::Python);
        assert_eq!(
            t[0],
            Tok::Str {
                value: "{x}".into(),
                plain: false
            }
        );
        assert_eq!(t[1], s("y"));
    }

    #[test]
    fn js_templates_regexes_and_comments() {
        let t = toks(
            "const r = /a'b\"/g; // 'x\napp.http(`n${1}`, { route: 'a' }) /* ' */",
            Lang::Js,
        );
        assert!(t.contains(&Tok::Ident("app".into())));
        assert!(t.contains(&s("a")));
        assert!(t.contains(&Tok::Str {
            value: "n".into(),
            plain: false
        }));
        assert!(
            !t.iter()
                .any(|x| matches!(x, Tok::Str { value, .. } if value.contains('b')))
        );
    }

    #[test]
    fn csharp_verbatim_and_interpolated() {
        let t = toks(
            r#"[HttpTrigger(AuthorizationLevel.Anonymous, @"a""b", $"c{d}")]"#,
            Lang::CSharp,
        );
        assert!(t.contains(&s("a\"b")));
        assert!(t.contains(&Tok::Str {
            value: "c{d}".into(),
            plain: false
        }));
    }

    #[test]
    fn brackets_know_their_closing_index() {
        let t = tokenize("a(b[c]{)", Lang::Js);
        assert_eq!(t[3].close, 6); // `[c]`
        assert_eq!(t[6].close, 8); // `{` is closed by the `)`: brackets of any kind pair
        assert_eq!(t[1].close, 8); // `(` is never closed: the end of the tokens
    }

    #[test]
    fn hostile_text_never_panics() {
        for text in [
            "'", "\"\"\"", "`${", "@\"", "$\"", "/", "/[", "é'é", "\\", "r'\\",
        ] {
            for lang in [Lang::Python, Lang::Js, Lang::CSharp] {
                let _ = tokenize(text, lang);
            }
        }
    }
}
