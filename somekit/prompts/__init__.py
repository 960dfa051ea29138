"""Versioned prompt templates (one file each) and their loader."""
