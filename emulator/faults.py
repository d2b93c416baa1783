"""Fault injection for the emulator: a WSGI layer in front of moto that can slow, fail, throttle,
cut, hang or bend the answers of chosen calls, so tests can prove that cogtui survives them.

A rule is a JSON object:

    {"operation": "ListUsers",        # the action (X-Amz-Target, SNS's Action, SES v2's
                                      # operation); omit for every Cognito operation
     "service": "sns",                # with no operation: every call of this service
     "region": "ap-south-1",          # only calls signed for this region
     "pool": "eu-west-1_abc",         # only calls on this pool (UserPoolId, or ClientId's pool)
     "fault": "error500",             # see FAULTS below
     "calls": [2, 3],                 # the 2nd and 3rd matching calls (1-based); omit for all
     "latency_ms": 300,               # for "latency"
     "hang_s": 120}                   # for "hang": how long to hold the request (default 600)

Rules come from `--faults` (a JSON list, or @FILE), from COGTUI_EMULATOR_FAULTS, or at run time
from `POST /_cogtui/faults` with a JSON list (appended). `GET /_cogtui/requests?pool=ID` lists
the calls received for a pool with their times, for tests that check pacing and retries.
"""

from __future__ import annotations

import io
import json
import re
import socket
import struct
import threading
import time
from typing import Callable, Iterable
from urllib.parse import parse_qs

FAULTS = {
    "latency": "wait latency_ms before answering",
    "error500": "answer HTTP 500 InternalErrorException",
    "throttle": "answer HTTP 400 TooManyRequestsException",
    "denied": "answer HTTP 400 AccessDeniedException, as IAM does for an action not allowed",
    "reset": "send half a response, then reset the connection",
    "lose_answer": "carry the call out, then reset the connection instead of answering",
    "hang": "accept the request and never answer (until hang_s)",
    "repeat_token": "ListUsers: answer with the request's own PaginationToken as the next one",
    "duplicate_user": "ListUsers: put the previous page's first user on this page too",
}

# The JSON services name the operation in X-Amz-Target: prefix -> the IAM service name.
TARGET_PREFIXES = {
    "AWSCognitoIdentityProviderService.": "cognito-idp",
    "Logs_20140328.": "logs",
    "DynamoDB_20120810.": "dynamodb",
}
# SES v2 (REST): the calls cogtui makes, by method and path.
SES_PATHS = [
    ("GET", re.compile(r"^/v2/email/account$"), "GetAccount"),
    ("GET", re.compile(r"^/v2/email/suppression/addresses/[^/]+$"), "GetSuppressedDestination"),
    ("DELETE", re.compile(r"^/v2/email/suppression/addresses/[^/]+$"), "DeleteSuppressedDestination"),
    ("GET", re.compile(r"^/v2/email/identities/[^/]+$"), "GetEmailIdentity"),
]


def _scope(environ) -> tuple[str | None, str | None]:
    """The (region, service) a SigV4-signed request is for, from its credential scope."""
    match = re.search(r"Credential=[^/]+/[^/]+/([^/]+)/([^/]+)/", environ.get("HTTP_AUTHORIZATION", ""))
    return (match.group(1), match.group(2)) if match else (None, None)


def _service_of(environ) -> str | None:
    return _scope(environ)[1]


def identify(environ, raw: bytes) -> tuple[str, str, dict] | None:
    """(service, operation, parameters) of a call, for the calls faults can match."""
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    for prefix, service in TARGET_PREFIXES.items():
        if target.startswith(prefix):
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                body = {}
            return service, target[len(prefix):], body if isinstance(body, dict) else {}
    service = _service_of(environ)
    if service == "sns":
        form = parse_qs(raw.decode("utf-8", "replace"))
        action = form.get("Action", [None])[0]
        return (service, action, {}) if action else None
    if service == "ses":
        method, path = environ.get("REQUEST_METHOD", ""), environ.get("PATH_INFO", "")
        for wanted, pattern, operation in SES_PATHS:
            if method == wanted and pattern.match(path):
                return service, operation, {}
    return None


class Faults:
    def __init__(self, pool_of_client: Callable[[str], str | None]) -> None:
        self._lock = threading.Lock()
        self._rules: list[dict] = []
        self._counts: list[int] = []
        self._requests: list[dict] = []
        self._last_page: dict[str, list] = {}
        self._pool_of_client = pool_of_client
        self.stopping = threading.Event()

    def add(self, rules: Iterable[dict]) -> None:
        with self._lock:
            for rule in rules:
                fault = rule.get("fault")
                if fault not in FAULTS:
                    raise ValueError(f"unknown fault {fault!r}; known: {', '.join(FAULTS)}")
                self._rules.append(dict(rule))
                self._counts.append(0)

    def _pool(self, body: dict) -> str | None:
        if body.get("UserPoolId"):
            return body["UserPoolId"]
        if body.get("ClientId"):
            return self._pool_of_client(body["ClientId"])
        return None

    def match(self, service: str, operation: str, body: dict, region: str | None = None) -> list[dict]:
        """The rules that fire for this call; also records the call."""
        # A DynamoDB call is told apart by its table (the tests count a store's round trips).
        pool = (
            self._pool(body)
            if service == "cognito-idp"
            else body.get("TableName") if service == "dynamodb" else None
        )
        fired = []
        with self._lock:
            self._requests.append(
                {
                    "operation": operation,
                    "service": service,
                    "pool": pool,
                    "time": time.time(),
                    "token": body.get("PaginationToken"),
                }
            )
            for i, rule in enumerate(self._rules):
                if rule.get("operation") not in (None, operation):
                    continue
                # A rule for every operation means every Cognito operation, unless it names
                # another service.
                if rule.get("service", service if rule.get("operation") else "cognito-idp") != service:
                    continue
                if rule.get("pool") not in (None, pool):
                    continue
                if rule.get("region") not in (None, region):
                    continue
                self._counts[i] += 1
                calls = rule.get("calls")
                if calls is None or self._counts[i] in calls:
                    fired.append(rule)
        return fired

    def requests(self, pool: str | None) -> list[dict]:
        with self._lock:
            return [r for r in self._requests if pool is None or r["pool"] == pool]

    def remember_page(self, pool: str, users: list) -> list:
        with self._lock:
            previous = self._last_page.get(pool, [])
            self._last_page[pool] = users
            return previous


def _error(start_response, status: str, code: str, message: str) -> list[bytes]:
    body = json.dumps({"__type": code, "message": message}).encode()
    start_response(
        status,
        [
            ("Content-Type", "application/x-amz-json-1.1"),
            ("Content-Length", str(len(body))),
            ("x-amzn-ErrorType", code),
        ],
    )
    return [body]


def _query_error(start_response, code: str, message: str) -> list[bytes]:
    """An error of a query-protocol service (SNS), as XML."""
    body = (
        '<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error>'
        f"<Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>"
        "<RequestId>cogtui-emulator</RequestId></ErrorResponse>"
    ).encode()
    start_response(
        "403 Forbidden",
        [("Content-Type", "text/xml"), ("Content-Length", str(len(body)))],
    )
    return [body]


def _reset(environ) -> None:
    """Half a response, then a TCP reset: the client sees the connection die mid-answer."""
    sock = environ.get("werkzeug.socket")
    if sock is None:
        return
    try:
        sock.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\n"
            b"Content-Length: 4096\r\n\r\n{\"Users\": [{\"Username\": \"half"
        )
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass


class FaultMiddleware:
    def __init__(self, app, faults: Faults, controls: dict | None = None) -> None:
        self.app = app
        self.faults = faults
        # More POST /_cogtui/... paths: path -> function(parsed JSON body) -> answer.
        self.controls = controls or {}

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.startswith("/_cogtui/"):
            return self._control(environ, start_response, path)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        raw = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(raw)
        call = identify(environ, raw)
        if call is None:
            return self.app(environ, start_response)
        service, operation, body = call
        fired = self.faults.match(service, operation, body, _scope(environ)[0])
        kinds = {rule["fault"]: rule for rule in fired}
        if "latency" in kinds:
            time.sleep(kinds["latency"].get("latency_ms", 0) / 1000)
        if "hang" in kinds:
            self.faults.stopping.wait(kinds["hang"].get("hang_s", 600))
            _reset(environ)
            return []
        if "reset" in kinds:
            _reset(environ)
            return []
        if "lose_answer" in kinds:
            # The service did it; the answer never reaches the client.
            for _ in self.app(environ, lambda *args, **kwargs: None):
                pass
            _reset(environ)
            return []
        if "error500" in kinds:
            return _error(
                start_response, "500 Internal Server Error", "InternalErrorException",
                "Internal error (injected by the emulator's fault mode)",
            )
        if "throttle" in kinds:
            return _error(
                start_response, "400 Bad Request", "TooManyRequestsException",
                "Too many requests (injected by the emulator's fault mode)",
            )
        if "denied" in kinds:
            # IAM's own wording: the action is named, as the real service names it.
            message = (
                "User: arn:aws:sts::123456789012:assumed-role/support/agent is not authorized to "
                f"perform: {service}:{operation} (injected by the emulator's fault mode)"
            )
            if service == "sns":
                return _query_error(start_response, "AuthorizationError", message)
            return _error(start_response, "400 Bad Request", "AccessDeniedException", message)
        if service == "cognito-idp" and operation == "ListUsers":
            # Every page goes through here, so "duplicate_user" knows the previous one.
            return self._list_users(environ, start_response, body, kinds)
        return self.app(environ, start_response)

    def _list_users(self, environ, start_response, request: dict, kinds: dict):
        captured: dict = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return lambda data: None

        chunks = b"".join(self.app(environ, capture))
        if not captured.get("status", "").startswith("200"):
            start_response(captured["status"], captured["headers"])
            return [chunks]
        answer = json.loads(chunks or b"{}")
        pool = request.get("UserPoolId", "")
        previous = self.faults.remember_page(pool, list(answer.get("Users", [])))
        if "duplicate_user" in kinds and previous:
            answer["Users"] = [previous[0]] + answer.get("Users", [])
        if "repeat_token" in kinds and request.get("PaginationToken"):
            answer["PaginationToken"] = request["PaginationToken"]
        body = json.dumps(answer).encode()
        headers = [(k, v) for k, v in captured["headers"] if k.lower() != "content-length"]
        headers.append(("Content-Length", str(len(body))))
        start_response(captured["status"], headers)
        return [body]

    def _control(self, environ, start_response, path: str):
        def answer(status: str, value) -> list[bytes]:
            body = json.dumps(value).encode()
            start_response(
                status,
                [("Content-Type", "application/json"), ("Content-Length", str(len(body)))],
            )
            return [body]

        if path == "/_cogtui/faults" and environ["REQUEST_METHOD"] == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            try:
                rules = json.loads(environ["wsgi.input"].read(length) or b"[]")
                self.faults.add(rules if isinstance(rules, list) else [rules])
            except (ValueError, TypeError) as e:
                return answer("400 Bad Request", {"error": str(e)})
            return answer("200 OK", {"ok": True})
        if path in self.controls and environ["REQUEST_METHOD"] == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            try:
                return answer("200 OK", self.controls[path](json.loads(environ["wsgi.input"].read(length))))
            except (ValueError, TypeError, KeyError) as e:
                return answer("400 Bad Request", {"error": str(e)})
        if path == "/_cogtui/requests":
            pool = parse_qs(environ.get("QUERY_STRING", "")).get("pool", [None])[0]
            return answer("200 OK", self.faults.requests(pool))
        return answer("404 Not Found", {"error": f"no such control path {path}"})


def load_rules(spec: str | None) -> list[dict]:
    """`--faults` / COGTUI_EMULATOR_FAULTS: a JSON list, or @FILE holding one."""
    if not spec:
        return []
    if spec.startswith("@"):
        with open(spec[1:], encoding="utf-8") as f:
            spec = f.read()
    rules = json.loads(spec)
    return rules if isinstance(rules, list) else [rules]
