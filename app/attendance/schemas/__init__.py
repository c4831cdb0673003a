"""API shapes of attendance, reports and certificates."""
