"""Pure rules of webhooks: retries and backoff, which URLs and addresses are allowed, event
types and the payload envelope, the notification texts."""
