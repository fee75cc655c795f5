"""Curators' broadcasts to their school, sent through the one outbox."""
