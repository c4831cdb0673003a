"""Attendance from live presence, overrides, hours, reports, sealed records, certificates."""
