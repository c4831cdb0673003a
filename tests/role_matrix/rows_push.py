"""Web Push subscriptions, for every role: each person registers, lists and removes only their
own; another person's subscription is a 404 (the matrix runs with VAPID keys set)."""

from __future__ import annotations

from tests.role_matrix.rows import Row

# Real P-256 public keys and 16-byte secrets, as a browser's `PushSubscription.toJSON()`.
_KEYS = (
    {
        "p256dh": "BJ4z0O2LzQEk14MaNrN-OlRVr9Dl0aOwZ7xhJlTUX3HcwO-pruYbPvA_"
        "th9vcS71GY_Mq4wz43tfx64xTtwzBsg",
        "auth": "mtTWcBaPBIU2whAOzMUupg",
    },
    {
        "p256dh": "BEwI6LVYI9Is3bRkljPBMi3ifPmbKmb6i-R_aa8qzXI5QVtPw4FIb_"
        "Es8MtDi_I8VbDb9VusuSjIKjsej6hCH5Y",
        "auth": "eHmGzqLuNe6UKfghI0eOWA",
    },
)


def push_rows(actor: str, other: str) -> list[Row]:
    key = f"push_{actor}"
    mine = {"endpoint": f"https://push.example/{actor}", "keys": _KEYS[0]}
    return [
        Row(actor, "GET", "/push-subscriptions/vapid-public-key", 200),
        Row(actor, "POST", "/push-subscriptions", 201, mine, keep=key),
        Row(actor, "POST", "/push-subscriptions", 200, mine | {"keys": _KEYS[1]}),
        Row(actor, "GET", "/push-subscriptions", 200, sees=key),
        Row(other, "GET", "/push-subscriptions", 200, sees=""),
        Row(other, "DELETE", f"/push-subscriptions/{{{key}}}", 404),
        Row(actor, "DELETE", f"/push-subscriptions/{{{key}}}", 204),
        Row(actor, "GET", "/push-subscriptions", 200, sees=""),
    ]
