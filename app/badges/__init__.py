"""Open Badges 3.0: credentials issued for participation in an exchange (docs/activities.md)."""
