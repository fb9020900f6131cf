//! Phase 9: rate limits (route bucket, then the key's usage plan), daily and monthly quotas,
//! the upstream's spend budget and its concurrency cap. Every refusal is a 429 with
//! `Retry-After`. The invocation's cost is recorded after the upstream answers.

use crate::config::{Period, RateKey};
use crate::context::{Meta, Principal};
use crate::error::{Reason, Rejection};
use crate::pipeline::{BoxFuture, GwRequest, Next, Phase, PhaseLayer};
use crate::state::Shared;
use crate::upstream::GwResponse;
use bytes::Bytes;
use std::sync::Arc;
use std::sync::atomic::Ordering;

#[derive(Clone)]
pub struct Limits(Arc<Shared>);

pub fn layer(s: &Arc<Shared>) -> PhaseLayer<Limits> {
    PhaseLayer(Limits(s.clone()))
}

impl<S: Next<Bytes>> Phase<Bytes, S> for Limits {
    fn run(&self, req: GwRequest, mut next: S) -> BoxFuture<Result<GwResponse, Rejection>> {
        let shared = self.0.clone();
        Box::pin(async move {
            let Some(meta) = req.extensions().get::<Arc<Meta>>().cloned() else {
                return next.call(req).await;
            };
            let Some(route) = meta.route.get().cloned() else {
                return next.call(req).await;
            };
            let principal = req.extensions().get::<Principal>().cloned();
            let store = &shared.store;
            if let Some(rl) = &route.rate_limit {
                let key = match rl.key {
                    RateKey::Route => format!("rl:{}", route.id),
                    RateKey::Ip => format!("rl:{}:ip:{}", route.id, meta.client_ip),
                    RateKey::Principal => match principal.as_ref().filter(|p| !p.id.is_empty()) {
                        Some(p) => format!("rl:{}:p:{}", route.id, p.id),
                        None => format!("rl:{}:ip:{}", route.id, meta.client_ip),
                    },
                };
                store.rate(&key, rl.params).await?;
            }
            if let Some(p) = &principal {
                if let (Some(key_id), Some((plan_name, plan))) = (
                    &p.api_key,
                    p.plan
                        .as_ref()
                        .and_then(|n| shared.plans.get(n).map(|plan| (n, plan))),
                ) {
                    // Counters are per key and plan: a key in two plans counts in each.
                    if let Some(rl) = &plan.rate {
                        store
                            .rate(&format!("plan:{plan_name}:{key_id}"), rl.params)
                            .await?;
                    }
                    if let Some(q) = plan.quota_day {
                        store
                            .quota(&format!("quota:{plan_name}:{key_id}:day"), q, Period::Day)
                            .await?;
                    }
                    if let Some(q) = plan.quota_month {
                        store
                            .quota(
                                &format!("quota:{plan_name}:{key_id}:month"),
                                q,
                                Period::Month,
                            )
                            .await?;
                    }
                }
            }
            let upstream = route.upstream.clone();
            if let Some(b) = &upstream.budget {
                store.budget_check(&upstream.name, b).await?;
            }
            let _permit = match &upstream.concurrency {
                Some(sem) => match sem.clone().try_acquire_owned() {
                    Ok(p) => Some(p),
                    Err(_) => return Err(Rejection::client("limits", Reason::ConcurrencyLimited)),
                },
                None => None,
            };
            let result = next.call(req).await;
            if let Some(b) = &upstream.budget {
                let us = meta.upstream_us.load(Ordering::Relaxed);
                if us > 0 {
                    store.budget_spend(&upstream.name, b, us).await;
                }
            }
            result
        })
    }
}
