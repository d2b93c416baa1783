//! The `CognitoApi` implementation on top of the AWS SDK.

use std::collections::HashMap;
use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_cognitoidentityprovider as cip;
use aws_smithy_types::DateTime as SmithyTime;
use chrono::{DateTime, Utc};
use cip::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use cip::operation::list_users::ListUsersError;
use cip::operation::resend_confirmation_code::ResendConfirmationCodeError;
use cip::types::{
    AnalyticsMetadataType, AttributeType, DeliveryMediumType, MessageActionType,
    UserContextDataType,
};

use super::diagnostics::{ClientSettings, LogDestination, PoolFacts, PoolSettings};
use super::{
    ApiError, CognitoApi, Delivery, DeliveryMedium, ErrorKind, ListQuery, Operation, PAGE_SIZE,
    ResendRequest, User, UserPage,
};
use crate::secret::ClientSecret;

/// A dead endpoint must give an error in seconds, not a hang.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
/// One attempt's limit unless `--timeout` says otherwise; a whole call gets three times that.
pub const DEFAULT_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(10);
/// List calls retry throttling with backoff; ResendConfirmationCode never retries.
const LIST_MAX_ATTEMPTS: u32 = 4;

/// Where and as whom to connect: the pool's settings, with command-line flags applied on top.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Endpoint {
    pub region: String,
    pub profile: Option<String>,
    pub endpoint_url: Option<String>,
    /// One attempt's time limit; `None` for the default.
    pub attempt_timeout: Option<Duration>,
}

pub async fn load_sdk_config(endpoint: &Endpoint) -> SdkConfig {
    let attempt = endpoint.attempt_timeout.unwrap_or(DEFAULT_ATTEMPT_TIMEOUT);
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new(endpoint.region.clone()))
        // Throttling is retried with exponential backoff and jitter. (The SDK's adaptive mode
        // was tried: after two throttled pages it held the next call back for over 20 s, which a
        // support desk reads as a hang; max_list_rps does the pacing instead.)
        .retry_config(RetryConfig::standard().with_max_attempts(LIST_MAX_ATTEMPTS))
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(CONNECT_TIMEOUT.min(attempt))
                .operation_attempt_timeout(attempt)
                .operation_timeout(attempt * 3)
                .build(),
        );
    if let Some(profile) = &endpoint.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(url) = &endpoint.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    loader.load().await
}

#[derive(Debug, Clone)]
pub struct SdkCognito {
    client: cip::Client,
    /// For GetCallerIdentity (the audit log's operator); absent for clients built in tests.
    sts: Option<aws_sdk_sts::Client>,
    user_pool_id: String,
    /// The pool's `max_list_rps`, shared by every listing of this process.
    list_rate: Option<std::sync::Arc<super::rate::RateLimit>>,
    /// For the SES and SNS calls (other regions, same credentials); absent in tests.
    sdk: Option<SdkConfig>,
}

impl SdkCognito {
    pub fn new(client: cip::Client, user_pool_id: impl Into<String>) -> Self {
        Self {
            client,
            sts: None,
            user_pool_id: user_pool_id.into(),
            list_rate: None,
            sdk: None,
        }
    }

    /// ListUsers at most `per_second` calls a second for this pool, whoever lists.
    pub fn with_list_rate(mut self, per_second: f64) -> Self {
        self.list_rate = Some(super::rate::for_pool(&self.user_pool_id, per_second));
        self
    }

    pub fn from_sdk_config(config: &SdkConfig, user_pool_id: impl Into<String>) -> Self {
        Self {
            sts: Some(aws_sdk_sts::Client::new(config)),
            sdk: Some(config.clone()),
            ..Self::new(cip::Client::new(config), user_pool_id)
        }
    }

    async fn pool_settings(&self) -> Result<PoolSettings, ApiError> {
        let out = self
            .client
            .describe_user_pool()
            .user_pool_id(&self.user_pool_id)
            .send()
            .await
            .map_err(|e| map_sdk_error(Operation::DescribePool, e, |_| None))?;
        let Some(pool) = out.user_pool() else {
            return Ok(PoolSettings::default());
        };
        let email = pool.email_configuration();
        let lambda = pool.lambda_config();
        Ok(PoolSettings {
            auto_verified: pool
                .auto_verified_attributes()
                .iter()
                .map(|a| a.as_str().to_string())
                .collect(),
            email_sending_account: email
                .and_then(|e| e.email_sending_account())
                .map(|a| a.as_str().to_string()),
            email_source_arn: email.and_then(|e| e.source_arn()).map(str::to_string),
            email_from: email.and_then(|e| e.from()).map(str::to_string),
            default_email_option: pool
                .verification_message_template()
                .and_then(|t| t.default_email_option())
                .map(|o| o.as_str().to_string()),
            custom_message: lambda.and_then(|l| l.custom_message()).map(str::to_string),
            custom_email_sender: lambda
                .and_then(|l| l.custom_email_sender())
                .map(|c| c.lambda_arn().to_string()),
            custom_sms_sender: lambda
                .and_then(|l| l.custom_sms_sender())
                .map(|c| c.lambda_arn().to_string()),
            sms_role: pool
                .sms_configuration()
                .map(|c| c.sns_caller_arn().to_string()),
            sns_region: pool
                .sms_configuration()
                .and_then(|c| c.sns_region())
                .map(str::to_string),
            sms_failure: pool.sms_configuration_failure().map(str::to_string),
            email_failure: pool.email_configuration_failure().map(str::to_string),
            case_sensitive: pool.username_configuration().map(|c| c.case_sensitive()),
            arn: pool.arn().map(str::to_string),
        })
    }

    async fn client_settings(&self, client_id: &str) -> Result<ClientSettings, ApiError> {
        let out = self
            .client
            .describe_user_pool_client()
            .user_pool_id(&self.user_pool_id)
            .client_id(client_id)
            .send()
            .await
            .map_err(|e| map_sdk_error(Operation::DescribeClient, e, |_| None))?;
        let client = out.user_pool_client();
        // Only whether there is a secret: the secret itself is dropped here.
        Ok(ClientSettings {
            has_secret: client.and_then(|c| c.client_secret()).is_some(),
            prevent_user_existence_errors: client
                .and_then(|c| c.prevent_user_existence_errors())
                .map(|p| p.as_str().to_string()),
        })
    }

    async fn log_destinations(&self) -> Result<Vec<LogDestination>, ApiError> {
        let out = self
            .client
            .get_log_delivery_configuration()
            .user_pool_id(&self.user_pool_id)
            .send()
            .await
            .map_err(|e| map_sdk_error(Operation::LogDelivery, e, |_| None))?;
        Ok(out
            .log_delivery_configuration()
            .map(|c| c.log_configurations())
            .unwrap_or_default()
            .iter()
            .map(|l| LogDestination {
                event_source: l.event_source().as_str().to_string(),
                level: l.log_level().as_str().to_string(),
                target: l
                    .cloud_watch_logs_configuration()
                    .and_then(|c| c.log_group_arn())
                    .or_else(|| l.s3_configuration().and_then(|c| c.bucket_arn()))
                    .or_else(|| l.firehose_configuration().and_then(|c| c.stream_arn()))
                    .unwrap_or("(no destination)")
                    .to_string(),
            })
            .collect())
    }

    /// A client for the pool at `endpoint`, with cogtui's timeouts and retry policy.
    pub async fn connect(endpoint: &Endpoint, user_pool_id: impl Into<String>) -> Self {
        Self::from_sdk_config(&load_sdk_config(endpoint).await, user_pool_id)
    }

    /// Every pool these credentials can see in the region (`cogtui init`): id and name.
    pub async fn list_pools(&self) -> Result<Vec<(String, String)>, ApiError> {
        let pools = self
            .client
            .list_user_pools()
            .max_results(60)
            .into_paginator()
            .items()
            .send()
            .try_collect()
            .await
            .map_err(|e| map_sdk_error(Operation::ListPools, e, |_| None))?;
        Ok(pools
            .iter()
            .map(|p| (named(p.id()), named(p.name())))
            .collect())
    }

    /// The pool's app clients (`cogtui init`): id and name.
    pub async fn list_clients(&self) -> Result<Vec<(String, String)>, ApiError> {
        let clients = self
            .client
            .list_user_pool_clients()
            .user_pool_id(&self.user_pool_id)
            .max_results(60)
            .into_paginator()
            .items()
            .send()
            .try_collect()
            .await
            .map_err(|e| map_sdk_error(Operation::ListClients, e, |_| None))?;
        Ok(clients
            .iter()
            .map(|c| (named(c.client_id()), named(c.client_name())))
            .collect())
    }

    /// The pool's name in Cognito (`cogtui init`, given a pool id), if it can be read.
    pub async fn pool_label(&self) -> Option<String> {
        let out = self
            .client
            .describe_user_pool()
            .user_pool_id(&self.user_pool_id)
            .send()
            .await
            .ok()?;
        out.user_pool()?.name().map(str::to_string)
    }

    /// Whether the app client has a secret (`cogtui init`); the secret itself is dropped here.
    pub async fn client_has_secret(&self, client_id: &str) -> Result<bool, ApiError> {
        self.client_settings(client_id).await.map(|c| c.has_secret)
    }

    /// Reads the app client's secret (for `fetch_client_secret = true`).
    pub async fn fetch_client_secret(
        &self,
        client_id: &str,
    ) -> Result<Option<ClientSecret>, ApiError> {
        let out = self
            .client
            .describe_user_pool_client()
            .user_pool_id(&self.user_pool_id)
            .client_id(client_id)
            .send()
            .await
            .map_err(|e| map_sdk_error(Operation::DescribeClient, e, |_| None))?;
        Ok(out
            .user_pool_client()
            .and_then(|c| c.client_secret())
            .map(ClientSecret::new))
    }
}

impl CognitoApi for SdkCognito {
    async fn pool_facts(&self, client_id: &str) -> PoolFacts {
        let (pool, client, logs) = tokio::join!(
            self.pool_settings(),
            self.client_settings(client_id),
            self.log_destinations()
        );
        PoolFacts { pool, client, logs }
    }

    async fn caller_arn(&self) -> Option<String> {
        let sts = self.sts.as_ref()?;
        match sts.get_caller_identity().send().await {
            Ok(out) => out.arn().map(str::to_string),
            Err(e) => {
                tracing::info!(error = %DisplayErrorContext(&e), "no caller identity for the audit log");
                None
            }
        }
    }

    async fn list_page(
        &self,
        query: &ListQuery,
        token: Option<String>,
    ) -> Result<UserPage, ApiError> {
        let mut call = self
            .client
            .list_users()
            .user_pool_id(&self.user_pool_id)
            .limit(PAGE_SIZE)
            .set_filter(query.server_filter())
            .set_pagination_token(token)
            .customize();
        if let Some(rate) = &self.list_rate {
            rate.wait().await;
            call = call.interceptor(Pacing(rate.clone()));
        }
        let out = call
            .send()
            .await
            .map_err(|e| map_sdk_error(Operation::ListUsers, e, list_error_code))?;
        let users = out
            .users()
            .iter()
            .map(|u| User {
                username: u.username().unwrap_or_default().to_string(),
                status: u
                    .user_status()
                    .map(|s| s.as_str().into())
                    .unwrap_or_default(),
                enabled: u.enabled(),
                created: u.user_create_date().and_then(to_chrono),
                modified: u.user_last_modified_date().and_then(to_chrono),
                attributes: attributes(u.attributes()),
            })
            .filter(|u| query.keeps(u))
            .collect();
        Ok(UserPage {
            users,
            next_token: out
                .pagination_token()
                .filter(|t| !t.is_empty())
                .map(str::to_string),
            slowed_to: self.list_rate.as_ref().and_then(|rate| rate.slowed_to()),
        })
    }

    async fn get_user(&self, username: &str) -> Result<User, ApiError> {
        let out = self
            .client
            .admin_get_user()
            .user_pool_id(&self.user_pool_id)
            .username(username)
            .send()
            .await
            .map_err(|e| map_sdk_error(Operation::GetUser, e, |_| None))?;
        Ok(User {
            username: out.username().to_string(),
            status: out
                .user_status()
                .map(|s| s.as_str().into())
                .unwrap_or_default(),
            enabled: out.enabled(),
            created: out.user_create_date().and_then(to_chrono),
            modified: out.user_last_modified_date().and_then(to_chrono),
            attributes: attributes(out.user_attributes()),
        })
    }

    async fn suppressed(&self, region: &str, address: &str) -> Result<bool, ApiError> {
        crate::evidence::suppressed(self.sdk(Operation::SesSuppressed)?, region, address).await
    }

    async fn opted_out(&self, region: &str, number: &str) -> Result<bool, ApiError> {
        crate::evidence::opted_out(self.sdk(Operation::SmsOptOut)?, region, number).await
    }
}

impl super::CognitoWrite for SdkCognito {
    async fn invite(
        &self,
        _permit: &super::Permit,
        username: &str,
        mediums: &[DeliveryMedium],
        client_metadata: &std::collections::BTreeMap<String, String>,
    ) -> Result<(), ApiError> {
        let mediums: Vec<DeliveryMediumType> = mediums
            .iter()
            .map(|m| match m {
                DeliveryMedium::Sms => DeliveryMediumType::Sms,
                _ => DeliveryMediumType::Email,
            })
            .collect();
        self.client
            .admin_create_user()
            .user_pool_id(&self.user_pool_id)
            .username(username)
            .message_action(MessageActionType::Resend)
            .set_desired_delivery_mediums(Some(mediums))
            .set_client_metadata(metadata_map(client_metadata))
            .customize()
            .config_override(never_retried())
            .send()
            .await
            .map_err(|e| map_sdk_error(Operation::Invite, e, |_| None))?;
        Ok(())
    }

    async fn confirm(&self, _permit: &super::Permit, username: &str) -> Result<(), ApiError> {
        self.client
            .admin_confirm_sign_up()
            .user_pool_id(&self.user_pool_id)
            .username(username)
            .customize()
            .config_override(never_retried())
            .send()
            .await
            .map_err(|e| map_sdk_error(Operation::Confirm, e, |_| None))?;
        Ok(())
    }

    async fn update_attributes(
        &self,
        _permit: &super::Permit,
        username: &str,
        attributes: &[(String, String)],
    ) -> Result<(), ApiError> {
        let attributes = attributes
            .iter()
            .map(|(name, value)| {
                AttributeType::builder()
                    .name(name)
                    .value(value)
                    .build()
                    .map_err(|e| {
                        ApiError::local(
                            Operation::UpdateAttributes,
                            ErrorKind::Other,
                            e.to_string(),
                        )
                    })
            })
            .collect::<Result<Vec<_>, _>>()?;
        self.client
            .admin_update_user_attributes()
            .user_pool_id(&self.user_pool_id)
            .username(username)
            .set_user_attributes(Some(attributes))
            .customize()
            .config_override(never_retried())
            .send()
            .await
            .map_err(|e| map_sdk_error(Operation::UpdateAttributes, e, |_| None))?;
        Ok(())
    }

    async fn set_enabled(
        &self,
        _permit: &super::Permit,
        username: &str,
        enabled: bool,
    ) -> Result<(), ApiError> {
        if enabled {
            self.client
                .admin_enable_user()
                .user_pool_id(&self.user_pool_id)
                .username(username)
                .customize()
                .config_override(never_retried())
                .send()
                .await
                .map_err(|e| map_sdk_error(Operation::Enable, e, |_| None))?;
        } else {
            self.client
                .admin_disable_user()
                .user_pool_id(&self.user_pool_id)
                .username(username)
                .customize()
                .config_override(never_retried())
                .send()
                .await
                .map_err(|e| map_sdk_error(Operation::Disable, e, |_| None))?;
        }
        Ok(())
    }

    async fn delete(&self, _permit: &super::Permit, username: &str) -> Result<(), ApiError> {
        self.client
            .admin_delete_user()
            .user_pool_id(&self.user_pool_id)
            .username(username)
            .customize()
            .config_override(never_retried())
            .send()
            .await
            .map_err(|e| map_sdk_error(Operation::Delete, e, |_| None))?;
        Ok(())
    }

    async fn resend(
        &self,
        _permit: &super::Permit,
        request: &ResendRequest,
    ) -> Result<Delivery, ApiError> {
        let user_context = request.user_context.as_ref().map(|c| {
            UserContextDataType::builder()
                .set_ip_address(c.ip_address.clone())
                .set_encoded_data(c.encoded_data.clone())
                .build()
        });
        let analytics = request.analytics_endpoint_id.as_ref().map(|id| {
            AnalyticsMetadataType::builder()
                .analytics_endpoint_id(id)
                .build()
        });
        let metadata = metadata_map(&request.client_metadata);
        let out = self
            .client
            .resend_confirmation_code()
            .client_id(&request.client_id)
            .username(&request.username)
            .set_secret_hash(request.secret_hash.clone())
            .set_user_context_data(user_context)
            .set_analytics_metadata(analytics)
            .set_client_metadata(metadata)
            .customize()
            .config_override(never_retried())
            .send()
            .await
            .map_err(|e| map_sdk_error(Operation::Resend, e, resend_error_code))?;
        let details = out.code_delivery_details();
        Ok(Delivery {
            destination: details
                .and_then(|d| d.destination())
                .unwrap_or("(not given)")
                .to_string(),
            medium: match details.and_then(|d| d.delivery_medium()) {
                Some(DeliveryMediumType::Email) => DeliveryMedium::Email,
                Some(DeliveryMediumType::Sms) => DeliveryMedium::Sms,
                Some(other) => DeliveryMedium::Other(other.as_str().to_string()),
                None => DeliveryMedium::Other("UNKNOWN".into()),
            },
            attribute_name: details
                .and_then(|d| d.attribute_name())
                .unwrap_or("(not given)")
                .to_string(),
        })
    }

    async fn unsuppress(
        &self,
        _permit: &super::Permit,
        region: &str,
        address: &str,
    ) -> Result<(), ApiError> {
        crate::evidence::unsuppress(self.sdk(Operation::SesUnsuppress)?, region, address).await
    }

    async fn sms_opt_in(
        &self,
        _permit: &super::Permit,
        region: &str,
        number: &str,
    ) -> Result<(), ApiError> {
        crate::evidence::sms_opt_in(self.sdk(Operation::SmsOptIn)?, region, number).await
    }
}

/// Tells the pool's ListUsers rate limit how each attempt (retries included) went, so that
/// throttling slows the listing down.
#[derive(Debug)]
struct Pacing(std::sync::Arc<super::rate::RateLimit>);

impl cip::config::Intercept for Pacing {
    fn name(&self) -> &'static str {
        "cogtui ListUsers pacing"
    }

    fn read_after_attempt(
        &self,
        context: &cip::config::interceptors::FinalizerInterceptorContextRef<'_>,
        _components: &cip::config::RuntimeComponents,
        _cfg: &mut cip::config::ConfigBag,
    ) -> Result<(), cip::error::BoxError> {
        match context.output_or_error() {
            Some(Ok(_)) => self.0.succeeded(),
            Some(Err(error)) => {
                let throttled = error
                    .as_operation_error()
                    .and_then(|e| e.downcast_ref::<ListUsersError>())
                    .is_some_and(ListUsersError::is_too_many_requests_exception);
                if throttled {
                    self.0.throttled();
                }
            }
            None => {}
        }
        Ok(())
    }
}

/// For calls that reach a user: one attempt, never retried (a retry could send twice).
impl SdkCognito {
    /// The SDK config the SES and SNS calls are made from.
    fn sdk(&self, operation: Operation) -> Result<&SdkConfig, ApiError> {
        self.sdk.as_ref().ok_or_else(|| {
            ApiError::local(
                operation,
                super::ErrorKind::Other,
                "this client reaches Cognito only (no SES or SNS)",
            )
        })
    }
}

fn never_retried() -> cip::config::Builder {
    cip::config::Builder::default().retry_config(RetryConfig::disabled())
}

fn metadata_map(
    metadata: &std::collections::BTreeMap<String, String>,
) -> Option<HashMap<String, String>> {
    (!metadata.is_empty()).then(|| {
        metadata
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    })
}

fn attributes(attrs: &[AttributeType]) -> super::Attributes {
    attrs
        .iter()
        .map(|a| {
            (
                a.name().to_string(),
                a.value().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn to_chrono(t: &SmithyTime) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(t.secs(), t.subsec_nanos())
}

/// Modeled errors carry their code in metadata from the wire; the variant is the fallback.
fn resend_error_code(e: &ResendConfirmationCodeError) -> Option<&'static str> {
    use ResendConfirmationCodeError as E;
    Some(match e {
        E::CodeDeliveryFailureException(_) => "CodeDeliveryFailureException",
        E::ForbiddenException(_) => "ForbiddenException",
        E::InternalErrorException(_) => "InternalErrorException",
        E::InvalidEmailRoleAccessPolicyException(_) => "InvalidEmailRoleAccessPolicyException",
        E::InvalidLambdaResponseException(_) => "InvalidLambdaResponseException",
        E::InvalidParameterException(_) => "InvalidParameterException",
        E::InvalidSmsRoleAccessPolicyException(_) => "InvalidSmsRoleAccessPolicyException",
        E::InvalidSmsRoleTrustRelationshipException(_) => {
            "InvalidSmsRoleTrustRelationshipException"
        }
        E::LimitExceededException(_) => "LimitExceededException",
        E::NotAuthorizedException(_) => "NotAuthorizedException",
        E::OperationNotEnabledException(_) => "OperationNotEnabledException",
        E::ResourceNotFoundException(_) => "ResourceNotFoundException",
        E::TooManyRequestsException(_) => "TooManyRequestsException",
        E::UnexpectedLambdaException(_) => "UnexpectedLambdaException",
        E::UserLambdaValidationException(_) => "UserLambdaValidationException",
        E::UserNotFoundException(_) => "UserNotFoundException",
        _ => return None,
    })
}

fn list_error_code(e: &ListUsersError) -> Option<&'static str> {
    use ListUsersError as E;
    Some(match e {
        E::InternalErrorException(_) => "InternalErrorException",
        E::InvalidParameterException(_) => "InvalidParameterException",
        E::NotAuthorizedException(_) => "NotAuthorizedException",
        E::OperationNotEnabledException(_) => "OperationNotEnabledException",
        E::ResourceNotFoundException(_) => "ResourceNotFoundException",
        E::TooManyRequestsException(_) => "TooManyRequestsException",
        _ => return None,
    })
}

pub(crate) fn map_sdk_error<E, R>(
    operation: Operation,
    err: SdkError<E, R>,
    variant_code: impl Fn(&E) -> Option<&'static str>,
) -> ApiError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug,
{
    if let SdkError::ServiceError(service) = &err {
        let e = service.err();
        let code = e
            .code()
            .or_else(|| variant_code(e))
            .unwrap_or("UnknownError");
        return ApiError::service(operation, code, e.message());
    }
    let detail = DisplayErrorContext(&err).to_string();
    let lower = detail.to_ascii_lowercase();
    let kind = match &err {
        SdkError::TimeoutError(_) => ErrorKind::Timeout,
        SdkError::DispatchFailure(d) if d.is_timeout() => ErrorKind::Timeout,
        _ if lower.contains("credentials") => ErrorKind::NoCredentials,
        SdkError::DispatchFailure(d) if d.is_io() && never_connected(&lower) => {
            ErrorKind::EndpointUnreachable
        }
        // The request may have gone out before the connection broke.
        SdkError::DispatchFailure(d) if d.is_io() => ErrorKind::ConnectionLost,
        SdkError::ResponseError(_) => ErrorKind::ConnectionLost,
        _ => ErrorKind::Other,
    };
    tracing::warn!(operation = operation.api_name(), error = %detail, "request failed before an answer");
    let message = std::error::Error::source(&err).map_or_else(|| err.to_string(), root_cause);
    ApiError::local(operation, kind, message)
}

/// An optional name or id from the SDK, as text.
fn named(value: Option<&str>) -> String {
    value.unwrap_or_default().to_string()
}

/// A connection that was never made: the request cannot have reached the service.
fn never_connected(detail: &str) -> bool {
    [
        "(connect)",
        "connection refused",
        "dns error",
        "failed to lookup",
        "no route to host",
    ]
    .iter()
    .any(|sign| detail.contains(sign))
}

/// The innermost error's message, e.g. "Connection refused (os error 111)": the whole chain
/// goes to the log, the screen gets the part a person can act on.
fn root_cause(err: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = err;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}
