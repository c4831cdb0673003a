"""Passerelle: a backend for virtual exchange between vocational schools."""
