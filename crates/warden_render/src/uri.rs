//! Paths as URI references for SARIF: relative paths percent-encoded, roots as `file://` URIs.

/// Bytes kept as they are in a path: RFC 3986 unreserved characters, `/` and a few sub-delims.
/// `:` is encoded so that a first segment never reads as a scheme.
fn keep(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'-' | b'.'
                | b'_'
                | b'~'
                | b'/'
                | b'!'
                | b'$'
                | b'&'
                | b'\''
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
                | b'@'
        )
}

/// A relative path as a URI reference: `/`-separated, percent-encoded (UTF-8).
pub fn relative(path: &str) -> String {
    let path = path.replace('\\', "/");
    let path = path.trim_start_matches("./");
    encode(path)
}

/// An absolute directory as a `file://` URI ending in `/` (as SARIF requires for base ids).
pub fn directory(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut uri = String::from("file://");
    if !path.starts_with('/') {
        // A Windows drive path: `C:/x` becomes `file:///C:/x`.
        uri.push('/');
    }
    let encoded = encode(&path);
    // Keep a drive letter's colon readable: `C%3A/` is valid but unusual.
    let encoded = match encoded.as_bytes() {
        [d, b'%', b'3', b'A', ..] if d.is_ascii_alphabetic() && !path.starts_with('/') => {
            format!("{}:{}", *d as char, &encoded[4..])
        }
        _ => encoded,
    };
    uri.push_str(&encoded);
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for &b in path.as_bytes() {
        if keep(b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_are_encoded() {
        assert_eq!(relative("src/template.yaml"), "src/template.yaml");
        assert_eq!(relative("./my app/tëst.yaml"), "my%20app/t%C3%ABst.yaml");
        assert_eq!(relative("a:b/c#d?.json"), "a%3Ab/c%23d%3F.json");
        assert_eq!(relative("dir\\win.yaml"), "dir/win.yaml");
    }

    #[test]
    fn directories_become_file_uris() {
        assert_eq!(directory("/home/u/proj"), "file:///home/u/proj/");
        assert_eq!(directory("/home/u/my proj/"), "file:///home/u/my%20proj/");
        assert_eq!(directory("C:\\work\\app"), "file:///C:/work/app/");
    }
}
