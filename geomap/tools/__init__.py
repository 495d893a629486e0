"""Helpers that turn geomap records into tables."""
