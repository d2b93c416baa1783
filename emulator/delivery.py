"""What moto lacks of the services one step past Cognito, the ones that carry a code to the user:
SES v2 (GetAccount, the account-level suppression list), SNS (the SMS sandbox's numbers, the
once-in-30-days rule of OptInPhoneNumber) and CloudWatch Logs (filter patterns of several
`?"term"`s, which moto reads as "match everything").

The shapes and errors follow the services' API references:
- SES v2 GetAccount: ProductionAccessEnabled, SendingEnabled, EnforcementStatus (HEALTHY,
  PROBATION, SHUTDOWN), SendQuota {Max24HourSend, MaxSendRate, SentLast24Hours}; a new account is
  in the sandbox with a quota of 200 a day.
- SES v2 Get/Put/DeleteSuppressedDestination: NotFoundException for an address not on the list.
- SNS ListSMSSandboxPhoneNumbers: PhoneNumbers [{PhoneNumber, Status: Pending|Verified}].
- SNS OptInPhoneNumber: a number can be opted in once every 30 days.

`POST /_cogtui/ses` sets an account's SES state for tests and the demo:
    {"region": "eu-west-1",                 # required
     "sandbox": true, "sending_enabled": true, "enforcement": "HEALTHY",
     "max_24h": 200, "sent_last_24h": 0,
     "verified": ["example.com", "x@example.org"],   # identities made and verified for sending
     "unverified": ["example.org"],                  # identities made, not verified
     "dkim": {"example.com": "FAILED"},              # an identity's DKIM status
     "suppressed": {"jane@example.com": "BOUNCE"}}   # on the account's suppression list
`POST /_cogtui/sns` sets the SMS sandbox: {"region": R, "sandbox": true,
    "verified": ["+447700900123"], "opted_out": ["+447700900149"],
    "failing": {"+447700900177": "Phone carrier has blocked this message"}}: a code by SMS to a
    failing number is answered as sent, then logged as failed by SNS (and by Cognito, in the
    pool's userNotification log group).
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

from moto.core.responses import ActionResult, EmptyResult
from moto.ses.exceptions import NotFoundException
from moto.sns.exceptions import SNSException

DEFAULT_ACCOUNT = "123456789012"
OPT_IN_EVERY = timedelta(days=30)

_lock = threading.Lock()
# (account, region) -> the SES account's state.
_ses: dict[tuple[str, str], dict] = {}
# Numbers whose carrier rejects every SMS: number -> the provider's response.
_failing: dict[str, str] = {}


def _ses_state(account: str, region: str) -> dict:
    with _lock:
        return _ses.setdefault(
            (account, region),
            {
                "sandbox": True,
                "sending_enabled": True,
                "enforcement": "HEALTHY",
                "max_24h": 200.0,
                "sent_last_24h": 0.0,
                "suppressed": {},
            },
        )


class OptInTooSoon(SNSException):
    code = "InvalidParameter"

    def __init__(self, last: datetime) -> None:
        super().__init__(
            "Invalid parameter: PhoneNumber Reason: this number was opted in on "
            f"{last:%Y-%m-%d}; a number can be opted in once every 30 days"
        )


# --- SES v2 ---------------------------------------------------------------------------------


def get_account(self) -> ActionResult:
    state = _ses_state(self.current_account, self.region)
    return ActionResult(
        {
            "DedicatedIpAutoWarmupEnabled": False,
            "EnforcementStatus": state["enforcement"],
            "ProductionAccessEnabled": not state["sandbox"],
            "SendingEnabled": state["sending_enabled"],
            "SendQuota": {
                "Max24HourSend": float(state["max_24h"]),
                "MaxSendRate": 1.0 if state["sandbox"] else 14.0,
                "SentLast24Hours": float(state["sent_last_24h"]),
            },
        }
    )


def _address(self) -> str:
    return (self.uri_match or {}).get("EmailAddress") or self._get_param("EmailAddress")


def get_suppressed_destination(self) -> ActionResult:
    address = _address(self)
    entry = _ses_state(self.current_account, self.region)["suppressed"].get(address.lower())
    if entry is None:
        raise NotFoundException(f"Email address {address} does not exist on your suppression list.")
    return ActionResult(
        {
            "SuppressedDestination": {
                "EmailAddress": address,
                "Reason": entry["Reason"],
                "LastUpdateTime": entry["LastUpdateTime"],
                "Attributes": {"MessageId": "demo-message", "FeedbackId": "demo-feedback"},
            }
        }
    )


def put_suppressed_destination(self) -> ActionResult:
    address, reason = self._get_param("EmailAddress"), self._get_param("Reason")
    _ses_state(self.current_account, self.region)["suppressed"][address.lower()] = {
        "Reason": reason,
        "LastUpdateTime": datetime.now(timezone.utc),
    }
    return ActionResult({})


def delete_suppressed_destination(self) -> ActionResult:
    address = _address(self)
    removed = _ses_state(self.current_account, self.region)["suppressed"].pop(address.lower(), None)
    if removed is None:
        raise NotFoundException(f"Email address {address} does not exist on your suppression list.")
    return ActionResult({})


def get_email_identity(self) -> str:
    """moto's answer, with DKIM's LastKeyGenerationTimestamp as the service sends it (epoch
    seconds, as every REST-JSON timestamp: moto sends ISO text, which the SDKs reject)."""
    import json

    answer = json.loads(_original_get_email_identity(self))
    dkim = answer.get("DkimAttributes") or {}
    stamp = dkim.get("LastKeyGenerationTimestamp")
    if isinstance(stamp, str):
        dkim["LastKeyGenerationTimestamp"] = datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()
    answer = {k: v for k, v in answer.items() if v is not None}
    return json.dumps(answer)


_original_get_email_identity = None


# --- SNS ------------------------------------------------------------------------------------


def list_sms_sandbox_phone_numbers(self) -> ActionResult:
    numbers = getattr(self.backend, "sandbox_numbers", {})
    return ActionResult(
        {"PhoneNumbers": [{"PhoneNumber": n, "Status": s} for n, s in sorted(numbers.items())]}
    )


def opt_in_phone_number(self) -> ActionResult:
    number = self._get_param("phoneNumber")
    opted_in = self.backend.__dict__.setdefault("opted_in_at", {})
    last = opted_in.get(number)
    now = datetime.now(timezone.utc)
    if last is not None and now - last < OPT_IN_EVERY:
        raise OptInTooSoon(last)
    if number in self.backend.opt_out_numbers:
        self.backend.opt_out_numbers.remove(number)
        opted_in[number] = now
    return EmptyResult()


# --- CloudWatch Logs --------------------------------------------------------------------------


class AnyQuotedTerm:
    """`?"a" ?"b"`: an event matches when it holds any of the terms."""

    def __init__(self, terms: list[str]) -> None:
        self.terms = terms

    def matches(self, message: str) -> bool:
        return any(term in message for term in self.terms)


def _any_quoted_terms(pattern: str) -> list[str] | None:
    parts = pattern.split()
    if len(parts) < 1 or not all(p.startswith('?"') and p.endswith('"') and len(p) > 3 for p in parts):
        return None
    return [p[2:-1] for p in parts]


def _append_log(account: str, region: str, group: str, message: dict) -> None:
    import json

    from moto.logs.models import logs_backends

    backend = logs_backends[account][region]
    if group not in backend.groups:
        backend.create_log_group(group, {})
    backend.ensure_log_stream(group, "cogtui-emulator")
    now = int(datetime.now(timezone.utc).timestamp() * 1000)
    backend.groups[group].put_log_events(
        "cogtui-emulator", [{"timestamp": now, "message": json.dumps(message)}]
    )


def after_sms(pool, user, number: str, log_configurations: list, sns_region: str) -> None:
    """A code by SMS to a number whose carrier rejects it: SNS logs the failure in its
    delivery-status log, and Cognito logs a userNotification error when the pool logs them
    (as the services do, a moment after the send; here before the answer)."""
    response = _failing.get(number)
    if response is None:
        return
    account = pool.arn.split(":")[4]
    _append_log(
        account,
        sns_region,
        f"sns/{sns_region}/{account}/DirectPublishToPhoneNumber/Failure",
        {
            "notification": {"messageId": "cogtui-emulator"},
            "delivery": {"destination": number, "providerResponse": response},
            "status": "FAILURE",
        },
    )
    sub = user.attribute_lookup.get("sub", user.username)
    for config in log_configurations:
        arn = (config.get("CloudWatchLogsConfiguration") or {}).get("LogGroupArn", "")
        if config.get("EventSource") != "userNotification" or ":log-group:" not in arn:
            continue
        parts = arn.split(":")
        _append_log(
            parts[4],
            parts[3],
            arn.split(":log-group:", 1)[1].removesuffix(":*"),
            {
                "eventTimestamp": str(int(datetime.now(timezone.utc).timestamp() * 1000)),
                "eventSource": "USER_NOTIFICATION",
                "logLevel": "ERROR",
                "message": {"details": f"SMS message failed to deliver to user {sub}: {response}"},
                "logSourceId": {"userPoolId": pool.id},
            },
        )


# --- controls -------------------------------------------------------------------------------


def set_ses(body: dict) -> dict:
    from moto.sesv2.models import sesv2_backends

    region = body["region"]
    account = body.get("account", DEFAULT_ACCOUNT)
    state = _ses_state(account, region)
    for key in ("sandbox", "sending_enabled", "enforcement", "max_24h", "sent_last_24h"):
        if key in body:
            state[key] = body[key]
    for address, reason in body.get("suppressed", {}).items():
        state["suppressed"][address.lower()] = {
            "Reason": reason,
            "LastUpdateTime": datetime.now(timezone.utc) - timedelta(days=200),
        }
    backend = sesv2_backends[account][region]
    for name, verified in [(n, True) for n in body.get("verified", [])] + [
        (n, False) for n in body.get("unverified", [])
    ]:
        if name not in backend.core_backend.email_identities:
            backend.create_email_identity(
                email_identity=name,
                tags=None,
                dkim_signing_attributes={"NextSigningKeyLength": "RSA_2048_BIT"},
                configuration_set_name=None,
            )
        identity = backend.core_backend.email_identities[name]
        identity.verified_for_sending_status = verified
        identity.verification_status = "SUCCESS" if verified else "PENDING"
    for name, status in body.get("dkim", {}).items():
        backend.core_backend.email_identities[name].dkim_attributes["Status"] = status
    return {"region": region, "account": account}


def set_sns(body: dict) -> dict:
    from moto.sns.models import sns_backends

    backend = sns_backends[body.get("account", DEFAULT_ACCOUNT)][body["region"]]
    if "sandbox" in body:
        backend.sms_sandbox = bool(body["sandbox"])
    numbers = backend.__dict__.setdefault("sandbox_numbers", {})
    for number in body.get("verified", []):
        numbers[number] = "Verified"
    for number in body.get("pending", []):
        numbers[number] = "Pending"
    _failing.update(body.get("failing", {}))
    for number in body.get("opted_out", []):
        if number not in backend.opt_out_numbers:
            backend.opt_out_numbers.append(number)
    return {"region": body["region"]}


def install() -> None:
    from moto.logs import utils as log_utils
    from moto.sesv2 import urls as ses_urls
    from moto.sesv2.responses import SESV2Response
    from moto.sns.responses import SNSResponse

    # moto's catch-all /v2/.* does not route these: the paths are named, as the API has them.
    for path in [
        "{0}/v2/email/account$",
        "{0}/v2/email/suppression/addresses$",
        "{0}/v2/email/suppression/addresses/(?P<EmailAddress>[^/]+)$",
    ]:
        ses_urls.url_paths[path] = SESV2Response.dispatch

    global _original_get_email_identity
    _original_get_email_identity = SESV2Response.get_email_identity
    SESV2Response.get_email_identity = get_email_identity
    SESV2Response.get_account = get_account
    SESV2Response.get_suppressed_destination = get_suppressed_destination
    SESV2Response.put_suppressed_destination = put_suppressed_destination
    SESV2Response.delete_suppressed_destination = delete_suppressed_destination
    SNSResponse.list_sms_sandbox_phone_numbers = list_sms_sandbox_phone_numbers
    SNSResponse.opt_in_phone_number = opt_in_phone_number

    original = log_utils.EventMessageFilter.__init__

    def event_filter(self, pattern: str) -> None:
        terms = _any_quoted_terms(pattern or "")
        if terms is not None and len(terms) > 0 and pattern.lstrip().startswith("?"):
            self.filter_type = AnyQuotedTerm(terms)
        else:
            original(self, pattern)

    log_utils.EventMessageFilter.__init__ = event_filter
