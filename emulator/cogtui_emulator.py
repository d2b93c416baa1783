"""moto's Cognito server with the parts cogtui needs that moto lacks.

moto 5.2 has no ResendConfirmationCode and accepts any ListUsers Limit. This module adds the
operation following the service's documented rules (see shared/COGNITO.md) and rejects the
Limit the service rejects, then runs moto's server on 127.0.0.1. It also adds
Get/SetLogDeliveryConfiguration, which moto lacks, `POST /_cogtui/pool-fields`
({"pool": ID, "fields": {...}}) to set the fields only the service itself writes
(SmsConfigurationFailure, EmailConfigurationFailure), so diagnostics can be tested, and
`POST /_cogtui/backdate` ({"pool": ID, "ages": {USERNAME: SECONDS}}) to make users older.

Every ResendConfirmationCode request is appended, as one JSON object per line, to the file named
by --record (or COGTUI_EMULATOR_RECORD), so tests can read back what the client really sent.

`--faults` (or COGTUI_EMULATOR_FAULTS, or POST /_cogtui/faults at run time) injects faults: see
faults.py for the rules. SES v2, SNS and CloudWatch Logs (the services that carry a code to the
user) are moto's, with what it lacks added in delivery.py.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import logging
import os
import signal
import sys
import threading
import time
from collections import defaultdict, deque

from moto.cognitoidp import responses
from moto.cognitoidp.exceptions import (
    InvalidParameterException,
    NotAuthorizedError,
    ResourceNotFoundError,
    UserNotFoundError,
)
from moto.cognitoidp.models import UserStatus, cognitoidp_backends
from moto.core.exceptions import JsonRESTError
from moto.core.responses import ActionResult
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import make_server

import delivery
import faults

RESENDS_PER_USER_PER_HOUR = 5
LIST_USERS_MAX_LIMIT = 60

_record_lock = threading.Lock()
_record_path: str | None = None
_resend_times: dict[tuple[str, str], deque] = defaultdict(deque)


class LimitExceededException(JsonRESTError):
    def __init__(self) -> None:
        super().__init__(
            "LimitExceededException", "Attempt limit exceeded, please try after some time."
        )


def mask_email(address: str) -> str:
    """Cognito's mask: first letter of the local part and of the domain, then the last label."""
    local, _, domain = address.partition("@")
    host, _, tld = domain.rpartition(".")
    return f"{local[:1]}***@{host[:1]}***.{tld}"


def mask_phone(number: str) -> str:
    """Cognito's mask: the plus sign, a star for each hidden digit, the last four digits."""
    digits = number.lstrip("+")
    return "+" + "*" * max(len(digits) - 4, 0) + digits[-4:]


def expected_secret_hash(secret: str, username: str, client_id: str) -> str:
    digest = hmac.new(secret.encode(), (username + client_id).encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def _find_pool_and_client(client_id: str):
    for account_backends in cognitoidp_backends.values():
        for region, backend in account_backends.items():
            if region == "global":
                continue
            for pool in backend.user_pools.values():
                if client_id in pool.clients:
                    return pool, pool.clients[client_id]
    raise ResourceNotFoundError(f"User pool client {client_id} does not exist.")


def _find_user(pool, username: str):
    user = pool._get_user(username)
    if user is None:
        # The service also takes the user's sub, or an alias such as the email.
        for candidate in pool.users.values():
            attrs = candidate.attribute_lookup
            if username in (candidate.id, attrs.get("email"), attrs.get("phone_number")):
                return candidate
    return user


def _record(entry: dict) -> None:
    if not _record_path:
        return
    with _record_lock, open(_record_path, "a", encoding="utf-8") as out:
        out.write(json.dumps(entry, sort_keys=True) + "\n")


def resend_confirmation_code(self) -> ActionResult:
    params = self.parameters
    client_id = params.get("ClientId", "")
    username = params.get("Username", "")
    _record(
        {
            "ClientId": client_id,
            "Username": username,
            "SecretHash": params.get("SecretHash"),
            "UserContextData": params.get("UserContextData"),
            "AnalyticsMetadata": params.get("AnalyticsMetadata"),
            "ClientMetadata": params.get("ClientMetadata"),
            "received_at": time.time(),
        }
    )
    pool, client = _find_pool_and_client(client_id)
    if client.generate_secret:
        sent = params.get("SecretHash")
        if not sent:
            raise NotAuthorizedError(
                f"Client {client_id} is configured with secret but SECRET_HASH was not received"
            )
        if not hmac.compare_digest(sent, expected_secret_hash(client.secret, username, client_id)):
            raise NotAuthorizedError(f"Unable to verify secret hash for client {client_id}")
    user = _find_user(pool, username)
    if user is None:
        raise UserNotFoundError("Username/client id combination not found.")
    if not user.enabled:
        raise NotAuthorizedError("User is disabled.")
    if user.status != UserStatus.UNCONFIRMED:
        raise InvalidParameterException("User is already confirmed.")

    now = time.time()
    window = _resend_times[(pool.id, user.username)]
    while window and now - window[0] > 3600:
        window.popleft()
    if len(window) >= RESENDS_PER_USER_PER_HOUR:
        raise LimitExceededException()

    verified = pool.extended_config.get("AutoVerifiedAttributes", [])
    attrs = user.attribute_lookup
    if "phone_number" in verified and attrs.get("phone_number"):
        details = {
            "Destination": mask_phone(attrs["phone_number"]),
            "DeliveryMedium": "SMS",
            "AttributeName": "phone_number",
        }
    elif "email" in verified and attrs.get("email"):
        details = {
            "Destination": mask_email(attrs["email"]),
            "DeliveryMedium": "EMAIL",
            "AttributeName": "email",
        }
    else:
        raise InvalidParameterException("Cannot resend codes. Auto verification not turned on.")
    window.append(now)
    if details["DeliveryMedium"] == "SMS":
        sns_region = (pool.extended_config.get("SmsConfiguration") or {}).get("SnsRegion") or pool.region
        delivery.after_sms(pool, user, attrs["phone_number"], _log_delivery.get(pool.id, []), sns_region)
    return ActionResult({"CodeDeliveryDetails": details})


_moto_list_users = responses.CognitoIdpResponse.list_users


def list_users(self) -> ActionResult:
    limit = self._get_param("Limit")
    if limit is not None and int(limit) > LIST_USERS_MAX_LIMIT:
        raise InvalidParameterException(
            f"1 validation error detected: Value '{limit}' at 'limit' failed to satisfy "
            f"constraint: Member must have value less than or equal to {LIST_USERS_MAX_LIMIT}"
        )
    return _moto_list_users(self)


class UnsupportedUserStateException(JsonRESTError):
    def __init__(self, message: str) -> None:
        super().__init__("UnsupportedUserStateException", message)


_moto_admin_create_user = responses.CognitoIdpResponse.admin_create_user


def admin_create_user(self) -> ActionResult:
    """MessageAction=RESEND as the service does it: only for an existing FORCE_CHANGE_PASSWORD
    user, keeping the user's attributes (moto would replace the user with a blank one)."""
    if self._get_param("MessageAction") != "RESEND":
        return _moto_admin_create_user(self)
    pool_id = self._get_param("UserPoolId")
    username = self._get_param("Username")
    _record(
        {
            "Operation": "AdminCreateUser",
            "UserPoolId": pool_id,
            "Username": username,
            "MessageAction": "RESEND",
            "DesiredDeliveryMediums": self._get_param("DesiredDeliveryMediums"),
            "ClientMetadata": self._get_param("ClientMetadata"),
            "received_at": time.time(),
        }
    )
    pool = self.backend.describe_user_pool(pool_id)
    user = _find_user(pool, username)
    if user is None:
        raise UserNotFoundError("User does not exist.")
    if user.status != UserStatus.FORCE_CHANGE_PASSWORD:
        status = getattr(user.status, "value", user.status)
        raise UnsupportedUserStateException(f"Resend not possible. {username} status is {status}.")
    return ActionResult({"User": user.to_json(extended=True)})


_log_delivery: dict[str, list] = {}


def _log_delivery_answer(self, pool_id: str) -> ActionResult:
    self.backend.describe_user_pool(pool_id)  # ResourceNotFoundException for an unknown pool
    return ActionResult(
        {
            "LogDeliveryConfiguration": {
                "UserPoolId": pool_id,
                "LogConfigurations": _log_delivery.get(pool_id, []),
            }
        }
    )


def get_log_delivery_configuration(self) -> ActionResult:
    return _log_delivery_answer(self, self._get_param("UserPoolId"))


def set_log_delivery_configuration(self) -> ActionResult:
    pool_id = self._get_param("UserPoolId")
    self.backend.describe_user_pool(pool_id)
    _log_delivery[pool_id] = self._get_param("LogConfigurations") or []
    return _log_delivery_answer(self, pool_id)


SERVICE_WRITTEN_FIELDS = {"SmsConfigurationFailure", "EmailConfigurationFailure"}


def set_pool_fields(body: dict) -> dict:
    """Sets fields that only the service writes on a pool (the API cannot set them)."""
    fields = body["fields"]
    unknown = set(fields) - SERVICE_WRITTEN_FIELDS
    if unknown:
        raise ValueError(f"only {sorted(SERVICE_WRITTEN_FIELDS)} can be set here, not {sorted(unknown)}")
    for account_backends in cognitoidp_backends.values():
        for region, backend in account_backends.items():
            pool = backend.user_pools.get(body["pool"]) if region != "global" else None
            if pool is not None:
                pool.extended_config.update(fields)
                return {"pool": pool.id, "fields": fields}
    raise KeyError(f"no pool {body['pool']}")


def seed_users(body: dict) -> dict:
    """Adds `count` UNCONFIRMED users to a pool in-process (one HTTP call for thousands of users,
    for benchmarks): `{prefix}{i}` with an email, a sub and email_verified=false."""
    from moto.cognitoidp.models import CognitoIdpUser

    pool_id, count, prefix = body["pool"], int(body["count"]), body.get("prefix", "bench")
    for account_backends in cognitoidp_backends.values():
        for region, backend in account_backends.items():
            pool = backend.user_pools.get(pool_id) if region != "global" else None
            if pool is None:
                continue
            for i in range(count):
                name = f"{prefix}{i:07d}"
                user = CognitoIdpUser(
                    pool_id,
                    name,
                    "Passw0rd!",
                    UserStatus.UNCONFIRMED,
                    [
                        {"Name": "email", "Value": f"{name}@example.com"},
                        {"Name": "email_verified", "Value": "false"},
                    ],
                )
                pool.users[name] = user
            return {"pool": pool_id, "added": count}
    raise KeyError(f"no pool {pool_id}")


def check_if_phone_number_is_opted_out(self, number: str) -> bool:
    """SNS answers from its opted-out list (moto answers True for any number ending in 99, and
    its own list disagrees): a number is opted out while it is on the list, and
    OptInPhoneNumber takes it off."""
    return number in self.opt_out_numbers


def get_sms_sandbox_account_status(self) -> ActionResult:
    """GetSMSSandboxAccountStatus, which moto lacks: this emulator's account is out of the SMS
    sandbox unless a test says otherwise (`sms_sandbox` on the region's backend)."""
    return ActionResult({"IsInSandbox": getattr(self.backend, "sms_sandbox", False)})


def _atomic_item_writes() -> None:
    """DynamoDB checks a write's condition and makes the write as one step; moto's threaded
    server does not (two conditional PutItems at once can both pass). One lock over the item
    writes makes the emulator answer as the service does."""
    import functools

    from moto.dynamodb.models import DynamoDBBackend

    lock = threading.RLock()
    for name in ("put_item", "update_item", "delete_item", "transact_write_items"):
        write = getattr(DynamoDBBackend, name, None)
        if write is None:
            continue

        def locked(*args, _write=write, **kwargs):
            with lock:
                return _write(*args, **kwargs)

        setattr(DynamoDBBackend, name, functools.wraps(write)(locked))


def install() -> None:
    _atomic_item_writes()
    from moto.sns.models import SNSBackend
    from moto.sns.responses import SNSResponse

    SNSBackend.check_if_phone_number_is_opted_out = check_if_phone_number_is_opted_out
    SNSResponse.get_sms_sandbox_account_status = get_sms_sandbox_account_status
    delivery.install()
    responses.CognitoIdpResponse.resend_confirmation_code = resend_confirmation_code
    responses.CognitoIdpResponse.list_users = list_users
    responses.CognitoIdpResponse.admin_create_user = admin_create_user
    responses.CognitoIdpResponse.get_log_delivery_configuration = get_log_delivery_configuration
    responses.CognitoIdpResponse.set_log_delivery_configuration = set_log_delivery_configuration


def backdate_users(user_pool_id: str, ages_seconds: dict[str, float]) -> None:
    """Give seeded users realistic creation times (the API has no way to set them)."""
    from datetime import timedelta

    for account_backends in cognitoidp_backends.values():
        for region, backend in account_backends.items():
            pool = backend.user_pools.get(user_pool_id) if region != "global" else None
            if pool is None:
                continue
            for username, age in ages_seconds.items():
                user = pool.users.get(username)
                if user is not None:
                    user.create_date = user.create_date - timedelta(seconds=age)
                    user.last_modified_date = user.create_date + timedelta(seconds=age / 3)


def _pool_of_client(client_id: str) -> str | None:
    try:
        pool, _ = _find_pool_and_client(client_id)
    except ResourceNotFoundError:
        return None
    return pool.id


def main() -> int:
    global _record_path
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--record", default=os.environ.get("COGTUI_EMULATOR_RECORD"))
    parser.add_argument("--ready-file", help="written once the server answers")
    parser.add_argument("--seed-demo", metavar="CONFIG", help="seed the demo pool, write a cogtui config here")
    parser.add_argument(
        "--faults",
        default=os.environ.get("COGTUI_EMULATOR_FAULTS"),
        help="fault rules: a JSON list, or @FILE (see faults.py)",
    )
    args = parser.parse_args()
    _record_path = args.record

    install()
    # One line per request would bury the output of whatever runs beside the emulator.
    logging.getLogger("werkzeug").setLevel(logging.CRITICAL)
    injector = faults.Faults(_pool_of_client)
    injector.add(faults.load_rules(args.faults))
    app = faults.FaultMiddleware(
        DomainDispatcherApplication(create_backend_app),
        injector,
        {
            "/_cogtui/pool-fields": set_pool_fields,
            "/_cogtui/backdate": lambda body: backdate_users(body["pool"], body["ages"]) or {},
            "/_cogtui/seed": seed_users,
            "/_cogtui/ses": delivery.set_ses,
            "/_cogtui/sns": delivery.set_sns,
        },
    )
    server = make_server(
        "127.0.0.1", args.port, app, threaded=True, request_handler=MotoRequestHandler
    )
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    if args.seed_demo:
        import seed_demo

        seed_demo.seed(
            f"http://127.0.0.1:{args.port}", args.seed_demo, backdate_users, set_pool_fields
        )
    if args.ready_file:
        with open(args.ready_file, "w", encoding="utf-8") as ready:
            ready.write(str(os.getpid()))
    print(f"cogtui emulator listening on http://127.0.0.1:{args.port}", flush=True)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    injector.stopping.set()
    server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
