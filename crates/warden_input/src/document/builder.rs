//! Assembles the value tree from parser events: paths, spans, limits, duplicate keys, anchors.
//!
//! Both parsers (YAML and JSON) drive one [`Builder`] with scalars, collection starts and ends and
//! aliases, so every rule about the tree lives here once:
//!
//! * paths: the root is `""`, children append `/<escaped key>` or `/<index>`; a key's origin has
//!   the same path as its value;
//! * spans: a scalar's own span; a collection from its start (its opening bracket, or its first
//!   child in block style) to the end of its last child (or its closing bracket);
//! * CloudFormation short forms ([`Wrap`]) become one-entry maps whose key carries the tag's span;
//! * duplicate keys: the last value wins, in the position of the first, with a warning;
//! * aliases are expanded by copying the anchored node (paths rebased to the alias's place, spans
//!   kept where the text is written, the copy's root spanning the alias), within the budgets of
//!   [`Limits`]; copies kept for anchors count against the budgets too.
//!
//! Helpers: `entries` inserts map entries (duplicates), `paths` builds and rebases paths.

use super::Warning;
use super::entries::insert;
use super::error::DocumentError;
use super::limits::Limits;
use super::paths::{join, join_index, rebase};
use super::scalar::resolve_plain;
use super::tags::GET_ATT;
use std::collections::HashMap;
use std::sync::Arc;
use warden_model::{Key, Node, Val};
use warden_source::{Origin, Span};

/// How a scalar's text becomes a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Res {
    /// A plain YAML scalar: typed by [`resolve_plain`].
    Implicit,
    Str,
    Num,
    /// `true`/`false` (any case, and YAML 1.1's yes/no/on/off); anything else stays a string.
    Bool,
    Null,
}

/// A CloudFormation short-form tag on a node: the long-form key and where the tag is written.
#[derive(Debug, Clone, Copy)]
pub(super) struct Wrap {
    pub name: &'static str,
    pub span: Span,
}

/// One scalar as a parser reports it.
pub(super) struct Scalar {
    pub text: String,
    pub res: Res,
    pub span: Span,
    /// Byte offset where `text` is written verbatim (unquoted or without escapes, on one line).
    pub verbatim_at: Option<u32>,
    pub wrap: Option<Wrap>,
    /// Anchor id (0: none).
    pub anchor: usize,
}

/// Size of a subtree: nodes, text bytes (scalars, keys, paths) and height (a scalar is 0).
#[derive(Debug, Clone, Copy, Default)]
struct Stats {
    nodes: usize,
    bytes: usize,
    height: usize,
}

impl Stats {
    fn add_child(&mut self, child: Stats) {
        self.nodes += child.nodes;
        self.bytes += child.bytes;
        self.height = self.height.max(child.height + 1);
    }
}

/// A finished node and its size.
struct Built {
    node: Node,
    stats: Stats,
}

enum Kind {
    Map {
        entries: Vec<(Key, Node)>,
        pending: Option<Key>,
        /// Key positions, built once a map grows past `entries::INDEX_AFTER` entries.
        index: Option<HashMap<String, usize>>,
    },
    Seq(Vec<Node>),
}

/// An open mapping or sequence.
struct Frame {
    kind: Kind,
    /// Path of the node this frame becomes (the wrapping map's, when tagged).
    path: Arc<str>,
    /// Path of the collection itself (`path` plus the long-form key, when tagged).
    inner: Arc<str>,
    /// Where the parser reported the start (fallback span for a childless block collection).
    mark: u32,
    start: Option<u32>,
    end: u32,
    wrap: Option<Wrap>,
    anchor: usize,
    stats: Stats,
    /// Tree levels this frame adds (2 when tagged).
    weight: usize,
}

impl Frame {
    fn touch(&mut self, span: Span) {
        self.start = Some(self.start.map_or(span.start, |s| s.min(span.start)));
        self.end = self.end.max(span.end);
    }
}

/// Where the next node goes.
enum Slot {
    /// A mapping key, under the map whose path is given.
    Key(Arc<str>),
    /// A value or item at this path.
    Node(Arc<str>),
}

struct Anchored {
    node: Node,
    stats: Stats,
}

/// Builds one document's tree.
pub(super) struct Builder<'a> {
    file: Arc<str>,
    limits: &'a Limits,
    stack: Vec<Frame>,
    root: Option<Node>,
    anchors: HashMap<usize, Anchored>,
    nodes: usize,
    alias_nodes: usize,
    bytes: usize,
    /// Tree levels currently open.
    depth: usize,
    warnings: Vec<Warning>,
}

impl<'a> Builder<'a> {
    pub(super) fn new(file: Arc<str>, limits: &'a Limits) -> Self {
        Self {
            file,
            limits,
            stack: Vec::new(),
            root: None,
            anchors: HashMap::new(),
            nodes: 0,
            alias_nodes: 0,
            bytes: 0,
            depth: 0,
            warnings: Vec::new(),
        }
    }

    pub(super) fn warn(&mut self, span: Span, message: impl Into<String>) {
        self.warnings.push(Warning {
            span,
            message: message.into(),
        });
    }

    /// The root (`null` at offset `empty_at` when the document is empty) and the warnings.
    pub(super) fn finish(mut self, empty_at: u32) -> (Node, Vec<Warning>) {
        // Only reachable when a parser stops early; close what is open so nothing is lost.
        while !self.stack.is_empty() {
            if self.end_collection(None).is_err() {
                break;
            }
        }
        let root = self.root.unwrap_or_else(|| {
            Node::new(
                Val::Null,
                Origin::new(self.file.clone(), Span::new(empty_at, empty_at), ""),
            )
        });
        (root, self.warnings)
    }

    fn slot(&self) -> Slot {
        match self.stack.last() {
            None => Slot::Node(Arc::from("")),
            Some(frame) => match &frame.kind {
                Kind::Seq(items) => Slot::Node(join_index(&frame.inner, items.len())),
                Kind::Map {
                    pending: Some(key), ..
                } => Slot::Node(key.origin.path.clone()),
                Kind::Map { pending: None, .. } => Slot::Key(frame.inner.clone()),
            },
        }
    }

    fn charge(&mut self, nodes: usize, bytes: usize, span: Span) -> Result<(), DocumentError> {
        self.nodes = self.nodes.saturating_add(nodes);
        if self.nodes > self.limits.max_nodes {
            return Err(DocumentError::TooManyNodes {
                limit: self.limits.max_nodes,
                span,
            });
        }
        self.bytes = self.bytes.saturating_add(bytes);
        if self.bytes > self.limits.max_text_bytes {
            return Err(DocumentError::TooLarge {
                limit: self.limits.max_text_bytes,
                span,
            });
        }
        Ok(())
    }

    fn check_depth(&self, extra: usize, span: Span) -> Result<(), DocumentError> {
        if self.depth + extra > self.limits.max_depth {
            return Err(DocumentError::TooDeep {
                limit: self.limits.max_depth,
                span,
            });
        }
        Ok(())
    }

    fn origin(&self, span: Span, path: Arc<str>) -> Origin {
        Origin::new(self.file.clone(), span, path)
    }

    /// A scalar: a key when a map waits for one, a value or item otherwise.
    pub(super) fn scalar(&mut self, s: Scalar) -> Result<(), DocumentError> {
        if s.text.len() > self.limits.max_scalar_bytes {
            return Err(DocumentError::ScalarTooLarge {
                len: s.text.len(),
                limit: self.limits.max_scalar_bytes,
                span: s.span,
            });
        }
        let path = match self.slot() {
            Slot::Key(parent) => {
                if let Some(wrap) = s.wrap {
                    self.warn(
                        wrap.span,
                        format!(
                            "short-form tag for `{}` on a mapping key is ignored",
                            wrap.name
                        ),
                    );
                }
                return self.key(s.text, s.span, s.anchor, &parent);
            }
            Slot::Node(path) => path,
        };
        let val = match s.res {
            Res::Implicit => resolve_plain(&s.text),
            Res::Str => Val::Str(s.text),
            Res::Num => Val::Num(s.text),
            Res::Null => Val::Null,
            Res::Bool => match resolve_plain(&s.text) {
                Val::Bool(b) => Val::Bool(b),
                _ => Val::Str(s.text),
            },
        };
        let built = match s.wrap {
            None => self.leaf(val, s.span, path),
            Some(wrap) => {
                let inner = join(&path, wrap.name);
                let content = match val {
                    Val::Str(text) if wrap.name == GET_ATT => {
                        self.get_att(text, s.span, s.verbatim_at, inner, wrap.span)
                    }
                    val => self.leaf(val, s.span, inner),
                };
                self.wrap(content, wrap, path)
            }
        };
        self.check_depth(built.stats.height, s.span)?;
        self.charge(built.stats.nodes, built.stats.bytes, s.span)?;
        self.finish_node(built, s.anchor)
    }

    fn leaf(&self, val: Val, span: Span, path: Arc<str>) -> Built {
        let bytes = text_len(&val) + path.len();
        Built {
            node: Node::new(val, self.origin(span, path)),
            stats: Stats {
                nodes: 1,
                bytes,
                height: 0,
            },
        }
    }

    /// `!GetAtt A.B` → `[A, B]` (split on the first dot); without a dot the string is kept.
    fn get_att(
        &mut self,
        text: String,
        span: Span,
        verbatim_at: Option<u32>,
        path: Arc<str>,
        tag: Span,
    ) -> Built {
        let Some((resource, attribute)) = text.split_once('.') else {
            self.warn(
                tag,
                format!("`!GetAtt {text}` names no attribute (expected `Resource.Attribute`)"),
            );
            return self.leaf(Val::Str(text), span, path);
        };
        let (a_span, b_span) = match verbatim_at {
            Some(at) => {
                let dot = at + super::offsets::to_u32(resource.len());
                (
                    Span::new(at, dot),
                    Span::new(dot + 1, at + super::offsets::to_u32(text.len())),
                )
            }
            None => (span, span),
        };
        let a = self.leaf(Val::Str(resource.to_string()), a_span, join(&path, "0"));
        let b = self.leaf(Val::Str(attribute.to_string()), b_span, join(&path, "1"));
        let mut stats = Stats {
            nodes: 1,
            bytes: path.len(),
            height: 1,
        };
        stats.add_child(a.stats);
        stats.add_child(b.stats);
        Built {
            node: Node::new(Val::List(vec![a.node, b.node]), self.origin(span, path)),
            stats,
        }
    }

    /// Wraps a short-form tag's content into `{name: content}` at `path`.
    fn wrap(&self, content: Built, wrap: Wrap, path: Arc<str>) -> Built {
        let key = Key {
            name: wrap.name.to_string(),
            origin: self.origin(wrap.span, content.node.origin.path.clone()),
        };
        let span = wrap.span.cover(content.node.origin.span);
        let stats = Stats {
            nodes: content.stats.nodes + 1,
            bytes: content.stats.bytes + path.len() + wrap.name.len(),
            height: content.stats.height + 1,
        };
        Built {
            node: Node::new(Val::Map(vec![(key, content.node)]), self.origin(span, path)),
            stats,
        }
    }

    fn key(
        &mut self,
        name: String,
        span: Span,
        anchor: usize,
        parent: &str,
    ) -> Result<(), DocumentError> {
        let path = join(parent, &name);
        let bytes = name.len() + path.len();
        self.charge(1, bytes, span)?;
        let origin = self.origin(span, path);
        if anchor != 0 {
            let node = Node::new(Val::Str(name.clone()), origin.clone());
            let stats = Stats {
                nodes: 1,
                bytes,
                height: 0,
            };
            self.charge(1, bytes, span)?;
            self.anchors.insert(anchor, Anchored { node, stats });
        }
        if let Some(frame) = self.stack.last_mut() {
            frame.touch(span);
            if let Kind::Map { pending, .. } = &mut frame.kind {
                *pending = Some(Key { name, origin });
            }
        }
        Ok(())
    }

    /// Opens a mapping (`map`) or sequence reported at byte `mark`. `starts_at_mark` when the
    /// collection's text starts there (a bracket, a block sequence's first dash; not a YAML block
    /// mapping, reported at its first colon); `flow` when it closes with a bracket.
    pub(super) fn start_collection(
        &mut self,
        map: bool,
        mark: u32,
        starts_at_mark: bool,
        flow: bool,
        wrap: Option<Wrap>,
        anchor: usize,
    ) -> Result<(), DocumentError> {
        let here = Span::new(mark, mark);
        let path = match self.slot() {
            Slot::Key(_) => return Err(DocumentError::ComplexKey { span: here }),
            Slot::Node(path) => path,
        };
        let weight = 1 + usize::from(wrap.is_some());
        self.check_depth(weight, here)?;
        let inner = match wrap {
            Some(w) => join(&path, w.name),
            None => path.clone(),
        };
        let wrap_bytes = wrap.map_or(0, |w| path.len() + w.name.len());
        self.charge(weight, inner.len() + wrap_bytes, here)?;
        self.depth += weight;
        let kind = if map {
            Kind::Map {
                entries: Vec::new(),
                pending: None,
                index: None,
            }
        } else {
            Kind::Seq(Vec::new())
        };
        self.stack.push(Frame {
            kind,
            path,
            stats: Stats {
                nodes: 1,
                bytes: inner.len(),
                height: 1,
            },
            inner,
            mark,
            start: starts_at_mark.then_some(mark),
            end: if flow { mark + 1 } else { mark },
            wrap,
            anchor,
            weight,
        });
        Ok(())
    }

    /// Closes the innermost collection; `close` is the end of its closing bracket, if any.
    pub(super) fn end_collection(&mut self, close: Option<u32>) -> Result<(), DocumentError> {
        let Some(mut frame) = self.stack.pop() else {
            return Ok(());
        };
        self.depth = self.depth.saturating_sub(frame.weight);
        let start = frame.start.unwrap_or(frame.mark);
        let end = close.map_or(frame.end, |c| c.max(frame.end));
        let span = Span::new(start, end);
        let val = match frame.kind {
            Kind::Map {
                mut entries,
                pending,
                mut index,
            } => {
                if let Some(key) = pending {
                    // A key without a value (only from a truncated event stream): null.
                    let at = key.origin.span.end;
                    let origin = self.origin(Span::new(at, at), key.origin.path.clone());
                    let node = Node::new(Val::Null, origin);
                    insert(&mut entries, &mut index, key, node, &mut self.warnings);
                }
                Val::Map(entries)
            }
            Kind::Seq(items) => Val::List(items),
        };
        let content = Built {
            node: Node::new(val, self.origin(span, frame.inner.clone())),
            stats: frame.stats,
        };
        // Charged when the collection opened.
        let built = match frame.wrap.take() {
            Some(wrap) => self.wrap(content, wrap, frame.path.clone()),
            None => content,
        };
        self.finish_node(built, frame.anchor)
    }

    /// An alias (`*name`) of anchor `id`, written at `span`.
    pub(super) fn alias(&mut self, id: usize, span: Span) -> Result<(), DocumentError> {
        let slot = self.slot();
        let Some(anchored) = self.anchors.get(&id) else {
            return Err(DocumentError::RecursiveAlias { span });
        };
        let path = match slot {
            Slot::Key(parent) => {
                let name = match &anchored.node.val {
                    Val::Str(s) | Val::Num(s) => s.clone(),
                    Val::Bool(b) => b.to_string(),
                    Val::Null => "null".to_string(),
                    _ => return Err(DocumentError::ComplexKey { span }),
                };
                return self.key(name, span, 0, &parent);
            }
            Slot::Node(path) => path,
        };
        let stats = anchored.stats;
        let limits = self.limits;
        if self.alias_nodes.saturating_add(stats.nodes) > limits.max_alias_nodes {
            return Err(DocumentError::AliasBomb {
                limit: limits.max_alias_nodes,
                span,
            });
        }
        if self.nodes.saturating_add(stats.nodes) > limits.max_nodes {
            return Err(DocumentError::AliasBomb {
                limit: limits.max_nodes,
                span,
            });
        }
        self.check_depth(stats.height, span)?;
        let budget = limits.max_text_bytes.saturating_sub(self.bytes);
        let mut bytes = 0;
        let old_len = anchored.node.origin.path.len();
        let Some(mut node) = rebase(&anchored.node, old_len, &path, &mut bytes, budget) else {
            return Err(DocumentError::TooLarge {
                limit: limits.max_text_bytes,
                span,
            });
        };
        node.origin.span = span;
        self.alias_nodes += stats.nodes;
        self.charge(stats.nodes, bytes, span)?;
        self.attach(Built {
            node,
            stats: Stats { bytes, ..stats },
        })
    }

    /// Registers an anchored node, then attaches it.
    fn finish_node(&mut self, built: Built, anchor: usize) -> Result<(), DocumentError> {
        if anchor != 0 {
            let span = built.node.origin.span;
            self.charge(built.stats.nodes, built.stats.bytes, span)?;
            self.anchors.insert(
                anchor,
                Anchored {
                    node: built.node.clone(),
                    stats: built.stats,
                },
            );
        }
        self.attach(built)
    }

    fn attach(&mut self, built: Built) -> Result<(), DocumentError> {
        let span = built.node.origin.span;
        let Some(frame) = self.stack.last_mut() else {
            if self.root.is_none() {
                self.root = Some(built.node);
            }
            return Ok(());
        };
        frame.touch(span);
        frame.stats.add_child(built.stats);
        match &mut frame.kind {
            Kind::Seq(items) => items.push(built.node),
            Kind::Map {
                entries,
                pending,
                index,
            } => {
                let Some(key) = pending.take() else {
                    return Err(DocumentError::ComplexKey { span });
                };
                insert(entries, index, key, built.node, &mut self.warnings);
            }
        }
        Ok(())
    }
}

pub(super) fn text_len(val: &Val) -> usize {
    match val {
        Val::Str(s) | Val::Num(s) => s.len(),
        _ => 0,
    }
}
