"""Ingestion: load files into pages, clean them faithfully, cut them into passages, extract records."""
