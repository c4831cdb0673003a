"""Benchmarks: ratios against a peer measured in the same run (see docs/benchmarks.md)."""
