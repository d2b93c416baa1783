//! Errors an operator can act on: the service's code and message, and a hint saying what to do.

use std::fmt;

/// The call that failed; some codes mean different things for different calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    ListUsers,
    GetUser,
    Resend,
    DescribePool,
    DescribeClient,
    LogDelivery,
    Invite,
    Confirm,
    UpdateAttributes,
    Delete,
    Disable,
    Enable,
    /// `cogtui init`: the pools the credentials can see.
    ListPools,
    /// `cogtui init`: a pool's app clients.
    ListClients,
    /// SNS CheckIfPhoneNumberIsOptedOut: did the user reply STOP?
    SmsOptOut,
    /// SNS GetSMSSandboxAccountStatus: only verified numbers get SMS in the sandbox.
    SmsSandbox,
    /// SNS GetSMSAttributes: the monthly spend limit and the default SMS type.
    SmsAttributes,
    /// SNS ListSMSSandboxPhoneNumbers: the numbers that get SMS while in the sandbox.
    SmsSandboxNumbers,
    /// SNS OptInPhoneNumber: a number that replied STOP gets SMS again (once in 30 days).
    SmsOptIn,
    /// SES v2 GetAccount: sandbox, sending paused, enforcement, the 24-hour quota.
    SesAccount,
    /// SES v2 GetEmailIdentity: the sender (or a recipient, in the sandbox) is verified.
    SesIdentity,
    /// SES v2 GetSuppressedDestination: SES will not send to this address.
    SesSuppressed,
    /// SES v2 DeleteSuppressedDestination: takes an address off the suppression list.
    SesUnsuppress,
    /// CloudWatch Logs FilterLogEvents: the delivery errors logged for a user.
    LogEvents,
}

impl Operation {
    /// Calls that reach a user (a message, a change): never retried automatically.
    pub fn is_write(self) -> bool {
        matches!(
            self,
            Operation::Resend
                | Operation::Invite
                | Operation::Confirm
                | Operation::UpdateAttributes
                | Operation::Delete
                | Operation::Disable
                | Operation::Enable
                | Operation::SmsOptIn
                | Operation::SesUnsuppress
        )
    }

    /// What a write sends, for "the code may have been sent".
    fn what_it_sends(self) -> &'static str {
        match self {
            Operation::Resend => "code",
            Operation::Invite => "invitation",
            Operation::Confirm => "confirmation",
            Operation::UpdateAttributes => "change",
            Operation::Delete => "deletion",
            Operation::Disable => "disabling",
            Operation::Enable => "enabling",
            Operation::SmsOptIn => "opt-in",
            Operation::SesUnsuppress => "removal",
            _ => "request",
        }
    }

    pub fn api_name(self) -> &'static str {
        match self {
            Operation::ListUsers => "ListUsers",
            Operation::GetUser => "AdminGetUser",
            Operation::Resend => "ResendConfirmationCode",
            Operation::DescribePool => "DescribeUserPool",
            Operation::DescribeClient => "DescribeUserPoolClient",
            Operation::LogDelivery => "GetLogDeliveryConfiguration",
            Operation::Invite => "AdminCreateUser",
            Operation::Confirm => "AdminConfirmSignUp",
            Operation::UpdateAttributes => "AdminUpdateUserAttributes",
            Operation::Delete => "AdminDeleteUser",
            Operation::Disable => "AdminDisableUser",
            Operation::Enable => "AdminEnableUser",
            Operation::ListPools => "ListUserPools",
            Operation::ListClients => "ListUserPoolClients",
            Operation::SmsOptOut => "CheckIfPhoneNumberIsOptedOut",
            Operation::SmsSandbox => "GetSMSSandboxAccountStatus",
            Operation::SmsAttributes => "GetSMSAttributes",
            Operation::SmsSandboxNumbers => "ListSMSSandboxPhoneNumbers",
            Operation::SmsOptIn => "OptInPhoneNumber",
            Operation::SesAccount => "GetAccount",
            Operation::SesIdentity => "GetEmailIdentity",
            Operation::SesSuppressed => "GetSuppressedDestination",
            Operation::SesUnsuppress => "DeleteSuppressedDestination",
            Operation::LogEvents => "FilterLogEvents",
        }
    }

    pub fn iam_action(self) -> &'static str {
        match self {
            Operation::ListUsers => "cognito-idp:ListUsers",
            Operation::GetUser => "cognito-idp:AdminGetUser",
            Operation::Resend => "none (ResendConfirmationCode is not signed)",
            Operation::DescribePool => "cognito-idp:DescribeUserPool",
            Operation::DescribeClient => "cognito-idp:DescribeUserPoolClient",
            Operation::LogDelivery => "cognito-idp:GetLogDeliveryConfiguration",
            Operation::Invite => "cognito-idp:AdminCreateUser",
            Operation::Confirm => "cognito-idp:AdminConfirmSignUp",
            Operation::UpdateAttributes => "cognito-idp:AdminUpdateUserAttributes",
            Operation::Delete => "cognito-idp:AdminDeleteUser",
            Operation::Disable => "cognito-idp:AdminDisableUser",
            Operation::Enable => "cognito-idp:AdminEnableUser",
            Operation::ListPools => "cognito-idp:ListUserPools",
            Operation::ListClients => "cognito-idp:ListUserPoolClients",
            Operation::SmsOptOut => "sns:CheckIfPhoneNumberIsOptedOut",
            Operation::SmsSandbox => "sns:GetSMSSandboxAccountStatus",
            Operation::SmsAttributes => "sns:GetSMSAttributes",
            Operation::SmsSandboxNumbers => "sns:ListSMSSandboxPhoneNumbers",
            Operation::SmsOptIn => "sns:OptInPhoneNumber",
            Operation::SesAccount => "ses:GetAccount",
            Operation::SesIdentity => "ses:GetEmailIdentity",
            Operation::SesSuppressed => "ses:GetSuppressedDestination",
            Operation::SesUnsuppress => "ses:DeleteSuppressedDestination",
            Operation::LogEvents => "logs:FilterLogEvents",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    UserNotFound,
    AlreadyConfirmed,
    AutoVerificationOff,
    InvalidParameter,
    SecretHashMissing,
    SecretHashRejected,
    NotAuthorized,
    /// NotAuthorizedException "User is disabled.": an administrator disabled the account.
    UserDisabled,
    LimitExceeded,
    TooManyRequests,
    CodeDeliveryFailure,
    InvalidEmailRoleAccessPolicy,
    InvalidSmsRoleAccessPolicy,
    InvalidSmsRoleTrustRelationship,
    UnexpectedLambda,
    UserLambdaValidation,
    InvalidLambdaResponse,
    ResourceNotFound,
    Forbidden,
    OperationNotEnabled,
    InternalError,
    NoCredentials,
    BadCredentials,
    AccessDenied,
    EndpointUnreachable,
    /// The connection broke after the request went out: it may have reached the service.
    ConnectionLost,
    Timeout,
    /// The service handed back a pagination token it had already given: the listing stopped.
    PaginationLoop,
    /// The pool's client secret setting could not be read.
    SecretUnavailable,
    /// cogtui's history holds five resends of this user in the last hour: not sent.
    HourlyLimit,
    /// The audit log cannot be written: nothing is sent without a record.
    AuditUnavailable,
    /// The user's status does not allow the action (e.g. an invitation for a confirmed user).
    UnsupportedUserState,
    /// The user is no longer in the pool (a look before the write found nobody).
    UserGone,
    /// The user's status changed since the list was read (they confirmed, were reset…).
    ChangedSinceList,
    /// A bulk resend: the user got a code (or may have) in the last 15 minutes.
    RecentCode,
    /// Another user already has this email or phone number as an alias.
    AliasExists,
    /// Read-only mode: nothing that changes a user or sends a message.
    ReadOnly,
    /// An SMS opt-in of this number within 30 days (SNS allows one).
    OptInTooSoon,
    /// A colleague has the user open, or sent them a message in the last 15 minutes.
    ColleagueOnUser,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub operation: Operation,
    pub kind: ErrorKind,
    /// The service's error code, or a name of ours for failures that never reached it.
    pub code: String,
    pub message: String,
}

impl ApiError {
    /// Classifies an error the service answered with.
    pub fn service(operation: Operation, code: &str, message: Option<&str>) -> Self {
        let message = message.unwrap_or_default();
        let lower = message.to_ascii_lowercase();
        let kind = match code {
            "UserNotFoundException" => ErrorKind::UserNotFound,
            "InvalidParameterException" if lower.contains("already confirmed") => {
                ErrorKind::AlreadyConfirmed
            }
            "InvalidParameterException" if lower.contains("auto verification not turned on") => {
                ErrorKind::AutoVerificationOff
            }
            "InvalidParameterException" => ErrorKind::InvalidParameter,
            // SNS: a second opt-in of a number within 30 days.
            "InvalidParameter" if operation == Operation::SmsOptIn && lower.contains("30 days") => {
                ErrorKind::OptInTooSoon
            }
            "NotAuthorizedException" if lower.contains("secret_hash was not received") => {
                ErrorKind::SecretHashMissing
            }
            "NotAuthorizedException" if lower.contains("secret hash") => {
                ErrorKind::SecretHashRejected
            }
            "NotAuthorizedException" if lower.contains("user is disabled") => {
                ErrorKind::UserDisabled
            }
            "NotAuthorizedException" => ErrorKind::NotAuthorized,
            "LimitExceededException" => ErrorKind::LimitExceeded,
            "TooManyRequestsException" | "ThrottlingException" => ErrorKind::TooManyRequests,
            "CodeDeliveryFailureException" => ErrorKind::CodeDeliveryFailure,
            "InvalidEmailRoleAccessPolicyException" => ErrorKind::InvalidEmailRoleAccessPolicy,
            "InvalidSmsRoleAccessPolicyException" => ErrorKind::InvalidSmsRoleAccessPolicy,
            "InvalidSmsRoleTrustRelationshipException" => {
                ErrorKind::InvalidSmsRoleTrustRelationship
            }
            "UnexpectedLambdaException" => ErrorKind::UnexpectedLambda,
            "UserLambdaValidationException" => ErrorKind::UserLambdaValidation,
            "InvalidLambdaResponseException" => ErrorKind::InvalidLambdaResponse,
            "ResourceNotFoundException" => ErrorKind::ResourceNotFound,
            "UnsupportedUserStateException" => ErrorKind::UnsupportedUserState,
            "AliasExistsException" => ErrorKind::AliasExists,
            "ForbiddenException" => ErrorKind::Forbidden,
            "OperationNotEnabledException" => ErrorKind::OperationNotEnabled,
            "InternalErrorException" | "InternalFailure" | "ServiceUnavailable" => {
                ErrorKind::InternalError
            }
            // SNS says it its own way.
            "AccessDeniedException" | "AuthorizationErrorException" | "AuthorizationError" => {
                ErrorKind::AccessDenied
            }
            "UnrecognizedClientException"
            | "InvalidSignatureException"
            | "ExpiredTokenException"
            | "InvalidClientTokenId"
            | "MissingAuthenticationToken" => ErrorKind::BadCredentials,
            _ => ErrorKind::Other,
        };
        Self {
            operation,
            kind,
            code: code.to_string(),
            message: message.to_string(),
        }
    }

    /// A failure on our side of the wire: no credentials, no connection, no answer in time.
    pub fn local(operation: Operation, kind: ErrorKind, message: impl Into<String>) -> Self {
        let code = match kind {
            ErrorKind::NoCredentials => "NoCredentials",
            ErrorKind::EndpointUnreachable => "EndpointUnreachable",
            ErrorKind::ConnectionLost => "ConnectionLost",
            ErrorKind::Timeout => "Timeout",
            ErrorKind::PaginationLoop => "PaginationLoop",
            ErrorKind::SecretUnavailable => "ClientSecretUnavailable",
            ErrorKind::HourlyLimit => "HourlyLimitReached",
            ErrorKind::AuditUnavailable => "AuditLogUnavailable",
            ErrorKind::ReadOnly => "ReadOnly",
            ErrorKind::UnsupportedUserState => "UnsupportedUserState",
            ErrorKind::UserGone => "UserGone",
            ErrorKind::ChangedSinceList => "ChangedSinceList",
            ErrorKind::RecentCode => "RecentCode",
            ErrorKind::UserDisabled => "UserDisabled",
            ErrorKind::InvalidParameter => "InvalidInput",
            ErrorKind::OptInTooSoon => "OptInTooSoon",
            ErrorKind::ColleagueOnUser => "ColleagueOnUser",
            _ => "ClientError",
        };
        Self {
            operation,
            kind,
            code: code.to_string(),
            message: message.into(),
        }
    }

    /// A write (a resend, and every later action that reaches a user) that timed out, lost its
    /// connection or met a server error may still have happened: it is never retried on its own.
    pub fn outcome_unknown(&self) -> bool {
        self.operation.is_write()
            && matches!(
                self.kind,
                ErrorKind::Timeout | ErrorKind::ConnectionLost | ErrorKind::InternalError
            )
    }

    /// A rule of the operation said no before any write: nothing reached Cognito. A bulk run
    /// counts these as skipped, not failed.
    pub fn is_refusal(&self) -> bool {
        !self.outcome_unknown()
            && (self.code == "UserGone"
                || self.code == "ChangedSinceList"
                || self.code == "RecentCode"
                || self.code == "HourlyLimitReached"
                || self.code == "UnsupportedUserState"
                || self.code == "UserDisabled"
                || self.code == "AlreadyConfirmed"
                || self.code == "InvalidInput"
                || self.code == "OptInTooSoon"
                || self.code == "ColleagueOnUser"
                || self.code == "ReadOnly")
    }

    /// One line saying what to do about it.
    pub fn hint(&self) -> String {
        if self.outcome_unknown() {
            return format!(
                "Cognito did not answer: the {} may have been sent. It was not retried; ask the \
                 user to check (spam folder too) before sending again",
                self.operation.what_it_sends()
            );
        }
        let op = self.operation;
        match self.kind {
            ErrorKind::UserNotFound => "no such user in this pool: check the username (an email \
                or phone alias, or the sub, also works where the pool allows it)"
                .into(),
            ErrorKind::AlreadyConfirmed => "nothing to resend: this user has confirmed".into(),
            ErrorKind::AutoVerificationOff => "the pool verifies neither email nor phone: turn on \
                auto verification (AutoVerifiedAttributes) in the pool's sign-up settings"
                .into(),
            ErrorKind::InvalidParameter => "Cognito rejected a parameter: read the message above; \
                ClientMetadata keys and values, the IP address and the username must be valid"
                .into(),
            ErrorKind::SecretHashMissing => "this app client has a secret: configure it for this \
                pool with client_secret_env, client_secret_file or fetch_client_secret"
                .into(),
            ErrorKind::SecretHashRejected => {
                "the secret hash was rejected: check the client secret configured for this pool"
                    .into()
            }
            ErrorKind::NotAuthorized if op == Operation::Resend => "Cognito refused the request: \
                if this app client has a secret, check the one configured for this pool"
                .into(),
            ErrorKind::UserDisabled => "this user's account is disabled: Cognito sends nothing \
                to a disabled user; an administrator must enable it first (AdminEnableUser)"
                .into(),
            ErrorKind::NotAuthorized => format!(
                "not authorized: the credentials in use need {}",
                op.iam_action()
            ),
            ErrorKind::LimitExceeded => {
                "Cognito allows 5 resends per user per hour; wait before trying again".into()
            }
            ErrorKind::TooManyRequests => "the account's request rate for this call was exceeded: \
                wait a few seconds and try again"
                .into(),
            ErrorKind::CodeDeliveryFailure => "Cognito could not hand the message to SES or SNS: \
                check the pool's email and SMS settings (Cognito's default sender allows 50 \
                emails a day per account)"
                .into(),
            ErrorKind::InvalidEmailRoleAccessPolicy => "Cognito may not send through the pool's \
                SES identity: fix the identity's sending authorization policy"
                .into(),
            ErrorKind::InvalidSmsRoleAccessPolicy => "the pool's SMS role may not publish to SNS: \
                give it sns:Publish"
                .into(),
            ErrorKind::InvalidSmsRoleTrustRelationship => "the pool's SMS role does not trust \
                cognito-idp.amazonaws.com with the configured external id: fix its trust policy"
                .into(),
            ErrorKind::UnexpectedLambda | ErrorKind::InvalidLambdaResponse => "the pool's Lambda \
                trigger failed or answered badly: check its CloudWatch logs (it receives the \
                ClientMetadata sent)"
                .into(),
            ErrorKind::UserLambdaValidation => "the pool's Lambda trigger rejected this request: \
                read its message above; it receives the ClientMetadata sent"
                .into(),
            ErrorKind::ResourceNotFound if op == Operation::Resend => {
                "the app client or the pool does not exist: check client_id and the region".into()
            }
            ErrorKind::ResourceNotFound => {
                "no such user pool or app client: check user_pool_id, client_id and the region"
                    .into()
            }
            ErrorKind::Forbidden => {
                "blocked by the AWS WAF web ACL associated with the pool".into()
            }
            ErrorKind::OperationNotEnabled => {
                "this operation is not enabled for the pool or the account".into()
            }
            ErrorKind::InternalError => {
                "Cognito had an internal error: try again in a moment".into()
            }
            ErrorKind::NoCredentials => "no AWS credentials found: set AWS_PROFILE or pass \
                --profile (for SSO profiles run `aws sso login` first), or export AWS_ACCESS_KEY_ID"
                .into(),
            ErrorKind::BadCredentials => "the AWS credentials were rejected or have expired: sign \
                in again (`aws sso login` for SSO profiles)"
                .into(),
            ErrorKind::AccessDenied => format!(
                "access denied: the credentials in use need the IAM permission {}",
                op.iam_action()
            ),
            ErrorKind::EndpointUnreachable => "cannot reach Cognito: check the network, the \
                region and endpoint_url"
                .into(),
            ErrorKind::ConnectionLost => {
                "the connection to Cognito broke: check the network and try again".into()
            }
            ErrorKind::Timeout => {
                "Cognito did not answer in time: check the network and try again".into()
            }
            ErrorKind::PaginationLoop => "Cognito handed back a pagination token it had already \
                given: the listing stopped instead of looping; the rows so far are kept"
                .into(),
            ErrorKind::SecretUnavailable => "fix the client secret setting of this pool in the \
                config file (the message names the line and key)"
                .into(),
            ErrorKind::HourlyLimit => "each resend also invalidates the codes sent before it: \
                ask the user to use the newest message; send anyway only when sure (--force, or F \
                at the prompt)"
                .into(),
            ErrorKind::UnsupportedUserState
                if matches!(op, Operation::SesUnsuppress | Operation::SmsOptIn) =>
            {
                "nothing to fix: the look found the address not suppressed (or the number not \
                 opted out, or the user without one); diagnose the user again"
                    .into()
            }
            ErrorKind::ColleagueOnUser => "a colleague is on this user: ask them first; a second \
                code invalidates the first. Go on anyway with --force (O in the dialog)"
                .into(),
            ErrorKind::OptInTooSoon => "SNS allows one opt-in per number in 30 days: send the \
                code by email meanwhile (fix the user's email if needed)"
                .into(),
            ErrorKind::UnsupportedUserState if op == Operation::Resend => "an invited user \
                gets a new invitation, not a confirmation code: `cogtui invite USERNAME` (it \
                issues a new temporary password)"
                .into(),
            ErrorKind::UnsupportedUserState => "the user's status does not allow this: an \
                invitation is only for FORCE_CHANGE_PASSWORD users, a confirmation code only for \
                UNCONFIRMED ones"
                .into(),
            ErrorKind::UserGone => "no such user in the pool now: deleted by a colleague or a \
                prune (r refreshes the list), or check the username"
                .into(),
            ErrorKind::ChangedSinceList => "the user changed since the list was read: refresh \
                (r) and look again before acting"
                .into(),
            ErrorKind::RecentCode => "the code sent a few minutes ago may still be on its way: \
                a new one would invalidate it; wait, or pass --again"
                .into(),
            ErrorKind::AliasExists => "another user already has this address as a sign-in \
                alias: check which account the person really uses"
                .into(),
            ErrorKind::ReadOnly => "cogtui runs read-only (--read-only, COGTUI_READ_ONLY or the \
                pool's read_only = true): nothing that changes a user or sends a message is done"
                .into(),
            ErrorKind::AuditUnavailable => "make the audit log writable, or point audit_log in \
                the config file at a folder you can write to"
                .into(),
            ErrorKind::Other => {
                "unexpected error: see the message, and the log file for details".into()
            }
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for ApiError {}
