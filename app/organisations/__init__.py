"""Organisations (schools, mobility providers) and the networks they form."""
