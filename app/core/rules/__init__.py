"""Pure code lists and helpers shared by several capabilities (no I/O, no framework)."""
