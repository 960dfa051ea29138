"""Exports of a frozen version in other benchmarks' file layouts (one subpackage per layout)."""
