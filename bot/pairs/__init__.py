"""Matching mentors with mentees, pair invitations, requests and the pairs order."""
