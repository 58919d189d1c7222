"""Loaders: turn source files into validated, cited records and write them atomically."""
