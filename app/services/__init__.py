"""Use cases. Load rows, call the domain, flush. Never commit; raise `AppError`s."""
