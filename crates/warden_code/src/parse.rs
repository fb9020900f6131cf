//! Parsing source text with tree-sitter: the language of a file and its syntax tree.

use crate::error::CodeError;
use std::path::Path;
use std::sync::Arc;
use tree_sitter::{Parser, Tree};

/// A language the analysis reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    JavaScript,
    TypeScript,
    /// TypeScript with JSX (`.tsx`).
    Tsx,
    Python,
}

impl Lang {
    /// The language of a file by its extension.
    pub fn from_path(path: &Path) -> Option<Lang> {
        match path.extension()?.to_str()? {
            "js" | "mjs" | "cjs" | "jsx" => Some(Lang::JavaScript),
            "ts" | "mts" | "cts" => Some(Lang::TypeScript),
            "tsx" => Some(Lang::Tsx),
            "py" => Some(Lang::Python),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Lang::JavaScript => "javascript",
            Lang::TypeScript => "typescript",
            Lang::Tsx => "tsx",
            Lang::Python => "python",
        }
    }

    /// True for JavaScript and TypeScript (one lowering serves both).
    pub fn is_js(self) -> bool {
        !matches!(self, Lang::Python)
    }

    fn grammar(self) -> tree_sitter::Language {
        match self {
            Lang::JavaScript => tree_sitter_javascript::LANGUAGE.into(),
            Lang::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
            Lang::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
            Lang::Python => tree_sitter_python::LANGUAGE.into(),
        }
    }
}

/// A parsed file: its text and the (error-tolerant) syntax tree over it.
pub struct ParsedFile {
    pub lang: Lang,
    pub source: Arc<str>,
    pub tree: Tree,
}

impl std::fmt::Debug for ParsedFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ParsedFile")
            .field("lang", &self.lang)
            .field("bytes", &self.source.len())
            .finish()
    }
}

impl ParsedFile {
    /// True when the tree contains syntax errors (it is still usable: tree-sitter recovers).
    pub fn has_errors(&self) -> bool {
        self.tree.root_node().has_error()
    }

    /// The text of a node.
    pub fn text(&self, node: tree_sitter::Node<'_>) -> &str {
        self.source.get(node.byte_range()).unwrap_or("")
    }
}

/// Parses `text` as `lang`. Syntax errors do not fail: the tree marks them.
pub fn parse(lang: Lang, text: impl Into<Arc<str>>) -> Result<ParsedFile, CodeError> {
    let source: Arc<str> = text.into();
    let mut parser = Parser::new();
    parser
        .set_language(&lang.grammar())
        .map_err(|_| CodeError::Grammar(lang.as_str()))?;
    let tree = parser
        .parse(source.as_bytes(), None)
        .ok_or(CodeError::NoTree)?;
    Ok(ParsedFile { lang, source, tree })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_language() {
        for (lang, text) in [
            (Lang::JavaScript, "exports.handler = async (e) => e.body;"),
            (
                Lang::TypeScript,
                "export const handler = async (e: any): Promise<string> => e.body;",
            ),
            (Lang::Tsx, "const x = <div>{1}</div>;"),
            (
                Lang::Python,
                "def handler(event, context):\n    return event['body']\n",
            ),
        ] {
            let parsed = parse(lang, text).unwrap();
            assert!(!parsed.has_errors(), "{lang:?}");
        }
    }

    #[test]
    fn syntax_errors_still_give_a_tree() {
        let parsed = parse(Lang::Python, "def handler(event:\n  return ((((\n").unwrap();
        assert!(parsed.has_errors());
    }

    #[test]
    fn languages_by_extension() {
        assert_eq!(
            Lang::from_path(Path::new("a/b.mjs")),
            Some(Lang::JavaScript)
        );
        assert_eq!(Lang::from_path(Path::new("a/b.ts")), Some(Lang::TypeScript));
        assert_eq!(Lang::from_path(Path::new("b.py")), Some(Lang::Python));
        assert_eq!(Lang::from_path(Path::new("b.rb")), None);
    }
}
