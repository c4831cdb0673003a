"""Pure attendance rules: presence spans to statuses and minutes; certificate texts."""
