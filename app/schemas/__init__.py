"""API contracts: what clients send (`*Create`, `*Update`) and get back (`*Public`)."""
