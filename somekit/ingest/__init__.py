"""Ingest adapters, registered by name (`somekit ingest --format NAME`)."""

from .base import ADAPTERS, Adapter, Parsed, get_adapter, register
from .engine import IngestReport, ingest

__all__ = ["ADAPTERS", "Adapter", "Parsed", "get_adapter", "register", "IngestReport", "ingest"]
