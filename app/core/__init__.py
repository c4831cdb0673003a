"""The kernel every capability shares: settings, database, errors, clock, paging, logs, audit,
security.
"""
