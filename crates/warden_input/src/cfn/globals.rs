//! SAM `Globals`: properties shared by every function, API, HTTP API, table and layer.
//!
//! Merge semantics as SAM documents them: a resource's own scalar wins; maps merge key by key
//! (recursively, the resource's entries winning); lists concatenate, globals first.

use warden_model::{Node, Val};

#[derive(Debug, Default)]
pub struct Globals {
    function: Option<Node>,
    api: Option<Node>,
    http_api: Option<Node>,
    simple_table: Option<Node>,
    layer: Option<Node>,
}

impl Globals {
    pub fn read(root: &Node) -> Self {
        let g = |name: &str| root.at(&["Globals", name]).cloned();
        Self {
            function: g("Function"),
            api: g("Api"),
            http_api: g("HttpApi"),
            simple_table: g("SimpleTable"),
            layer: g("LayerVersion"),
        }
    }

    /// The resource's properties with the matching globals merged in.
    pub fn apply(&self, kind: &str, props: Node) -> Node {
        let globals = match kind {
            "AWS::Serverless::Function" => &self.function,
            "AWS::Serverless::Api" => &self.api,
            "AWS::Serverless::HttpApi" => &self.http_api,
            "AWS::Serverless::SimpleTable" => &self.simple_table,
            "AWS::Serverless::LayerVersion" => &self.layer,
            _ => return props,
        };
        match globals {
            Some(g) => merge(g, props),
            None => props,
        }
    }
}

fn merge(global: &Node, local: Node) -> Node {
    match (&global.val, local.val) {
        (Val::Map(g), Val::Map(mut l)) => {
            let mut out = Vec::with_capacity(g.len() + l.len());
            for (gk, gv) in g {
                match l.iter().position(|(lk, _)| lk.name == gk.name) {
                    Some(i) => {
                        let (lk, lv) = l.remove(i);
                        out.push((lk, merge(gv, lv)));
                    }
                    None => out.push((gk.clone(), gv.clone())),
                }
            }
            out.extend(l);
            Node::new(Val::Map(out), local.origin)
        }
        (Val::List(g), Val::List(l)) => {
            let mut out = g.clone();
            out.extend(l);
            Node::new(Val::List(out), local.origin)
        }
        (_, val) => Node::new(val, local.origin),
    }
}
