//! The serverless application: functions, their identities, triggers, APIs and data stores.
//!
//! Format lowerings (SAM/CloudFormation today) fill these; rules read them. Raw properties stay
//! available as resolved [`Node`]s for checks that need a detail the model does not name yet.

use crate::value::Node;
use std::collections::BTreeMap;
use warden_source::Origin;

/// The source format an app was lowered from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// CloudFormation with the `AWS::Serverless-2016-10-31` transform.
    Sam,
    CloudFormation,
    /// `serverless.yml` (Serverless Framework v3/v4, AWS provider).
    ServerlessFramework,
    /// A Terraform root module (`*.tf`, AWS, Azure and GCP providers).
    Terraform,
    /// An Azure Functions project (`host.json`, `function.json`, decorated code).
    AzureFunctions,
    /// A CloudFormation template synthesized by the AWS CDK (`cdk.out/*.template.json`).
    Cdk,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Sam => "sam",
            Format::CloudFormation => "cloudformation",
            Format::ServerlessFramework => "serverless",
            Format::Terraform => "terraform",
            Format::AzureFunctions => "azure-functions",
            Format::Cdk => "cdk",
        }
    }
}

/// One application: one template (or project file) and everything it declares.
#[derive(Debug, Clone)]
pub struct App {
    /// The template's path relative to the scanned root.
    pub file: String,
    pub format: Format,
    pub functions: Vec<Function>,
    pub roles: Vec<Role>,
    pub apis: Vec<Api>,
    pub permissions: Vec<Permission>,
    pub resources: Vec<Resource>,
    pub parameters: Vec<Parameter>,
    /// Suppressions declared in resource `Metadata` (`warden: {ignore: [...]}`).
    pub suppressions: Vec<Suppression>,
    /// Role grants to function identities on clouds without IAM policy documents (Azure role
    /// assignments, GCP IAM bindings).
    pub identity_grants: Vec<IdentityGrant>,
    /// CDK construct paths (`aws:cdk:path` metadata) by logical id, for CDK-synthesized templates.
    pub construct_paths: BTreeMap<String, String>,
}

impl App {
    pub fn new(file: impl Into<String>, format: Format) -> Self {
        Self {
            file: file.into(),
            format,
            functions: Vec::new(),
            roles: Vec::new(),
            apis: Vec::new(),
            permissions: Vec::new(),
            resources: Vec::new(),
            parameters: Vec::new(),
            suppressions: Vec::new(),
            identity_grants: Vec::new(),
            construct_paths: BTreeMap::new(),
        }
    }

    pub fn function(&self, id: &str) -> Option<&Function> {
        self.functions.iter().find(|f| f.id == id)
    }

    pub fn role(&self, id: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.id == id)
    }

    pub fn resource(&self, id: &str) -> Option<&Resource> {
        self.resources.iter().find(|r| r.id == id)
    }

    /// The role a function runs as, when it is declared in this app.
    pub fn role_of(&self, function: &Function) -> Option<&Role> {
        match &function.role {
            RoleLink::Resource(id) => self.role(id),
            _ => None,
        }
    }
}

/// A template parameter.
#[derive(Debug, Clone)]
pub struct Parameter {
    pub name: String,
    pub origin: Origin,
    pub kind: Option<String>,
    pub default: Option<Node>,
    pub no_echo: bool,
}

/// Any declared resource, for rules over types the model does not lower specially.
#[derive(Debug, Clone)]
pub struct Resource {
    /// Logical id.
    pub id: String,
    /// The resource type, e.g. `AWS::S3::Bucket`.
    pub kind: String,
    /// Origin of the resource's key in `Resources`.
    pub origin: Origin,
    /// The resolved `Properties` (an empty map when absent).
    pub properties: Node,
    /// Present when the resource has a `Condition` that may be false.
    pub condition: Option<String>,
}

/// The cloud a function or resource runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cloud {
    Aws,
    Azure,
    Gcp,
}

/// What declared a function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FunctionKind {
    SamFunction,
    LambdaFunction,
    /// An Azure function (a trigger in a function app, or the function app itself from Terraform).
    AzureFunction,
    /// A Google Cloud Function (1st or 2nd generation).
    GcpFunction,
}

impl FunctionKind {
    pub fn cloud(self) -> Cloud {
        match self {
            FunctionKind::SamFunction | FunctionKind::LambdaFunction => Cloud::Aws,
            FunctionKind::AzureFunction => Cloud::Azure,
            FunctionKind::GcpFunction => Cloud::Gcp,
        }
    }

    /// True for AWS Lambda functions, to which the Lambda-specific rules apply.
    pub fn is_lambda(self) -> bool {
        self.cloud() == Cloud::Aws
    }
}

/// A serverless function.
#[derive(Debug, Clone)]
pub struct Function {
    pub id: String,
    pub kind: FunctionKind,
    pub origin: Origin,
    pub runtime: Option<Node>,
    pub handler: Option<Node>,
    pub code_uri: Option<Node>,
    pub role: RoleLink,
    pub environment: Vec<EnvVar>,
    /// `KmsKeyArn` protecting the environment.
    pub kms_key: Option<Node>,
    pub triggers: Vec<Trigger>,
    pub url: Option<FunctionUrl>,
    pub reserved_concurrency: Option<Node>,
    pub timeout: Option<Node>,
    pub memory_size: Option<Node>,
    pub tracing: Option<Node>,
    pub layers: Vec<Node>,
    pub dead_letter: Option<Node>,
    pub vpc: Option<Node>,
    pub code_signing: Option<Node>,
    /// The identity a non-AWS function runs as: a GCP service account email, an Azure managed
    /// identity block. `None` for Lambda (see `role`) and when the platform default applies.
    pub identity: Option<Node>,
    /// The resolved properties after SAM `Globals` merge.
    pub properties: Node,
}

/// How a function's role is given.
#[derive(Debug, Clone)]
pub enum RoleLink {
    /// A role declared in this app (explicit `AWS::IAM::Role`, or the role SAM generates).
    Resource(String),
    /// An ARN or expression outside the app (may be unknown).
    External(Node),
    /// No role at all (invalid for deployment).
    Missing,
}

/// An environment variable of a function.
#[derive(Debug, Clone)]
pub struct EnvVar {
    pub name: String,
    /// Origin of the variable's key.
    pub origin: Origin,
    pub value: Node,
}

/// An IAM role and every policy attached to it.
#[derive(Debug, Clone)]
pub struct Role {
    pub id: String,
    pub origin: Origin,
    /// The function this role was generated for by SAM, when implicit.
    pub generated_for: Option<String>,
    pub trust_policy: Option<Node>,
    pub policies: Vec<AttachedPolicy>,
    pub permissions_boundary: Option<Node>,
}

/// Where an attached policy comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum PolicySource {
    /// Written inline in the template (`Policies` statements, `AWS::IAM::Policy`).
    Inline,
    /// An AWS managed policy, by name (`AWSLambdaBasicExecutionRole`).
    AwsManaged { name: String },
    /// A customer managed policy declared in this template.
    CustomerManaged { resource: String },
    /// A SAM policy template (`DynamoDBCrudPolicy`) with its parameters.
    SamTemplate { name: String },
    /// An ARN or expression that cannot be resolved offline.
    External,
}

/// A policy attached to a role.
#[derive(Debug, Clone)]
pub struct AttachedPolicy {
    pub name: String,
    pub origin: Origin,
    pub source: PolicySource,
    /// The policy document; `None` when it cannot be resolved (unknown managed policy, external ARN).
    pub document: Option<Node>,
}

/// The kind of event that triggers a function.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TriggerKind {
    Api,
    HttpApi,
    /// An HTTP trigger served by the function platform itself (Azure `httpTrigger`, a GCP
    /// function's HTTPS trigger).
    Http,
    S3,
    Sns,
    Sqs,
    Schedule,
    EventBridge,
    DynamoDb,
    Kinesis,
    Msk,
    Mq,
    CloudWatchLogs,
    Cognito,
    IotRule,
    SelfManagedKafka,
    DocumentDb,
    Alexa,
    Other(String),
}

impl TriggerKind {
    /// From a SAM event `Type`.
    pub fn from_sam(kind: &str) -> Self {
        match kind {
            "Api" => TriggerKind::Api,
            "HttpApi" => TriggerKind::HttpApi,
            "S3" => TriggerKind::S3,
            "SNS" => TriggerKind::Sns,
            "SQS" => TriggerKind::Sqs,
            "Schedule" | "ScheduleV2" => TriggerKind::Schedule,
            "EventBridgeRule" | "CloudWatchEvent" => TriggerKind::EventBridge,
            "DynamoDB" => TriggerKind::DynamoDb,
            "Kinesis" => TriggerKind::Kinesis,
            "MSK" => TriggerKind::Msk,
            "MQ" => TriggerKind::Mq,
            "CloudWatchLogs" => TriggerKind::CloudWatchLogs,
            "Cognito" => TriggerKind::Cognito,
            "IoTRule" => TriggerKind::IotRule,
            "SelfManagedKafka" => TriggerKind::SelfManagedKafka,
            "DocumentDB" => TriggerKind::DocumentDb,
            "AlexaSkill" => TriggerKind::Alexa,
            other => TriggerKind::Other(other.to_string()),
        }
    }

    /// True for triggers whose payload comes from clients over HTTP.
    pub fn is_http(&self) -> bool {
        matches!(
            self,
            TriggerKind::Api | TriggerKind::HttpApi | TriggerKind::Http
        )
    }
}

/// An event source of a function.
#[derive(Debug, Clone)]
pub struct Trigger {
    /// The event's name (SAM `Events` key) or the declaring resource's logical id.
    pub name: String,
    pub kind: TriggerKind,
    pub origin: Origin,
    /// The source resource (bucket, queue, topic, stream...) when it is declared in this app.
    pub source: Option<String>,
    /// The event properties, resolved.
    pub properties: Node,
}

/// A Lambda function URL.
#[derive(Debug, Clone)]
pub struct FunctionUrl {
    pub origin: Origin,
    /// `AuthType`: `NONE` or `AWS_IAM` (or unknown).
    pub auth_type: Node,
    pub cors: Option<Node>,
}

/// REST (API Gateway v1) or HTTP (v2) API, or the HTTP endpoints a function platform serves itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKind {
    Rest,
    Http,
    /// HTTP triggers served by the function platform (an Azure function app's `/api/...` routes,
    /// a GCP function's HTTPS trigger): no API Gateway stage, WAF association or usage plan.
    FunctionApp,
}

impl ApiKind {
    /// True for API Gateway APIs, to which stage, WAF and usage-plan rules apply.
    pub fn is_api_gateway(self) -> bool {
        matches!(self, ApiKind::Rest | ApiKind::Http)
    }
}

/// An API and its routes.
#[derive(Debug, Clone)]
pub struct Api {
    pub id: String,
    pub kind: ApiKind,
    pub origin: Origin,
    /// True when SAM creates the API implicitly from function events.
    pub implicit: bool,
    pub routes: Vec<Route>,
    /// Named authorizers declared on the API.
    pub authorizers: BTreeMap<String, Authorizer>,
    pub default_authorizer: Option<Node>,
    /// Whether every route requires an API key by default.
    pub api_key_required: Option<Node>,
    pub cors: Option<Node>,
    /// Stage-level throttling/method settings, `DefaultRouteSettings`, usage plans.
    pub throttling: Option<Node>,
    pub access_log: Option<Node>,
    /// Whether the API is private or edge/regional (REST `EndpointConfiguration`).
    pub endpoint: Option<Node>,
    pub properties: Node,
}

/// An authorizer declared on an API.
#[derive(Debug, Clone)]
pub struct Authorizer {
    pub name: String,
    pub origin: Origin,
    pub kind: AuthKind,
}

/// How a route authenticates callers.
#[derive(Debug, Clone, PartialEq)]
pub enum AuthKind {
    /// Open to anyone (no authorizer, `AuthorizationType: NONE`, SAM `Authorizer: NONE`).
    None,
    Iam,
    Cognito,
    Jwt,
    Lambda,
    /// Authentication could not be determined statically.
    Unknown(String),
}

/// A route (method and path) of an API that reaches a function.
#[derive(Debug, Clone)]
pub struct Route {
    /// The HTTP method (`GET`, `ANY`), or a comma-separated list (`GET,POST`) for a platform
    /// trigger that declares several methods (one route per trigger, so each is reported once).
    pub method: String,
    pub path: String,
    pub origin: Origin,
    /// The function the route invokes, when known.
    pub function: Option<String>,
    pub auth: AuthKind,
    /// The authorizer's name, when one applies.
    pub authorizer: Option<String>,
    /// True when an API key is required (API keys identify, they do not authenticate users).
    pub api_key_required: bool,
}

/// A Lambda permission (a statement of a function's resource policy).
#[derive(Debug, Clone)]
pub struct Permission {
    pub id: String,
    pub origin: Origin,
    /// The target function's logical id when it is declared here.
    pub function: Option<String>,
    pub action: Node,
    pub principal: Node,
    pub source_arn: Option<Node>,
    pub source_account: Option<Node>,
    pub principal_org_id: Option<Node>,
    pub function_url_auth_type: Option<Node>,
}

/// A suppression declared in a resource's `Metadata`.
#[derive(Debug, Clone)]
pub struct Suppression {
    /// The logical id of the resource it applies to.
    pub resource: String,
    pub rule: String,
    pub reason: Option<String>,
    pub origin: Origin,
}

/// How far a role grant reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrantScope {
    /// An Azure management group or a GCP organization or folder.
    Organization,
    /// An Azure subscription.
    Subscription,
    /// An Azure resource group.
    ResourceGroup,
    /// A GCP project.
    Project,
    /// One resource.
    Resource,
    /// The scope could not be determined statically.
    Unknown,
}

/// A role granted to a function's identity (Azure `azurerm_role_assignment`, GCP
/// `google_project_iam_member`/`_binding`/`_policy`).
#[derive(Debug, Clone)]
pub struct IdentityGrant {
    /// The function whose identity receives the role, when the principal links to one.
    pub function: Option<String>,
    /// The declaring resource's address (`azurerm_role_assignment.fn_owner`).
    pub id: String,
    pub origin: Origin,
    pub cloud: Cloud,
    /// The role as written: `Owner`, `Contributor`, `roles/editor`, a role definition id.
    pub role: Node,
    pub scope: GrantScope,
    /// The principal as written (object id expression, `serviceAccount:...` member).
    pub principal: Node,
}
