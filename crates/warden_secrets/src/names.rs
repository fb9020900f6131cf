//! Key names: which configuration keys, variables and properties hold secrets.
//!
//! A name is split into lower-case words (`DB_PASSWORD`, `dbPassword`, `db-password` and
//! `dbpassword` all give `db`, `password`). It is secret-like when it contains a secret word
//! (`password`, `secret`, `token`, `api key`, `private key`, …) that is not followed by a word
//! that turns it into metadata about a secret (`SECRET_ARN`, `TOKEN_TABLE_NAME`,
//! `PASSWORD_MIN_LENGTH`, `DB_SECRET_NAME`, `DB_PASSWORD_PARAM`), nor preceded by a word that
//! makes it a non-credential token (`NEXT_TOKEN`, `PAGINATION_TOKEN`, `MAX_TOKENS`).

/// What kind of secret a name announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NameClass {
    /// A password or passphrase: any literal is a (possibly weak) secret.
    Password,
    /// A token, API key, client secret, private or signing key: judged by entropy.
    Secret,
    /// An HTTP `Authorization` value (`Bearer …`, `Basic …`).
    Authorization,
    /// `aws_secret_access_key` and friends.
    AwsSecretKey,
    /// A Twilio auth token.
    TwilioToken,
    /// An `.npmrc` `_authToken`.
    NpmAuthToken,
}

/// Words that make a name a password.
const PASSWORD_WORDS: &[&str] = &["password", "passwd", "passphrase", "pword", "pwd"];
/// Short password words accepted only as the last word (`DB_PASS`, `SMTP_PW`).
const PASSWORD_TAIL_WORDS: &[&str] = &["pass", "pw"];
/// Words that make a name a secret by themselves.
const SECRET_WORDS: &[&str] = &[
    "secret",
    "token",
    "credential",
    "credentials",
    "creds",
    "privkey",
    "apikey",
    "bearer",
];
/// Qualifiers that make a following `key` a secret key (`api_key`, `signing_key`).
pub(crate) const KEY_QUALIFIERS: &[&str] = &[
    "api",
    "access",
    "secret",
    "private",
    "signing",
    "sign",
    "encryption",
    "encrypt",
    "master",
    "account",
    "auth",
    "app",
    "hmac",
    "shared",
    "client",
    "subscription",
    "license",
    "licence",
    "webhook",
    "session",
    "storage",
    "admin",
    "deploy",
    "ssh",
    "jwt",
    "crypto",
    "cipher",
    "aes",
];
/// Words after the secret word that make the name describe a secret instead of holding one.
const POST_EXCLUDE: &[&str] = &[
    "name",
    "names",
    "arn",
    "arns",
    "id",
    "ids",
    "param",
    "params",
    "parameter",
    "parameters",
    "path",
    "paths",
    "file",
    "files",
    "filename",
    "dir",
    "directory",
    "table",
    "length",
    "len",
    "min",
    "max",
    "minimum",
    "maximum",
    "policy",
    "type",
    "types",
    "url",
    "uri",
    "endpoint",
    "endpoints",
    "header",
    "headers",
    "field",
    "fields",
    "prefix",
    "suffix",
    "ttl",
    "expiry",
    "expiration",
    "expires",
    "expire",
    "expired",
    "timeout",
    "lifetime",
    "duration",
    "seconds",
    "secs",
    "minutes",
    "mins",
    "hours",
    "days",
    "age",
    "interval",
    "rotation",
    "rotate",
    "rotated",
    "count",
    "enabled",
    "enable",
    "disabled",
    "disable",
    "required",
    "require",
    "location",
    "region",
    "version",
    "versions",
    "format",
    "algorithm",
    "alg",
    "mode",
    "strategy",
    "provider",
    "store",
    "manager",
    "ref",
    "reference",
    "env",
    "var",
    "variable",
    "label",
    "description",
    "desc",
    "hint",
    "pattern",
    "regex",
    "regexp",
    "placeholder",
    "bucket",
    "queue",
    "topic",
    "hash",
    "hashed",
    "digest",
    "checksum",
    "fingerprint",
    "column",
    "attr",
    "attribute",
    "kms",
    "cookie",
    "error",
    "errors",
    "message",
    "msg",
    "text",
    "title",
    "reset",
    "complexity",
    "strength",
    "validator",
    "validation",
    "input",
    "form",
    "prompt",
    "encoding",
    "size",
    "limit",
    "threshold",
    "retries",
    "attempts",
    "source",
    "index",
    "usage",
    "scope",
    "scopes",
    "audience",
    "issuer",
    "role",
    "resource",
    "type",
    "key",
    "keys",
    "lambda",
    "function",
    "handler",
    "service",
    "vault",
    "ssm",
    "selector",
    "class",
    "icon",
    "link",
    "route",
    "page",
    "view",
    "button",
    "policy",
    "rule",
    "rules",
    "generator",
    "length",
    "chars",
    "charset",
    "ui",
    "html",
    "css",
    "template",
    "request",
    "response",
    "status",
    "state",
    "flag",
    "option",
    "options",
    "schema",
    "spec",
    "test",
    "last",
    "used",
    "changed",
    "updated",
    "created",
    "date",
    "time",
    "timestamp",
    "at",
];
/// Words right before `token` that make it a non-credential token.
const TOKEN_PRE_EXCLUDE: &[&str] = &[
    "next",
    "page",
    "pagination",
    "continuation",
    "cancellation",
    "cancel",
    "sync",
    "idempotency",
    "client",
    "csrf",
    "xsrf",
    "request",
    "resume",
    "resumption",
    "lexer",
    "lex",
    "parse",
    "parser",
    "max",
    "num",
    "total",
    "input",
    "output",
    "completion",
    "prompt",
    "start",
    "end",
    "last",
    "first",
    "marker",
    "cursor",
    "syntax",
    "design",
    "color",
    "style",
    "change",
    "action",
];

/// Splits `name` into lower-case words: on non-alphanumerics and at camelCase boundaries.
pub(crate) fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if c.is_uppercase() && !cur.is_empty() {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            if prev.is_lowercase() || prev.is_ascii_digit() || (prev.is_uppercase() && next_lower) {
                out.push(std::mem::take(&mut cur));
            }
        }
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    split_compounds(out)
}

/// Splits run-together words on a known secret suffix: `dbpassword` → `db password`,
/// `clientsecret` → `client secret`, `apikey` → `api key`.
fn split_compounds(words: Vec<String>) -> Vec<String> {
    let mut out = Vec::with_capacity(words.len());
    for w in words {
        let mut split = None;
        for suffix in ["password", "passwd", "passphrase", "secret", "token"] {
            if w.len() > suffix.len() && w.ends_with(suffix) {
                split = Some(w.len() - suffix.len());
                break;
            }
        }
        if split.is_none() && w.len() > 3 && w.ends_with("key") {
            let head = &w[..w.len() - 3];
            if KEY_QUALIFIERS
                .iter()
                .any(|q| head == *q || head.ends_with(q))
            {
                split = Some(w.len() - 3);
            }
        }
        match split {
            Some(at) => {
                let (head, tail) = w.split_at(at);
                out.extend(split_compounds(vec![head.to_owned()]));
                out.push(tail.to_owned());
            }
            None => out.push(w),
        }
    }
    out
}

/// Index and kind of the last secret word in `w`, if any.
fn last_secret_word(w: &[String]) -> Option<(usize, NameClass)> {
    let mut found = None;
    for (i, word) in w.iter().enumerate() {
        let word = word.as_str();
        let class = if PASSWORD_WORDS.contains(&word)
            || (PASSWORD_TAIL_WORDS.contains(&word) && i + 1 == w.len())
        {
            Some(NameClass::Password)
        } else if SECRET_WORDS.contains(&word)
            || (word == "key" && i > 0 && KEY_QUALIFIERS.contains(&w[i - 1].as_str()))
        {
            Some(NameClass::Secret)
        } else if word == "authorization" || (word == "auth" && w.len() == 1) {
            Some(NameClass::Authorization)
        } else {
            None
        };
        if let Some(c) = class {
            found = Some((i, c));
        }
    }
    found
}

/// Classifies a key name. `None` means the name says nothing about secrets.
pub fn classify_name(name: &str) -> Option<NameClass> {
    let w = words(name);
    let (at, class) = last_secret_word(&w)?;
    let word = w[at].as_str();
    if w[at + 1..]
        .iter()
        .any(|x| POST_EXCLUDE.contains(&x.as_str()))
    {
        // `SECRET_KEY` is a key, but `PASSWORD_KEY`/`TOKEN_KEY` name a storage key.
        let only_key = w[at + 1..].iter().all(|x| x == "key" || x == "keys");
        if !(only_key && word == "secret") {
            return None;
        }
    }
    if word == "token" && at > 0 && TOKEN_PRE_EXCLUDE.contains(&w[at - 1].as_str()) {
        return None;
    }
    let has = |s: &str| w.iter().any(|x| x == s);
    if name.to_ascii_lowercase().ends_with("_authtoken") {
        return Some(NameClass::NpmAuthToken);
    }
    if has("secret") && has("access") && has("key") {
        return Some(NameClass::AwsSecretKey);
    }
    if has("aws") && has("secret") {
        return Some(NameClass::AwsSecretKey);
    }
    if has("twilio") && (word == "token" || has("auth")) {
        return Some(NameClass::TwilioToken);
    }
    Some(class)
}

/// True when `name` is a key under which a value would be a secret (for rules such as
/// "sensitive environment variable without a customer-managed key").
pub fn is_sensitive_name(name: &str) -> bool {
    classify_name(name).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_words() {
        assert_eq!(words("DB_PASSWORD"), ["db", "password"]);
        assert_eq!(words("dbPassword"), ["db", "password"]);
        assert_eq!(words("APIKey"), ["api", "key"]);
        assert_eq!(words("apikey"), ["api", "key"]);
        assert_eq!(words("clientsecret"), ["client", "secret"]);
        assert_eq!(words("x-api-key"), ["x", "api", "key"]);
        assert_eq!(words("oauth2Token"), ["oauth2", "token"]);
    }

    #[test]
    fn secret_names() {
        use NameClass::*;
        for (n, c) in [
            ("DB_PASSWORD", Password),
            ("dbPassword", Password),
            ("SMTP_PASS", Password),
            ("db_pw", Password),
            ("MasterUserPassword", Password),
            ("api_key", Secret),
            ("X-Api-Key", Secret),
            ("CLIENT_SECRET", Secret),
            ("SECRET_KEY", Secret),
            ("JWT_SECRET", Secret),
            ("GITHUB_TOKEN", Secret),
            ("ID_TOKEN", Secret),
            ("refreshToken", Secret),
            ("PRIVATE_KEY", Secret),
            ("signingKey", Secret),
            ("Authorization", Authorization),
            ("AWS_SECRET_ACCESS_KEY", AwsSecretKey),
            ("SecretAccessKey", AwsSecretKey),
            ("TWILIO_AUTH_TOKEN", TwilioToken),
            ("//registry.npmjs.org/:_authToken", NpmAuthToken),
        ] {
            assert_eq!(classify_name(n), Some(c), "{n}");
        }
    }

    #[test]
    fn metadata_names() {
        for n in [
            "TOKEN_TABLE_NAME",
            "PASSWORD_MIN_LENGTH",
            "SECRET_ARN",
            "DB_SECRET_NAME",
            "DB_PASSWORD_PARAM",
            "API_KEY_ID",
            "NEXT_TOKEN",
            "nextToken",
            "PaginationToken",
            "ClientToken",
            "MAX_TOKENS",
            "max_tokens",
            "PASSWORD_KEY",
            "TOKEN_EXPIRY",
            "ACCESS_TOKEN_TTL",
            "PasswordPolicy",
            "AWS_ACCESS_KEY_ID",
            "KMS_KEY_ID",
            "S3_KEY",
            "PARTITION_KEY",
            "passwordless",
            "BYPASS_CACHE",
            "PASS_THROUGH",
            "PasswordLastUsed",
            "ChangeToken",
            "LifecycleActionToken",
            "author",
            "SECRETS_MANAGER_ENDPOINT",
            "USER_NAME",
        ] {
            assert_eq!(classify_name(n), None, "{n}");
        }
    }
}
