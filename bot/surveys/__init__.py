"""Survey campaigns (issue 13): a form of the catalogue sent to an audience with a deadline."""
