"""The JSON API (CONTRACT.md §4): one package per resource, thin glue over the commands."""
