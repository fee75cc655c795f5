"""Joining a school's program and the banks of mentors and mentees."""
