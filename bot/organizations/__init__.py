"""Districts, schools, invitations and the school year."""
