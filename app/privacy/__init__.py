"""Data rights: export and erasure of a person's data."""
