//! Authorizers of a derived route: JWT authorizers (issuer and audience from the template, keys
//! from `{issuer}/.well-known/jwks.json` or `--jwks-file`), Cognito user pool authorizers (the
//! issuer derived from the pool ARN; REST APIs check the issuer, not the audience, as API Gateway
//! does), and the kinds that cannot be enforced outside AWS (IAM, Lambda authorizers).

use super::{Options, get_ci, kind_text};
use warden_gateway::config::JwtConfig;
use warden_model::{Api, ApiKind, App, AuthKind, Node, Route};

/// How a route authenticates.
#[derive(Debug)]
pub enum Outcome {
    /// No authorizer.
    Open,
    /// A JWT authorizer (`name` is the gateway authorizer's name) and the scopes the route needs.
    Jwt {
        name: String,
        config: Box<JwtConfig>,
        scopes: Vec<String>,
    },
    /// An authorizer that cannot be enforced here, and why.
    Unenforceable(String),
}

/// Asymmetric algorithms identity providers sign with (never `none`, never HS*).
const ALGORITHMS: &[&str] = &["RS256", "RS384", "RS512", "ES256", "ES384"];

/// `api_name` prefixes the gateway authorizer's name (`API.Authorizer`).
pub fn for_route(
    app: &App,
    api: &Api,
    api_name: &str,
    route: &Route,
    event: Option<&Node>,
    opts: &Options,
) -> Outcome {
    match &route.auth {
        AuthKind::None => Outcome::Open,
        AuthKind::Jwt | AuthKind::Cognito => {
            let Some(name) = route.authorizer.as_deref() else {
                return Outcome::Unenforceable(format!(
                    "{} without a name",
                    kind_text(&route.auth)
                ));
            };
            match jwt(app, api, name, &route.auth, opts) {
                Ok(config) => Outcome::Jwt {
                    name: format!("{api_name}.{name}"),
                    config: Box::new(config),
                    scopes: scopes(event),
                },
                Err(why) => Outcome::Unenforceable(format!("authorizer `{name}`: {why}")),
            }
        }
        other => Outcome::Unenforceable(format!(
            "{} cannot be enforced outside AWS",
            kind_text(other)
        )),
    }
}

/// `Auth.AuthorizationScopes` of the event.
fn scopes(event: Option<&Node>) -> Vec<String> {
    event
        .and_then(|e| e.at(&["Auth", "AuthorizationScopes"]))
        .map(|s| {
            s.items()
                .iter()
                .filter_map(Node::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// The definition of a named authorizer: SAM `Auth.Authorizers`, Serverless
/// `provider.httpApi.authorizers`, or a CloudFormation authorizer resource.
fn definition<'a>(app: &'a App, api: &'a Api, name: &str) -> Option<&'a Node> {
    api.properties
        .at(&["Auth", "Authorizers", name])
        .or_else(|| api.properties.at(&["authorizers", name]))
        .or_else(|| {
            app.resources
                .iter()
                .find(|r| {
                    r.id == name
                        && matches!(
                            r.kind.as_str(),
                            "AWS::ApiGatewayV2::Authorizer" | "AWS::ApiGateway::Authorizer"
                        )
                })
                .map(|r| &r.properties)
        })
}

fn known_str(node: Option<&Node>, what: &str) -> Result<String, String> {
    let node = node.ok_or_else(|| format!("no {what}"))?;
    if let Some(u) = node.as_unknown() {
        return Err(format!("{what} is not known statically ({})", u.expr));
    }
    node.as_str()
        .map(str::to_string)
        .ok_or_else(|| format!("{what} is not a string"))
}

fn jwt(
    app: &App,
    api: &Api,
    name: &str,
    kind: &AuthKind,
    opts: &Options,
) -> Result<JwtConfig, String> {
    let def = definition(app, api, name).ok_or("definition not found in the template")?;
    let (issuer, audiences, verify_audience) = if *kind == AuthKind::Cognito {
        let arn = get_ci(def, "UserPoolArn")
            .or_else(|| get_ci(def, "ProviderARNs"))
            .or_else(|| get_ci(def, "arn"));
        let first = arn.map(|a| a.items().first().unwrap_or(a));
        let arn = known_str(first, "user pool ARN")?;
        let issuer =
            cognito_issuer(&arn).ok_or_else(|| format!("`{arn}` is not a user pool ARN"))?;
        // API Gateway's Cognito authorizer of a REST API accepts any token of the pool.
        (issuer, Vec::new(), api.kind != ApiKind::Rest)
    } else {
        let jc = get_ci(def, "JwtConfiguration").unwrap_or(def);
        let issuer = known_str(
            get_ci(jc, "issuer").or_else(|| get_ci(jc, "issuerUrl")),
            "issuer",
        )?;
        let aud = get_ci(jc, "audience").ok_or("no audience")?;
        let mut audiences = Vec::new();
        for a in aud.one_or_many() {
            audiences.push(known_str(Some(a), "audience")?);
        }
        if audiences.is_empty() {
            return Err("no audience".into());
        }
        (issuer, audiences, true)
    };
    if !issuer.starts_with("https://") && !issuer.starts_with("http://") {
        return Err(format!("issuer `{issuer}` is not a URL"));
    }
    let header = get_ci(def, "IdentitySource")
        .or_else(|| def.at(&["Identity", "Header"]))
        .and_then(Node::as_str)
        .unwrap_or("Authorization");
    let header = header
        .trim_start_matches("$request.header.")
        .trim_start_matches("method.request.header.");
    if !header.eq_ignore_ascii_case("authorization") {
        return Err(format!(
            "identity source `{header}`: the gateway reads tokens from Authorization only"
        ));
    }
    let (jwks_file, jwks_url) = match &opts.jwks_file {
        Some(f) => (Some(f.clone()), None),
        None => (
            None,
            Some(format!(
                "{}/.well-known/jwks.json",
                issuer.trim_end_matches('/')
            )),
        ),
    };
    Ok(JwtConfig {
        jwks_file,
        jwks_url,
        issuers: vec![issuer],
        audiences,
        verify_audience,
        algorithms: ALGORITHMS.iter().map(|a| a.to_string()).collect(),
        ..JwtConfig::default()
    })
}

/// `arn:aws:cognito-idp:REGION:ACCOUNT:userpool/POOL` → `https://cognito-idp.REGION.amazonaws.com/POOL`.
pub fn cognito_issuer(arn: &str) -> Option<String> {
    let mut parts = arn.splitn(6, ':');
    let (Some("arn"), Some(partition), Some("cognito-idp"), Some(region), Some(_), Some(res)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return None;
    };
    let pool = res.strip_prefix("userpool/")?;
    let ok = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    if !ok(region) || !ok(pool) {
        return None;
    }
    let domain = match partition {
        "aws-cn" => "amazonaws.com.cn",
        _ => "amazonaws.com",
    };
    Some(format!("https://cognito-idp.{region}.{domain}/{pool}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cognito_issuer_from_pool_arn() {
        assert_eq!(
            cognito_issuer("arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbC123")
                .as_deref(),
            Some("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123")
        );
        assert!(cognito_issuer("arn:aws:iam::123456789012:role/x").is_none());
        assert!(cognito_issuer("arn:aws:cognito-idp:eu-west-1:1:userpool/../x").is_none());
    }
}
