"""Seeds a realistic demo pool into the running emulator and writes a cogtui config for it."""

from __future__ import annotations

import json
import os
import random
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import boto3

FIRST = """Amelia Oliver Isla George Ava Noah Mia Arthur Ivy Leo Freya Oscar Lily Harry Grace Jack
Sofia Muhammad Chloe Theo Zara Luca Priya Mateo Aisha Kenji Ingrid Tomasz Chiara Olu Mei Rafael
Hannah Yusuf Elena Finn Nadia Diego Sakura Liam""".split()
LAST = """Smith Jones Taylor Brown Williams Wilson Johnson Davies Patel Wright Nowak Rossi Garcia
Silva Kim Okafor Tanaka Müller Dubois Andersson Kowalski Haddad Murphy O'Brien Nguyen Costa
Fischer Novak Lopez Ivanova""".split()
DOMAINS = ["example.com", "mail.example.org", "inbox.example.net", "corp.example.co.uk"]
PASSWORD = "Demo-password-1!"


def _person(rng: random.Random, index: int) -> dict:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    handle = f"{first}.{last}".lower().replace("'", "").replace("ü", "u")
    person = {
        "username": f"{handle}{index}",
        "given_name": first,
        "family_name": last,
        "name": f"{first} {last}",
        "email": f"{handle}{index}@{rng.choice(DOMAINS)}",
    }
    if rng.random() < 0.3:
        person["phone_number"] = f"+44{rng.randint(7000000000, 7999999999)}"
    return person


def _attributes(person: dict) -> list[dict]:
    return [{"Name": k, "Value": v} for k, v in person.items() if k != "username"]


def _control(endpoint: str, path: str, body: dict) -> None:
    request = urllib.request.Request(
        f"{endpoint}{path}", data=json.dumps(body).encode(), method="POST"
    )
    with urllib.request.urlopen(request) as answer:
        answer.read()


def _delivery_evidence(endpoint: str, pool: dict, idp, kw: dict) -> None:
    """What SES, SNS and the delivery logs hold for the demo: every user-level check fires for
    someone (see `cogtui diagnose --user bea.bounce`, `sam.stop`, `dan.drop`)."""
    # The demo pool's SES account (eu-west-1): out of the sandbox, its sender verified with
    # DKIM; bea.bounce's address bounced last spring and is on the suppression list.
    _control(
        endpoint,
        "/_cogtui/ses",
        {
            "region": "eu-west-1",
            "sandbox": False,
            "max_24h": 50000,
            "sent_last_24h": 1234,
            "verified": ["example.com"],
            "suppressed": {"bea.bounce@example.com": "BOUNCE"},
        },
    )
    # Staging sends from eu-central-1, whose SES account is still in the sandbox: only
    # verified addresses get mail, and its sender example.org was never verified.
    _control(
        endpoint,
        "/_cogtui/ses",
        {
            "region": "eu-central-1",
            "sandbox": True,
            "verified": ["qa@example.net"],
            "unverified": ["example.org"],
        },
    )
    # sam.stop replied STOP (moto's list already holds +447700900149; said here too).
    # dan.drop's carrier blocks every SMS: each new code is logged as failed (watch it in the
    # dialog after a send).
    _control(
        endpoint,
        "/_cogtui/sns",
        {
            "region": "eu-west-1",
            "opted_out": ["+447700900149"],
            "failing": {"+447700900177": "Phone carrier has blocked this message"},
        },
    )
    # dan.drop's last code by SMS was rejected by the carrier, and Cognito logged the failure.
    logs = boto3.client("logs", **kw)
    account = pool["Arn"].split(":")[4]
    now = int(time.time() * 1000)
    sub = next(
        a["Value"]
        for a in idp.admin_get_user(UserPoolId=pool["Id"], Username="dan.drop")["UserAttributes"]
        if a["Name"] == "sub"
    )
    for group, message in [
        (
            "/cognito/demo",
            {
                "eventTimestamp": str(now - 9 * 60_000),
                "eventSource": "USER_NOTIFICATION",
                "logLevel": "ERROR",
                "message": {"details": f"SMS message failed to deliver to user {sub}: carrier rejected"},
                "logSourceId": {"userPoolId": pool["Id"]},
            },
        ),
        (
            f"sns/eu-west-1/{account}/DirectPublishToPhoneNumber/Failure",
            {
                "notification": {"messageId": "demo-1", "timestamp": "demo"},
                "delivery": {
                    "destination": "+447700900177",
                    "providerResponse": "Phone carrier has blocked this message",
                    "phoneCarrier": "Demo Mobile",
                    "priceInUSD": 0.0,
                },
                "status": "FAILURE",
            },
        ),
    ]:
        logs.create_log_group(logGroupName=group)
        logs.create_log_stream(logGroupName=group, logStreamName="demo")
        logs.put_log_events(
            logGroupName=group,
            logStreamName="demo",
            logEvents=[{"timestamp": now - 9 * 60_000, "message": json.dumps(message)}],
        )


def seed(endpoint: str, config_path: str, backdate, set_pool_fields) -> None:
    rng = random.Random(20261126)
    idp = boto3.client(
        "cognito-idp",
        endpoint_url=endpoint,
        region_name="eu-west-1",
        aws_access_key_id="demo",
        aws_secret_access_key="demo",
    )
    # The demo pool is set up well: its own SES identity, an SMS role, a custom-message trigger,
    # delivery errors logged.
    pool = idp.create_user_pool(
        PoolName="cogtui-demo",
        AutoVerifiedAttributes=["email", "phone_number"],
        EmailConfiguration={
            "EmailSendingAccount": "DEVELOPER",
            "SourceArn": "arn:aws:ses:eu-west-1:123456789012:identity/example.com",
            "From": "Example Support <no-reply@example.com>",
        },
        SmsConfiguration={"SnsCallerArn": "arn:aws:iam::123456789012:role/cognito-sms"},
        LambdaConfig={"CustomMessage": "arn:aws:lambda:eu-west-1:123456789012:function:custom-message"},
        VerificationMessageTemplate={"DefaultEmailOption": "CONFIRM_WITH_CODE"},
    )["UserPool"]
    idp.set_log_delivery_configuration(
        UserPoolId=pool["Id"],
        LogConfigurations=[
            {
                "LogLevel": "ERROR",
                "EventSource": "userNotification",
                "CloudWatchLogsConfiguration": {
                    "LogGroupArn": "arn:aws:logs:eu-west-1:123456789012:log-group:/cognito/demo"
                },
            }
        ],
    )
    client = idp.create_user_pool_client(
        UserPoolId=pool["Id"], ClientName="support-desk", GenerateSecret=True
    )["UserPoolClient"]

    people = [_person(rng, i) for i in range(360)]
    # A sign-up whose name carries terminal escape sequences, as hostile input would.
    mallory = (
        {
            "username": "mallory.escape",
            "name": "Mallory \x1b[31mRED\x1b[0m \x07Bell",
            "email": "mallory@example.com",
        },
    )
    # A bot wave: 40 sign-ups from one domain within an hour, five hours ago (S finds it;
    # Enter, *, a, b disables them).
    wave = [
        {"username": f"bot{i:02}.wave", "email": f"bot{i:02}@signup-bot.example"}
        for i in range(40)
    ]
    # A user whose phone replied STOP to an SMS: SNS keeps the number on its opted-out list,
    # so every code Cognito sends it is dropped (the dialog's Evidence line and
    # `diagnose --user sam.stop` say so).
    stopped = [
        {
            "username": "sam.stop",
            "email": "sam.stop@example.com",
            "phone_number": "+447700900149",
        }
    ]
    # An address SES suppressed after a bounce, and a number whose last SMS the carrier
    # rejected (the delivery logs say so).
    evidence = [
        {"username": "bea.bounce", "email": "bea.bounce@example.com"},
        {"username": "dan.drop", "phone_number": "+447700900177"},
    ]
    unconfirmed = people[:300] + list(mallory) + wave + stopped + evidence
    confirmed = people[300:345]
    admin_created = people[345:]

    def sign_up(person: dict) -> None:
        idp.sign_up(
            ClientId=client["ClientId"],
            Username=person["username"],
            Password=PASSWORD,
            UserAttributes=_attributes(person),
        )

    with ThreadPoolExecutor(max_workers=8) as workers:
        list(workers.map(sign_up, unconfirmed + confirmed))
        list(
            workers.map(
                lambda p: idp.admin_confirm_sign_up(UserPoolId=pool["Id"], Username=p["username"]),
                confirmed,
            )
        )
        list(
            workers.map(
                lambda p: idp.admin_create_user(
                    UserPoolId=pool["Id"],
                    Username=p["username"],
                    UserAttributes=_attributes(p),
                    MessageAction="SUPPRESS",
                ),
                admin_created,
            )
        )
    # (Drawn from the sign-ups before the evidence users, so the same six as always.)
    for person in rng.sample(people[:300] + list(mallory) + wave + stopped, 6):
        idp.admin_disable_user(UserPoolId=pool["Id"], Username=person["username"])
    backdate(
        pool["Id"],
        {p["username"]: rng.uniform(0, 60 * 86400) for p in people}
        | {p["username"]: 5 * 3600 + rng.uniform(0, 50 * 60) for p in wave},
    )

    # Staging has the problems `D` and `cogtui diagnose` are for: an SES account still in the
    # sandbox with an unverified sender, links instead of codes, a custom email sender, a
    # failing email setup, a client secret nobody configured, user existence errors hidden,
    # no delivery logs.
    staging = idp.create_user_pool(
        PoolName="cogtui-staging",
        AutoVerifiedAttributes=["email"],
        EmailConfiguration={
            "EmailSendingAccount": "DEVELOPER",
            "SourceArn": "arn:aws:ses:eu-central-1:123456789012:identity/example.org",
        },
        VerificationMessageTemplate={"DefaultEmailOption": "CONFIRM_WITH_LINK"},
        LambdaConfig={
            "CustomEmailSender": {
                "LambdaVersion": "V1_0",
                "LambdaArn": "arn:aws:lambda:eu-west-1:123456789012:function:email-sender",
            },
            "KMSKeyID": "arn:aws:kms:eu-west-1:123456789012:key/demo",
        },
    )["UserPool"]
    set_pool_fields(
        {"pool": staging["Id"], "fields": {"EmailConfigurationFailure": "SES identity example.org is not verified"}}
    )
    staging_client = idp.create_user_pool_client(
        UserPoolId=staging["Id"],
        ClientName="staging-web",
        GenerateSecret=True,
        PreventUserExistenceErrors="ENABLED",
    )["UserPoolClient"]
    # Legacy verifies nothing and its account is still in the SNS sandbox.
    legacy = idp.create_user_pool(PoolName="cogtui-legacy")["UserPool"]
    set_pool_fields({"pool": legacy["Id"], "fields": {"SmsConfigurationFailure": "SNSSandbox"}})
    legacy_client = idp.create_user_pool_client(
        UserPoolId=legacy["Id"], ClientName="legacy-app"
    )["UserPoolClient"]
    for person in [_person(rng, 2000 + i) for i in range(3)]:
        idp.sign_up(
            ClientId=legacy_client["ClientId"],
            Username=person["username"],
            Password=PASSWORD,
            UserAttributes=_attributes(person),
        )
    for person in [_person(rng, 1000 + i) for i in range(12)]:
        idp.sign_up(
            ClientId=staging_client["ClientId"],
            Username=person["username"],
            Password=PASSWORD,
            UserAttributes=_attributes(person),
        )

    _delivery_evidence(
        endpoint,
        pool,
        idp,
        dict(
            endpoint_url=endpoint,
            region_name="eu-west-1",
            aws_access_key_id="demo",
            aws_secret_access_key="demo",
        ),
    )

    directory = os.path.dirname(os.path.abspath(config_path))
    secret_path = os.path.join(directory, "demo-client.secret")
    fd = os.open(secret_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(client["ClientSecret"] + "\n")
    with open(config_path, "w", encoding="utf-8") as out:
        out.write(
            f"""# Written by scripts/demo for the local emulator; safe to delete.
default_pool = "demo"
# The demo's history of sends: one file for every demo run, kept when a demo ends (out of
# your real audit log).
audit_log = "../demo-audit.jsonl"

[pools.demo]
user_pool_id = "{pool["Id"]}"
client_id = "{client["ClientId"]}"
region = "eu-west-1"
endpoint_url = "{endpoint}"
client_secret_file = "{secret_path}"

# The dialog's Ticket field also goes to the custom-message trigger under this key.
ticket_metadata_key = "ticket"

[pools.demo.client_metadata]
source = "support-desk"

# Staging's app client has a secret that is not configured here: see `cogtui diagnose`.
[pools.staging]
user_pool_id = "{staging["Id"]}"
client_id = "{staging_client["ClientId"]}"
region = "eu-west-1"
endpoint_url = "{endpoint}"

[pools.legacy]
user_pool_id = "{legacy["Id"]}"
client_id = "{legacy_client["ClientId"]}"
region = "eu-west-1"
endpoint_url = "{endpoint}"
"""
        )
