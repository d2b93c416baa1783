//! Every ResendConfirmationCode exception, which the emulator cannot all produce, through
//! aws-smithy-mocks: each maps to the right error and hint, and none is retried.

use aws_sdk_cognitoidentityprovider as cip;
use aws_smithy_mocks::{RuleMode, mock, mock_client};
use cip::config::retry::RetryConfig;
use cip::error::ErrorMetadata;
use cip::operation::list_users::ListUsersError;
use cip::operation::resend_confirmation_code::ResendConfirmationCodeError as E;
use cip::types::error as t;
use cogtui::cognito::sdk::SdkCognito;
use cogtui::cognito::session::PoolSession;
use cogtui::cognito::{ApiError, CognitoApi, Delivery, ErrorKind, ListQuery, ResendOptions};

mod common;

type MakeError = Box<dyn Fn() -> E + Send + Sync>;

fn meta(code: &str, message: &str) -> ErrorMetadata {
    ErrorMetadata::builder().code(code).message(message).build()
}

macro_rules! modeled {
    ($variant:ident, $ty:ident, $msg:expr) => {
        (
            stringify!($variant),
            $msg,
            Box::new(|| {
                E::$variant(
                    t::$ty::builder()
                        .message($msg)
                        .meta(meta(stringify!($variant), $msg))
                        .build(),
                )
            }) as MakeError,
        )
    };
}

/// The guard's look before the send: jane is UNCONFIRMED and enabled.
fn jane_unconfirmed() -> aws_smithy_mocks::Rule {
    mock!(cip::Client::admin_get_user).then_output(|| {
        cip::operation::admin_get_user::AdminGetUserOutput::builder()
            .username("jane")
            .user_status(cip::types::UserStatusType::Unconfirmed)
            .enabled(true)
            .build()
            .expect("output")
    })
}

/// A resend to jane through the guard, as the TUI and CLI send it, over these mocked answers.
async fn send(rules: &[&aws_smithy_mocks::Rule]) -> Result<Delivery, ApiError> {
    let look = jane_unconfirmed();
    let mut all = rules.to_vec();
    all.push(&look);
    let pool =
        cogtui::config::PoolConfig::minimal("test", "eu-west-1_test", "client1", "eu-west-1");
    let session = PoolSession::new(pool, client_with(&all), None);
    common::resend(&session, "jane", ResendOptions::default(), true).await
}

/// A client whose retry policy would retry throttling three times, so a test can tell that the
/// resend itself refuses to.
fn client_with(rules: &[&aws_smithy_mocks::Rule]) -> SdkCognito {
    let client = mock_client!(cip, RuleMode::MatchAny, rules.iter().copied(), |c| c
        .retry_config(RetryConfig::standard().with_max_attempts(3)));
    SdkCognito::new(client, "eu-west-1_test")
}

#[tokio::test]
async fn every_exception_maps_to_its_kind_and_hint_and_is_sent_once() {
    let cases: Vec<(&str, &str, MakeError)> = vec![
        modeled!(
            CodeDeliveryFailureException,
            CodeDeliveryFailureException,
            "SES failed"
        ),
        modeled!(ForbiddenException, ForbiddenException, "WAF"),
        modeled!(InternalErrorException, InternalErrorException, "boom"),
        modeled!(
            InvalidEmailRoleAccessPolicyException,
            InvalidEmailRoleAccessPolicyException,
            "ses"
        ),
        modeled!(
            InvalidLambdaResponseException,
            InvalidLambdaResponseException,
            "bad lambda"
        ),
        modeled!(
            InvalidParameterException,
            InvalidParameterException,
            "User is already confirmed."
        ),
        modeled!(
            InvalidSmsRoleAccessPolicyException,
            InvalidSmsRoleAccessPolicyException,
            "sns"
        ),
        modeled!(
            InvalidSmsRoleTrustRelationshipException,
            InvalidSmsRoleTrustRelationshipException,
            "trust"
        ),
        modeled!(
            LimitExceededException,
            LimitExceededException,
            "Attempt limit exceeded"
        ),
        modeled!(
            NotAuthorizedException,
            NotAuthorizedException,
            "Unable to verify secret hash for client client1"
        ),
        modeled!(
            OperationNotEnabledException,
            OperationNotEnabledException,
            "off"
        ),
        modeled!(ResourceNotFoundException, ResourceNotFoundException, "gone"),
        modeled!(
            TooManyRequestsException,
            TooManyRequestsException,
            "Too many requests"
        ),
        modeled!(
            UnexpectedLambdaException,
            UnexpectedLambdaException,
            "lambda crashed"
        ),
        modeled!(
            UserLambdaValidationException,
            UserLambdaValidationException,
            "rejected"
        ),
        modeled!(
            UserNotFoundException,
            UserNotFoundException,
            "Username/client id combination not found."
        ),
    ];
    let expected = [
        (ErrorKind::CodeDeliveryFailure, "SES or SNS"),
        (ErrorKind::Forbidden, "WAF"),
        // A 500 on a write: the code may have gone out, so no "try again".
        (ErrorKind::InternalError, "may have been sent"),
        (ErrorKind::InvalidEmailRoleAccessPolicy, "SES identity"),
        (ErrorKind::InvalidLambdaResponse, "Lambda"),
        (
            ErrorKind::AlreadyConfirmed,
            "nothing to resend: this user has confirmed",
        ),
        (ErrorKind::InvalidSmsRoleAccessPolicy, "sns:Publish"),
        (ErrorKind::InvalidSmsRoleTrustRelationship, "trust policy"),
        (
            ErrorKind::LimitExceeded,
            "Cognito allows 5 resends per user per hour; wait before trying again",
        ),
        (
            ErrorKind::SecretHashRejected,
            "the secret hash was rejected: check the client secret configured for this pool",
        ),
        (ErrorKind::OperationNotEnabled, "not enabled"),
        (ErrorKind::ResourceNotFound, "client_id"),
        (ErrorKind::TooManyRequests, "wait a few seconds"),
        (ErrorKind::UnexpectedLambda, "CloudWatch"),
        (ErrorKind::UserLambdaValidation, "Lambda trigger rejected"),
        (ErrorKind::UserNotFound, "no such user"),
    ];
    assert_eq!(cases.len(), expected.len());
    for ((code, message, make), (kind, hint)) in cases.into_iter().zip(expected) {
        let rule = mock!(cip::Client::resend_confirmation_code)
            .sequence()
            .error(make)
            .repeatedly()
            .build();
        let err = send(&[&rule]).await.unwrap_err();
        assert_eq!(err.kind, kind, "{code}");
        assert_eq!(err.code, code);
        assert_eq!(err.message, message);
        assert!(
            err.hint().contains(hint),
            "{code}: hint {:?} lacks {hint:?}",
            err.hint()
        );
        assert_eq!(rule.num_calls(), 1, "{code} must be sent exactly once");
        assert_eq!(
            err.outcome_unknown(),
            kind == ErrorKind::InternalError,
            "{code}"
        );
        if err.outcome_unknown() {
            assert!(!err.hint().contains("try again"), "{code}: {}", err.hint());
        }
    }
}

#[tokio::test]
async fn errors_without_metadata_are_still_classified_by_variant() {
    let rule = mock!(cip::Client::resend_confirmation_code)
        .then_error(|| E::LimitExceededException(t::LimitExceededException::builder().build()));
    let err = send(&[&rule]).await.unwrap_err();
    assert_eq!(
        (err.kind, err.code.as_str()),
        (ErrorKind::LimitExceeded, "LimitExceededException")
    );
}

#[tokio::test]
async fn auto_verification_off_has_its_own_hint() {
    let msg = "Cannot resend codes. Auto verification not turned on.";
    let rule = mock!(cip::Client::resend_confirmation_code).then_error(move || {
        E::InvalidParameterException(
            t::InvalidParameterException::builder()
                .message(msg)
                .meta(meta("InvalidParameterException", msg))
                .build(),
        )
    });
    let err = send(&[&rule]).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::AutoVerificationOff);
    assert!(err.hint().contains("auto verification"));
}

#[tokio::test]
async fn listing_does_retry_throttling_where_resend_does_not() {
    let msg = "Rate exceeded";
    let rule = mock!(cip::Client::list_users)
        .sequence()
        .error(move || {
            ListUsersError::TooManyRequestsException(
                t::TooManyRequestsException::builder()
                    .message(msg)
                    .meta(meta("TooManyRequestsException", msg))
                    .build(),
            )
        })
        .repeatedly()
        .build();
    let err = client_with(&[&rule])
        .list_page(&ListQuery::default(), None)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::TooManyRequests);
    assert_eq!(
        rule.num_calls(),
        3,
        "throttled list calls are retried with backoff"
    );
}

#[tokio::test]
async fn access_denied_and_missing_pool_have_list_hints() {
    let rule = mock!(cip::Client::list_users).then_error(|| {
        ListUsersError::ResourceNotFoundException(
            t::ResourceNotFoundException::builder()
                .message("User pool eu-west-1_test does not exist.")
                .build(),
        )
    });
    let err = client_with(&[&rule])
        .list_page(&ListQuery::default(), None)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::ResourceNotFound);
    assert!(err.hint().contains("user_pool_id"));

    let denied = cogtui::cognito::ApiError::service(
        cogtui::cognito::Operation::ListUsers,
        "AccessDeniedException",
        Some("not authorized to perform: cognito-idp:ListUsers"),
    );
    assert_eq!(denied.kind, ErrorKind::AccessDenied);
    assert!(denied.hint().contains("cognito-idp:ListUsers"));
}
