"""In-app notifications and the outbox that e-mails them, exactly once."""
