"""Composition root: builds the dispatcher, the scheduler and the CLI. Nothing imports it."""
