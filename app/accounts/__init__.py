"""Accounts: users, guardian links, logins and refresh tokens, and who may see whom."""
