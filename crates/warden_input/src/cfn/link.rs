//! The last lowering pass: drop links to things that are not functions, and give each route's
//! function its API trigger when the route was declared outside the function (plain CloudFormation,
//! OpenAPI bodies).

use warden_model::{App, Trigger, TriggerKind, Val};

pub fn finish(app: &mut App) {
    let function_ids: Vec<String> = app.functions.iter().map(|f| f.id.clone()).collect();
    let mut extra: Vec<(String, Trigger)> = Vec::new();
    for api in &mut app.apis {
        for route in &mut api.routes {
            if route
                .function
                .as_ref()
                .is_some_and(|f| !function_ids.contains(f))
            {
                route.function = None;
            }
            let Some(function) = &route.function else {
                continue;
            };
            let kind = match api.kind {
                warden_model::ApiKind::Rest => TriggerKind::Api,
                warden_model::ApiKind::Http => TriggerKind::HttpApi,
                warden_model::ApiKind::FunctionApp => TriggerKind::Http,
            };
            extra.push((
                function.clone(),
                Trigger {
                    name: format!("{} {} {}", api.id, route.method, route.path),
                    kind,
                    origin: route.origin.clone(),
                    source: Some(api.id.clone()),
                    properties: warden_model::Node::new(Val::Map(Vec::new()), route.origin.clone()),
                },
            ));
        }
    }
    for (function, trigger) in extra {
        if let Some(f) = app.functions.iter_mut().find(|f| f.id == function) {
            let already = f
                .triggers
                .iter()
                .any(|t| t.kind == trigger.kind && t.origin == trigger.origin);
            if !already {
                f.triggers.push(trigger);
            }
        }
    }
}
