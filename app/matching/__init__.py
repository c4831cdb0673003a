"""Matching runs and the exchanges they propose."""
