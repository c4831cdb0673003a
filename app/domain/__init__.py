"""Pure rules: no I/O, no clock, no framework. Everything here takes plain values."""
