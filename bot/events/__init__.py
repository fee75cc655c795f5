"""Events the bot organises: invitations with answers, reminders, attendance, materials."""
