"""Standard Webhooks signatures (https://www.standardwebhooks.com): a `whsec_` secret per
subscription, and the `webhook-id`, `webhook-timestamp` and `webhook-signature` (HMAC-SHA256)
headers of each attempt, made by the `standardwebhooks` library that receivers verify with."""

import base64
import json
import secrets as random_source
import uuid
from datetime import UTC, datetime

from standardwebhooks import Webhook

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32  # the specification asks for 24 to 64


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(random_source.token_bytes(SECRET_BYTES)).decode()


def new_message_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


def body_of(payload: dict) -> str:
    # Sorted keys: every attempt of a message sends the same bytes.
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def signed_headers(*, secrets: list[str], message_id: str, at: datetime, body: str) -> dict[str, str]:
    """One signature per secret, space-separated: after a rotation the receiver may check either."""
    at = at.astimezone(UTC)  # the library reads the datetime as UTC
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": " ".join(Webhook(secret).sign(message_id, at, body) for secret in secrets),
    }
