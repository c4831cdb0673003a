"""Pure scheduling rules: slots across time zones and holidays, recurrence, conflict checks."""
