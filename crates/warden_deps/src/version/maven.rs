//! Maven version ordering, after the algorithm of Maven's `ComparableVersion`: items split on
//! `.`, `-` and digit/letter transitions, `-` and transitions open a sub-list, trailing "null"
//! items (`0`, `ga`, `final`, `release`, empty) are dropped, and qualifiers order as
//! `alpha < beta < milestone < rc = cr < snapshot < (release) < sp < anything else (lexically)`.

use std::cmp::Ordering;

#[derive(Debug, Clone)]
enum Item {
    Int(u128),
    Str(String),
    List(Vec<Item>),
}

/// A parsed Maven version.
#[derive(Debug, Clone)]
pub struct MavenVersion {
    items: Vec<Item>,
}

const QUALIFIERS: [&str; 7] = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"];

fn qualifier_key(q: &str) -> String {
    let q = match q {
        "ga" | "final" | "release" => "",
        "cr" => "rc",
        other => other,
    };
    match QUALIFIERS.iter().position(|k| *k == q) {
        Some(i) => i.to_string(),
        None => format!("{}-{q}", QUALIFIERS.len()),
    }
}

fn string_item(s: &str, followed_by_digit: bool) -> Item {
    let s = if followed_by_digit && s.len() == 1 {
        match s {
            "a" => "alpha",
            "b" => "beta",
            "m" => "milestone",
            other => other,
        }
    } else {
        s
    };
    Item::Str(s.to_string())
}

fn parse_item(s: &str, digit: bool, followed_by_digit: bool) -> Item {
    if digit {
        // Very long numbers saturate; ordering among them is then by length, which is monotone.
        Item::Int(s.trim_start_matches('0').parse::<u128>().unwrap_or(
            if s.bytes().all(|b| b == b'0') {
                0
            } else {
                u128::MAX
            },
        ))
    } else {
        string_item(s, followed_by_digit)
    }
}

fn is_null(item: &Item) -> bool {
    match item {
        Item::Int(n) => *n == 0,
        Item::Str(s) => qualifier_key(s) == qualifier_key(""),
        Item::List(l) => l.is_empty(),
    }
}

fn normalize(list: &mut Vec<Item>) {
    while let Some(last) = list.last() {
        if is_null(last) {
            list.pop();
        } else if matches!(last, Item::List(_)) {
            // A trailing non-null sub-list stops the trimming, as in Maven.
            break;
        } else {
            break;
        }
    }
}

impl MavenVersion {
    /// Parses any string (Maven accepts every version string).
    pub fn parse(input: &str) -> Self {
        let v = input.trim().to_ascii_lowercase();
        let bytes = v.as_bytes();
        // Stack of open lists; index 0 is the root.
        let mut stack: Vec<Vec<Item>> = vec![Vec::new()];
        let mut start = 0usize;
        let mut is_digit = false;
        let push = |stack: &mut Vec<Vec<Item>>, item: Item| {
            if let Some(top) = stack.last_mut() {
                top.push(item);
            }
        };
        for (i, &c) in bytes.iter().enumerate() {
            if c == b'.' {
                let item = if i == start {
                    Item::Int(0)
                } else {
                    parse_item(&v[start..i], is_digit, false)
                };
                push(&mut stack, item);
                start = i + 1;
            } else if c == b'-' {
                let item = if i == start {
                    Item::Int(0)
                } else {
                    parse_item(&v[start..i], is_digit, false)
                };
                push(&mut stack, item);
                start = i + 1;
                stack.push(Vec::new());
            } else if c.is_ascii_digit() {
                if !is_digit && i > start {
                    push(&mut stack, string_item(&v[start..i], true));
                    start = i;
                    stack.push(Vec::new());
                }
                is_digit = true;
            } else {
                if is_digit && i > start {
                    push(&mut stack, parse_item(&v[start..i], true, false));
                    start = i;
                    stack.push(Vec::new());
                }
                is_digit = false;
            }
        }
        if bytes.len() > start {
            push(&mut stack, parse_item(&v[start..], is_digit, false));
        }
        // Close the open lists from the innermost outwards, normalising each.
        while stack.len() > 1 {
            let mut inner = stack.pop().unwrap_or_default();
            normalize(&mut inner);
            push(&mut stack, Item::List(inner));
        }
        let mut items = stack.pop().unwrap_or_default();
        normalize(&mut items);
        MavenVersion { items }
    }
}

/// Compares an item with an absent one.
fn cmp_null(item: &Item) -> Ordering {
    match item {
        Item::Int(n) => {
            if *n == 0 {
                Ordering::Equal
            } else {
                Ordering::Greater
            }
        }
        Item::Str(s) => qualifier_key(s).cmp(&qualifier_key("")),
        Item::List(l) => l.first().map_or(Ordering::Equal, cmp_null),
    }
}

fn cmp_item(a: &Item, b: &Item) -> Ordering {
    match (a, b) {
        (Item::Int(x), Item::Int(y)) => x.cmp(y),
        (Item::Int(_), _) => Ordering::Greater,
        (Item::Str(_), Item::Int(_)) => Ordering::Less,
        (Item::Str(x), Item::Str(y)) => qualifier_key(x).cmp(&qualifier_key(y)),
        (Item::Str(_), Item::List(_)) => Ordering::Less,
        (Item::List(_), Item::Int(_)) => Ordering::Less,
        (Item::List(_), Item::Str(_)) => Ordering::Greater,
        (Item::List(x), Item::List(y)) => cmp_lists(x, y),
    }
}

fn cmp_lists(x: &[Item], y: &[Item]) -> Ordering {
    let n = x.len().max(y.len());
    for i in 0..n {
        let ord = match (x.get(i), y.get(i)) {
            (Some(l), Some(r)) => cmp_item(l, r),
            (Some(l), None) => cmp_null(l),
            (None, Some(r)) => cmp_null(r).reverse(),
            (None, None) => Ordering::Equal,
        };
        if ord != Ordering::Equal {
            return ord;
        }
    }
    Ordering::Equal
}

impl PartialEq for MavenVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for MavenVersion {}
impl PartialOrd for MavenVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for MavenVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        cmp_lists(&self.items, &other.items)
    }
}
