"""Matching classes across countries: compatibility, optimal pairs, groups of three or four.

Pure: plain dataclasses in, plain dataclasses out; no I/O and no clock. The service layer runs
`solve` in a worker process.
"""
