//! The WAF rule table. Every pattern runs on decoded, lowercased text through the `regex` crate
//! (finite automata: linear time, no backtracking), all patterns at once in one `RegexSet`.

/// Attack family of a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    Sqli,
    Xss,
    Traversal,
    CommandInjection,
    CodeInjection,
    Ssrf,
    KnownBad,
    Xxe,
}

impl Family {
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Sqli => "sqli",
            Family::Xss => "xss",
            Family::Traversal => "traversal",
            Family::CommandInjection => "cmdi",
            Family::CodeInjection => "code",
            Family::Ssrf => "ssrf",
            Family::KnownBad => "known-bad",
            Family::Xxe => "xxe",
        }
    }
}

/// One rule: an id, a family, an anomaly score and a pattern.
pub struct Rule {
    pub id: &'static str,
    pub family: Family,
    pub score: u32,
    pub pattern: String,
}

fn rule(id: &'static str, family: Family, score: u32, pattern: impl Into<String>) -> Rule {
    Rule {
        id,
        family,
        score,
        pattern: pattern.into(),
    }
}

const CMDS: &str = r"(?:cat|ls|id|whoami|uname|wget|curl|nc|ncat|netcat|bash|sh|zsh|dash|python[0-9.]*|perl|ruby|php|ping|nslookup|rm|chmod|chown|ps|echo|powershell|cmd|telnet|ifconfig|base64|mkfifo|socat)";

/// The rules. Scores: 5 is enough to block at the default threshold, 3 needs a second signal.
pub fn rules() -> Vec<Rule> {
    use Family::*;
    let cmd_sep = format!(r"(?:[;&|`]|\$\()\s*{CMDS}(?:\s|$|[;|&<>`)])");
    let cmd_backtick = format!(r"`\s*{CMDS}\b[^`]*`");
    vec![
        // SQL injection
        rule(
            "sqli-union",
            Sqli,
            5,
            r"\bunion\b[\s(]*(?:all\b|distinct\b)?[\s(]*\bselect\b",
        ),
        rule(
            "sqli-tautology",
            Sqli,
            5,
            r#"['"`)]\s*(?:or|and|xor|\|\||&&)\s*[(\s]*['"`]?[\w.]*['"`]?\s*(?:=|<>|!=|<=|>=|<|>|\blike\b|\bis\b|\bin\s*\()\s*[(]?\s*['"`]?[\w.]*"#,
        ),
        rule(
            "sqli-numeric-tautology",
            Sqli,
            5,
            r"\b(?:or|and)\s+(\d+)\s*=\s*(\d+)\b",
        ),
        rule(
            "sqli-quote-true",
            Sqli,
            5,
            r#"['"`]\s*(?:or|\|\|)\s+(?:true|not\s+false|\d+)\s*(?:--|#|/\*|;|$)"#,
        ),
        rule(
            "sqli-comment-terminator",
            Sqli,
            3,
            r#"['"`]\s*\)*\s*(?:--|#|/\*|;\s*--)"#,
        ),
        rule(
            "sqli-stacked",
            Sqli,
            5,
            r";\s*(?:drop\s+(?:table|database|user)|delete\s+from|insert\s+into|update\s+\w+\s+set|exec(?:ute)?\s+\w|shutdown\b|truncate\s+table|create\s+(?:table|user)|alter\s+table|declare\s+@)",
        ),
        rule(
            "sqli-functions",
            Sqli,
            5,
            r"\b(?:load_file|extractvalue|updatexml|dbms_pipe\.receive_message)\s*\(|\bwaitfor\s+delay\b|\binformation_schema\b|\bxp_cmdshell\b|\binto\s+(?:out|dump)file\b|\bsysobjects\b|\bpg_catalog\b|\bsqlite_master\b",
        ),
        rule(
            "sqli-time-delay",
            Sqli,
            5,
            r"(?:\b(?:and|or|select|xor)|;|\|\||&&)\s*\(?\s*(?:sleep|benchmark|pg_sleep)\s*\(",
        ),
        rule(
            "sqli-delay-function",
            Sqli,
            3,
            r"\b(?:sleep|benchmark|pg_sleep)\s*\(\s*\d",
        ),
        rule(
            "sqli-comment-tail",
            Sqli,
            5,
            r#"['"`]\s*\)*\s*(?:--|#|/\*)\s*$"#,
        ),
        rule(
            "sqli-select-from",
            Sqli,
            3,
            r"\bselect\b[^;]{1,100}\bfrom\b[^;]{1,100}\b(?:where|limit|order\s+by|union)\b",
        ),
        rule(
            "sqli-order-by-probe",
            Sqli,
            5,
            r#"['"`]?\s*\border\s+by\s+\d+\s*(?:--|#)"#,
        ),
        rule(
            "sqli-char-concat",
            Sqli,
            3,
            r"\b(?:char|chr|concat|group_concat|concat_ws)\s*\(\s*(?:\d|0x|@|select)",
        ),
        // Cross-site scripting
        rule("xss-script-tag", Xss, 5, r"<\s*/?\s*script\b"),
        rule(
            "xss-js-uri",
            Xss,
            5,
            r"(?:j\s*a\s*v\s*a\s*s\s*c\s*r\s*i\s*p\s*t|vbscript|livescript)\s*:\s*(?:[a-z_$][\w$]*\s*[(.=\[`]|/|\(|\{|\[|'|\x22)|data\s*:\s*text/html|data\s*:[^,]*;base64,\s*pd",
        ),
        rule(
            "xss-event-handler",
            Xss,
            5,
            r#"<[a-z!/][^>]*[\s/"'](?:on[a-z]{3,})\s*="#,
        ),
        rule(
            "xss-attr-breakout",
            Xss,
            5,
            r#"['"]\s*(?:/|\s)?\s*on(?:error|load|mouseover|mouseenter|focus|blur|click|animationstart|toggle|pointerover|begin|start)\s*="#,
        ),
        rule(
            "xss-dangerous-tag",
            Xss,
            3,
            r"<\s*(?:iframe|frame|object|embed|svg|math|img|body|meta|link|style|base|form|video|audio|details|marquee|isindex|applet|xss)\b",
        ),
        rule(
            "xss-dom-sink",
            Xss,
            3,
            r"\b(?:document\s*\.\s*(?:cookie|domain|write)|window\s*\.\s*location|alert\s*\(|prompt\s*\(|confirm\s*\(|string\s*\.\s*fromcharcode|innerhtml\s*=|srcdoc\s*=)",
        ),
        // Path traversal and local files
        rule(
            "traversal-dotdot",
            Traversal,
            5,
            r"(?:^|[/\\=:])\.\.(?:[/\\]|$)",
        ),
        rule(
            "traversal-sensitive-file",
            Traversal,
            5,
            r"/etc/(?:passwd|shadow|group|hosts|issue|sudoers)\b|/proc/(?:self|\d+)/|\b(?:boot|win|system)\.ini\b|\.htaccess\b|\.htpasswd\b|\.ssh/|/\.aws/credentials|web\.config\b|\\windows\\(?:system32|win\.ini)",
        ),
        rule("traversal-file-uri", Traversal, 5, r"\bfile\s*:\s*//"),
        // OS command injection
        rule("cmdi-chained-command", CommandInjection, 5, cmd_sep),
        rule("cmdi-backtick", CommandInjection, 5, cmd_backtick),
        rule(
            "cmdi-substitution",
            CommandInjection,
            5,
            r"\$\(\s*[a-z/]|\$\{ifs\}|\$ifs\b|/bin/(?:ba|z|da)?sh\b|/usr/bin/(?:env|perl|python|curl|wget)\b|\bcmd(?:\.exe)?\s+/[ck]\b|\bpowershell(?:\.exe)?\s+-(?:e|enc|c|command|nop)\b",
        ),
        rule(
            "cmdi-shellshock",
            CommandInjection,
            5,
            r"\(\s*\)\s*\{\s*:?\s*;?\s*\}\s*;",
        ),
        // Code injection
        rule(
            "code-eval",
            CodeInjection,
            5,
            r#"\b(?:eval|passthru|shell_exec|popen|proc_open|pcntl_exec|create_function|settimeout|setinterval|function)\s*\(\s*['"`$\w(]|\b__import__\s*\(|\brequire\s*\(\s*['"`]child_process|\bchild_process\b|\bprocess\s*\.\s*(?:mainmodule|binding|env)\b|\bruntime\s*\.\s*getruntime\s*\(|\bos\s*\.\s*(?:system|popen)\s*\(|\bsubprocess\s*\.\s*\w+\s*\("#,
        ),
        rule(
            "code-php",
            CodeInjection,
            5,
            r"<\?(?:php|=)|\bphp://(?:input|filter)|\b(?:expect|phar|zip|data)://",
        ),
        rule(
            "code-template",
            CodeInjection,
            5,
            r"\{\{[^}]*(?:__class__|__globals__|__builtins__|__subclasses__|constructor|config\.|request\.|self\.|lipsum|cycler|\d+\s*\*\s*\d+)[^}]*\}\}|\$\{\s*\d+\s*\*\s*\d+\s*\}|#\{\s*\d+\s*\*\s*\d+\s*\}|<%=?\s*\d+\s*\*\s*\d+\s*%>",
        ),
        rule(
            "code-proto-pollution",
            CodeInjection,
            5,
            r#"\b__proto__\b|\bconstructor\s*(?:\.|\[\s*['"])\s*prototype\b|\[\s*['"]constructor['"]\s*\]"#,
        ),
        rule(
            "code-exec-call",
            CodeInjection,
            3,
            r#"\b(?:system|exec|assert)\s*\(\s*['"`$]"#,
        ),
        // SSRF targets
        rule(
            "ssrf-metadata",
            Ssrf,
            5,
            r"169\.254\.169\.254|169\.254\.170\.2\b|\bmetadata\.google\.internal\b|\bmetadata\.azure\.com\b|100\.100\.100\.200|fd00:ec2::254|\b0xa9fea9fe\b|\b2852039166\b|\binstance-data\b|\[::ffff:a9fe:a9fe\]|/latest/meta-data\b|/computemetadata/v1\b",
        ),
        rule(
            "ssrf-scheme",
            Ssrf,
            5,
            r"\b(?:gopher|dict|ldap|ldaps|rmi|jar|netdoc|tftp)://",
        ),
        rule(
            "ssrf-loopback",
            Ssrf,
            3,
            r"\bhttps?://(?:localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|0+x?[0-9a-f]*\.|\[::1?\]|\[0:0:0:0:0:0:0:1\]|2130706433\b|0x7f000001\b|10\.\d+\.\d+\.\d+|192\.168\.\d+\.\d+|172\.(?:1[6-9]|2\d|3[01])\.\d+\.\d+)",
        ),
        // Known bad inputs
        rule(
            "bad-log4j",
            KnownBad,
            5,
            r"\$\{\s*(?:jndi|java|sys|env|ctx|main|bundle|spring|k8s|docker|log4j|date|web)\s*:",
        ),
        rule(
            "bad-java-serialized",
            KnownBad,
            5,
            r"\bro0ab|\baced0005|\bh4sia{3}|java\.lang\.runtime|java\.lang\.processbuilder|org\.apache\.commons\.collections|ysoserial|com\.sun\.rowset\.jdbcrowsetimpl",
        ),
        rule(
            "bad-other-serialized",
            KnownBad,
            5,
            r#"\bo:\d+:"[a-z_\\][\w\\]*":\d+:\{|_\$\$nd_func\$\$_|["']\$type["']\s*:\s*["']system\.|\bcos\s*\n?system\b|!!python/object|__reduce__|\bgasv[a-z0-9+/]{10}"#,
        ),
        // XML external entities
        rule(
            "xxe-entity",
            Xxe,
            5,
            r"<!entity\s+%?\s*[\w.-]+\s+(?:system|public)\b|<!doctype[^>]*\[\s*<!entity",
        ),
        rule("xxe-xinclude", Xxe, 5, r"<\s*xi:include\b|xmlns:xi\s*="),
    ]
}

/// Literals at least one of which appears in any value a rule can match. A value containing none
/// of them skips the regex pass entirely (Aho-Corasick prefilter).
pub const TRIGGERS: &[&str] = &[
    "'",
    "\"",
    "`",
    "<",
    ">",
    "..",
    ";",
    "|",
    "&",
    "$",
    "(",
    "{",
    "\\",
    "//",
    ":",
    "/etc",
    "/proc",
    "union",
    "select",
    "or ",
    "and ",
    "sleep",
    "waitfor",
    "169.254",
    "metadata",
    "ro0ab",
    "aced0005",
    "h4siaaa",
    "instance-data",
    "__proto__",
    "constructor",
    "100.100.100.200",
    "2852039166",
    "0xa9fea9fe",
    ".ini",
    ".htaccess",
    ".htpasswd",
    ".ssh",
    "web.config",
    "\n",
    "information_schema",
    "sysobjects",
    "xp_cmdshell",
    "outfile",
    "dumpfile",
    "pg_catalog",
    "sqlite_master",
    "child_process",
    "ysoserial",
    "java.lang",
    "!!python",
    "__reduce__",
    "gasv",
    "cos",
    "order by",
    "/*",
    "cmd",
    "powershell",
    "/bin/",
    "pg_sleep",
    "benchmark",
];
