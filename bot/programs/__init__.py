"""Personalized mentoring programs."""
