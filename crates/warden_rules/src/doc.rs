//! Rule documentation from doc comments: the `///` block above a rule's `pub struct` is its
//! documentation (headings *What it does*, *Why is this bad?*, *Insecure example*,
//! *Secure alternative*, *References*).

/// The Markdown documentation of the first documented `pub struct` in a rule file's source.
pub fn extract(source: &str) -> String {
    let mut block: Vec<&str> = Vec::new();
    for line in source.lines() {
        let trimmed = line.trim_start();
        if let Some(doc) = trimmed.strip_prefix("///") {
            block.push(doc.strip_prefix(' ').unwrap_or(doc));
        } else if trimmed.starts_with("pub struct") && !block.is_empty() {
            return block.join("\n").trim().to_string();
        } else if !trimmed.starts_with("#[") {
            block.clear();
        }
    }
    String::new()
}

/// The first sentence of the *What it does* section.
pub fn summary(doc: &str) -> String {
    let body: String = doc
        .lines()
        .skip_while(|l| !l.starts_with("## What it does"))
        .skip(1)
        .take_while(|l| !l.starts_with("## "))
        .collect::<Vec<_>>()
        .join(" ");
    let body = body.trim();
    match body.find(". ") {
        Some(i) => body[..=i].to_string(),
        None => body.to_string(),
    }
}

/// The section headings every rule document must have, in order.
pub const HEADINGS: [&str; 5] = [
    "## What it does",
    "## Why is this bad?",
    "## Insecure example",
    "## Secure alternative",
    "## References",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extracts_the_block_above_the_struct() {
        let src = "//! module\n\n/// ## What it does\n/// Flags things. More.\n#[derive(Debug)]\npub struct X;\n";
        let doc = extract(src);
        assert_eq!(doc, "## What it does\nFlags things. More.");
        assert_eq!(summary(&doc), "Flags things.");
    }
}
