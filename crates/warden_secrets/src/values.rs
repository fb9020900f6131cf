//! Values: references, placeholders, examples and weak passwords, decided before any detector
//! reports a literal.
//!
//! Choices (documented in the README):
//! - A *reference* (`{{resolve:…}}`, `${ssm:…}`, `${VAR}`, an ARN, `@Microsoft.KeyVault(…)`,
//!   `!Ref`, a Terraform `var.x`) is never a plaintext secret.
//! - *Markup* (`<your-key>`, `xxxx`, `****`, `[REDACTED]`, `%s`, `{password}`, `your_token_here`,
//!   values containing `example`, `dummy`, `fake`, `sample`) is never reported: it cannot be a
//!   working secret.
//! - A *weak* value (`changeme`, `password`, `admin`, `Passw0rd!`, `123456`) is not reported by
//!   [`crate::scan_text`] (documentation and tests are full of them) but is reported by
//!   [`crate::classify_value`] as `weak-password` (low confidence) when it sits under a password
//!   name: a template or environment value is deployed as written, so a placeholder there is a
//!   real, guessable password.

/// What a candidate value is, before detectors judge it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Nothing there.
    Empty,
    /// Points at a secret store, a parameter or a variable.
    Reference,
    /// Placeholder markup, masked text or an example: never a working secret.
    Markup,
    /// A default or dictionary password.
    Weak,
    /// A literal that may be a secret.
    Literal,
}

/// Known public example values that are not secrets (from vendors' documentation).
const KNOWN_EXAMPLES: &[&str] = &[
    // The Azure Storage emulator's published account key (devstoreaccount1).
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
];

/// Words that mark a value as illustrative (matched case-insensitively as substrings).
const MARKUP_WORDS: &[&str] = &[
    "example",
    "sample",
    "dummy",
    "placeholder",
    "redacted",
    "changeit_",
    "your_",
    "your-",
    "yourpassword",
    "yourtoken",
    "yoursecret",
    "yourkey",
    "insert",
    "replace",
    "todo",
    "fixme",
    "fake",
    "mock",
    "notreal",
    "not-real",
    "not_real",
    "here",
    "secret-value",
    "secret_value",
    "test",
];

/// Words that, alone, are type names or flags rather than values.
const STOP_VALUES: &[&str] = &[
    "true",
    "false",
    "yes",
    "no",
    "on",
    "off",
    "null",
    "nil",
    "none",
    "undefined",
    "nan",
    "string",
    "str",
    "text",
    "int",
    "integer",
    "number",
    "bool",
    "boolean",
    "object",
    "required",
    "optional",
    "hidden",
    "masked",
    "secure",
    "securestring",
    "sensitive",
    "bytes",
    "any",
    "unknown",
    "value",
    "env",
    "auto",
    "noecho",
];

/// Dictionary of default and very common passwords (compared after lower-casing and stripping
/// trailing digits and punctuation).
const WEAK: &[&str] = &[
    "password",
    "passw0rd",
    "p@ssw0rd",
    "p@ssword",
    "pa55word",
    "pass",
    "passwd",
    "pwd",
    "changeme",
    "change_me",
    "change-me",
    "changeit",
    "secret",
    "s3cret",
    "admin",
    "administrator",
    "root",
    "toor",
    "guest",
    "letmein",
    "qwerty",
    "welcome",
    "master",
    "abc",
    "iloveyou",
    "postgres",
    "mysql",
    "oracle",
    "sa",
    "user",
    "login",
    "demo",
    "local",
    "dev",
    "development",
    "default",
    "pass123",
    "test",
    "",
    "foobar",
    "foo",
    "bar",
    "hunter",
    "monkey",
    "dragon",
    "hello",
    "helloworld",
    "sunshine",
    "princess",
    "football",
    "baseball",
    "trustno",
];

/// True when `v` is one of the known public example values.
pub(crate) fn is_known_example(v: &str) -> bool {
    KNOWN_EXAMPLES.contains(&v)
}

/// True when the whole `value` is a reference to a secret store, parameter or variable rather
/// than a literal.
pub fn is_reference(value: &str) -> bool {
    let v = value.trim().trim_matches(|c| c == '"' || c == '\'');
    if v.is_empty() {
        return false;
    }
    let lower = v.to_ascii_lowercase();
    // CloudFormation dynamic references, Serverless variables and other `${…}` interpolations,
    // GitHub Actions / Jinja / Helm `{{ … }}`, Spring/Ruby `#{…}`, MSBuild `$(…)`.
    if lower.contains("{{resolve:")
        || (v.starts_with("${") && v.ends_with('}'))
        || (v.starts_with("{{") && v.ends_with("}}"))
        || (v.starts_with("#{") && v.ends_with('}'))
        || (v.starts_with("$(") && v.ends_with(')'))
        || (v.starts_with('%') && v.ends_with('%') && v.len() > 2)
    {
        return true;
    }
    // `$VAR` shell variables.
    if let Some(rest) = v.strip_prefix('$') {
        if !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return true;
        }
    }
    // ARNs of any service (Secrets Manager, SSM, KMS…) and Azure Key Vault references.
    if lower.starts_with("arn:") || lower.starts_with("@microsoft.keyvault(") {
        return true;
    }
    // YAML intrinsic functions and their JSON forms.
    for p in [
        "!ref",
        "!getatt",
        "!sub",
        "!importvalue",
        "!findinmap",
        "!join",
        "!select",
        "!if",
    ] {
        if lower.starts_with(p) {
            return true;
        }
    }
    if lower.starts_with("{\"ref\"") || lower.starts_with("{\"fn::") || lower.starts_with("ref:") {
        return true;
    }
    // Secret-store URIs.
    for p in [
        "ssm:",
        "secretsmanager:",
        "sm://",
        "vault:",
        "vault://",
        "op://",
        "keyvault:",
        "akv://",
        "gcpsm://",
        "awssm://",
        "secret://",
        "secrets://",
    ] {
        if lower.starts_with(p) {
            return true;
        }
    }
    // GCP Secret Manager resource names.
    if lower.starts_with("projects/") && lower.contains("/secrets/") {
        return true;
    }
    // Terraform references and code expressions that read the environment.
    let tf_ref = [
        "var.",
        "local.",
        "data.",
        "module.",
        "each.",
        "random_password.",
    ];
    if tf_ref.iter().any(|p| lower.starts_with(p))
        && v.bytes().all(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b'[' | b']' | b'"' | b'*')
        })
    {
        return true;
    }
    for p in [
        "process.env",
        "os.environ",
        "os.getenv(",
        "getenv(",
        "system.getenv(",
        "env(",
        "env.",
        "environment.getenvironmentvariable(",
        "config(",
        "settings.",
    ] {
        if lower.starts_with(p) {
            return true;
        }
    }
    false
}

/// True when `v` is masked text, markup or an example.
pub(crate) fn is_markup(v: &str) -> bool {
    let lower = v.to_ascii_lowercase();
    if KNOWN_EXAMPLES.contains(&v) {
        return true;
    }
    if MARKUP_WORDS.iter().any(|w| lower.contains(w)) {
        return true;
    }
    if STOP_VALUES.contains(&lower.as_str()) {
        return true;
    }
    // `<your-key>`, `[REDACTED]`, `(hidden)`.
    let b = v.as_bytes();
    if let (Some(&f), Some(&l)) = (b.first(), b.last()) {
        if matches!((f, l), (b'<', b'>') | (b'[', b']') | (b'(', b')')) {
            return true;
        }
    }
    // Format strings and templates: `%s`, `{}`, `{password}`, `{0}`, `${…}` inside.
    if lower.contains("%s") || lower.contains("%(") || lower.contains("%d") || lower.contains("${")
    {
        return true;
    }
    if let (Some(o), Some(c)) = (v.find('{'), v.rfind('}')) {
        if o < c {
            return true;
        }
    }
    // Ellipses and masks: `...`, `****`, `xxxx`, `••••`, a single repeated character.
    if lower.contains("...")
        || lower.contains("***")
        || lower.contains("xxxx")
        || v.contains('…')
        || v.contains('•')
    {
        return true;
    }
    let mut chars = v.chars();
    if let Some(first) = chars.next() {
        if v.chars().count() >= 3 && chars.all(|c| c == first) {
            return true;
        }
    }
    false
}

/// Words whose presence makes a value a placeholder-grade password (`MySecretPassword1!`).
const WEAK_PARTS: &[&str] = &[
    "password",
    "passwd",
    "changeme",
    "letmein",
    "qwerty",
    "secret",
    "helloworld",
];

/// Undoes common character substitutions (`P@$$w0rd` → `password`).
fn unleet(v: &str) -> String {
    v.chars()
        .map(|c| match c.to_ascii_lowercase() {
            '@' | '4' => 'a',
            '$' | '5' => 's',
            '0' => 'o',
            '1' | '!' => 'i',
            '3' => 'e',
            '7' => 't',
            c => c,
        })
        .collect()
}

/// True when `v` is a default or dictionary password.
pub(crate) fn is_weak(v: &str) -> bool {
    let lower = v.to_ascii_lowercase();
    let stem = lower.trim_end_matches(|c: char| c.is_ascii_digit() || c.is_ascii_punctuation());
    let stem = stem.trim_start_matches(|c: char| c.is_ascii_punctuation());
    if WEAK.contains(&stem) {
        return true;
    }
    let plain = unleet(v);
    if WEAK.contains(&unleet(stem).as_str()) || WEAK_PARTS.iter().any(|w| plain.contains(w)) {
        return true;
    }
    // Short all-digit PINs and keyboard runs.
    if v.len() <= 10 && v.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    crate::entropy::longest_sequence(v.as_bytes()) >= v.len().max(4) - 1
}

/// True for identifier-shaped text: several lower-case words joined by `_`, `-` or `.`
/// (`user_password`, `db-secret-name`, `app.config.key`), or an upper-case constant name.
pub(crate) fn is_identifier(v: &str) -> bool {
    let parts: Vec<&str> = v.split(['_', '-', '.']).collect();
    if parts.len() < 2 || parts.iter().any(|p| p.is_empty()) {
        return false;
    }
    let all_lower = parts
        .iter()
        .all(|p| p.bytes().all(|b| b.is_ascii_lowercase()));
    let all_upper = parts
        .iter()
        .all(|p| p.bytes().all(|b| b.is_ascii_uppercase()));
    all_lower || all_upper
}

/// True for values that are a path, a URL without credentials, an e-mail address, a host name
/// or a date: shapes that secret names sometimes hold but that are not secrets.
pub(crate) fn is_locator(v: &str) -> bool {
    let lower = v.to_ascii_lowercase();
    let b = v.as_bytes();
    // ISO 8601 dates and timestamps (`2016-09-23T19:04:21Z`).
    if b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
    {
        return true;
    }
    if lower.starts_with('/')
        || lower.starts_with("./")
        || lower.starts_with("../")
        || lower.starts_with("~/")
        || lower.starts_with("file:")
        || (lower.len() > 2
            && lower.as_bytes()[1] == b':'
            && matches!(lower.as_bytes()[2], b'\\' | b'/'))
    {
        return true;
    }
    if let Some(i) = lower.find("://") {
        // URLs are judged by the URL detectors (which look for inline credentials).
        return lower[..i]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+');
    }
    if lower.contains('@') && lower.contains('.') && !lower.contains(':') {
        return true;
    }
    // Host names and dotted names: lower-case letters, digits, dots and dashes, two dots or more.
    v.matches('.').count() >= 2
        && v.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'-'))
        && !v.bytes().all(|b| b.is_ascii_digit() || b == b'.')
}

/// Classifies a candidate literal (already unquoted).
pub(crate) fn vet(v: &str) -> Verdict {
    let t = v.trim();
    if t.is_empty() {
        return Verdict::Empty;
    }
    if is_reference(t) {
        return Verdict::Reference;
    }
    if is_markup(t) {
        return Verdict::Markup;
    }
    if is_weak(t) {
        return Verdict::Weak;
    }
    Verdict::Literal
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references() {
        for v in [
            "{{resolve:secretsmanager:MySecret:SecretString:password}}",
            "{{resolve:ssm-secure:/db/pw:1}}",
            "${ssm:/app/db/password}",
            "${self:custom.dbPassword}",
            "${DB_PASSWORD}",
            "${{ secrets.TOKEN }}",
            "$DB_PASSWORD",
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf",
            "arn:aws:ssm:eu-west-1:123456789012:parameter/db/pw",
            "@Microsoft.KeyVault(SecretUri=https://v.vault.azure.net/secrets/pw/)",
            "!Ref DbPassword",
            "var.db_password",
            "random_password.db.result",
            "process.env.DB_PASSWORD",
            "projects/p/secrets/db-password/versions/latest",
            "%DB_PASSWORD%",
        ] {
            assert!(is_reference(v), "{v}");
            assert_eq!(vet(v), Verdict::Reference, "{v}");
        }
        assert!(!is_reference("hunter2"));
        assert!(!is_reference("$"));
        assert!(!is_reference("postgres://u:p@h/db"));
    }

    #[test]
    fn markup_and_weak() {
        for v in [
            "<your-key>",
            "xxxx",
            "XXXXXXXX",
            "****",
            "[REDACTED]",
            "%s",
            "{password}",
            "your_token_here",
            "EXAMPLE",
            "AKIAIOSFODNN7EXAMPLE",
            "dummy-secret",
            "true",
            "string",
            "...",
        ] {
            assert_eq!(vet(v), Verdict::Markup, "{v}");
        }
        for v in [
            "changeme",
            "password",
            "Password1!",
            "P@ssw0rd",
            "admin",
            "123456",
            "root",
            "qwerty123",
            "abcdef",
            "Pa$$w0rd",
            "securePassword123",
            "MySecretPassword123!",
            "HelloWorld123!",
            "PassWordMustBeAtLeast6Chars.",
        ] {
            assert_eq!(vet(v), Verdict::Weak, "{v}");
        }
        for v in ["hunter2x", "S7v!qpLr3z", "q8Vd3LmZ2xTf9RkW7pNc"] {
            assert_eq!(vet(v), Verdict::Literal, "{v}");
        }
        assert_eq!(vet("  "), Verdict::Empty);
    }

    #[test]
    fn shapes() {
        assert!(is_identifier("user_password"));
        assert!(is_identifier("DB_PASSWORD"));
        assert!(!is_identifier("hunter2"));
        assert!(is_locator("/var/run/secret"));
        assert!(is_locator("https://api.example.org/token"));
        assert!(is_locator("ops@example.org"));
        assert!(is_locator("api.eu.example.org"));
        assert!(is_locator("2016-09-23T19:04:21Z"));
        assert!(!is_locator("q8Vd3LmZ2xTf9RkW7pNc"));
    }
}
