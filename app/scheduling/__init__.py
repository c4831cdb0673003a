"""Scheduling: common slots, sessions and series, conflicts, iCalendar invites and feeds."""
