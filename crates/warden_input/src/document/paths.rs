//! Document paths: JSON-pointer segments appended to a parent, and alias copies rebased.

use std::sync::Arc;
use warden_model::value::escape_path_segment;
use warden_model::{Key, Node, Val};
use warden_source::Origin;

/// `parent/segment` with the segment escaped, in one allocation.
pub(super) fn join(parent: &str, segment: &str) -> Arc<str> {
    let needs_escape = segment.contains(['~', '/']);
    let escaped;
    let seg = if needs_escape {
        escaped = escape_path_segment(segment);
        escaped.as_str()
    } else {
        segment
    };
    let mut buf = [0u8; 256];
    let len = parent.len() + 1 + seg.len();
    if len <= buf.len() {
        buf[..parent.len()].copy_from_slice(parent.as_bytes());
        buf[parent.len()] = b'/';
        buf[parent.len() + 1..len].copy_from_slice(seg.as_bytes());
        if let Ok(s) = std::str::from_utf8(&buf[..len]) {
            return Arc::from(s);
        }
    }
    Arc::from(format!("{parent}/{seg}"))
}

/// `parent/index`.
pub(super) fn join_index(parent: &str, index: usize) -> Arc<str> {
    let mut digits = [0u8; 20];
    let mut n = index;
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    join(parent, std::str::from_utf8(&digits[i..]).unwrap_or("0"))
}

/// Copies `node`, replacing the first `old_len` bytes of every path with `prefix`; `None` once
/// the copy's text exceeds `budget` bytes. Recursion is bounded by the depth limit.
pub(super) fn rebase(
    node: &Node,
    old_len: usize,
    prefix: &str,
    bytes: &mut usize,
    budget: usize,
) -> Option<Node> {
    let tail = node.origin.path.get(old_len..).unwrap_or("");
    let path: Arc<str> = format!("{prefix}{tail}").into();
    *bytes += path.len() + super::builder::text_len(&node.val);
    if *bytes > budget {
        return None;
    }
    let val = match &node.val {
        Val::List(items) => Val::List(
            items
                .iter()
                .map(|n| rebase(n, old_len, prefix, bytes, budget))
                .collect::<Option<_>>()?,
        ),
        Val::Map(entries) => Val::Map(
            entries
                .iter()
                .map(|(k, v)| {
                    let v = rebase(v, old_len, prefix, bytes, budget)?;
                    *bytes += k.name.len();
                    let key = Key {
                        name: k.name.clone(),
                        origin: Origin::new(
                            k.origin.file.clone(),
                            k.origin.span,
                            v.origin.path.clone(),
                        ),
                    };
                    Some((key, v))
                })
                .collect::<Option<_>>()?,
        ),
        other => other.clone(),
    };
    Some(Node::new(
        val,
        Origin::new(node.origin.file.clone(), node.origin.span, path),
    ))
}
