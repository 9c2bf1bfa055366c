"""Definitions over HTTP: import as a draft, publish (/api/v1/formdefs/)."""
