"""Families and consent: guardian invitations, consents, consent requests."""
