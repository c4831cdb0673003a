"""Signed webhooks for partner systems (docs/webhooks.md)."""
