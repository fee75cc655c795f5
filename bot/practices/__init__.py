"""Beyond the pair itself (issue 16): best practices a completed pair agreed to publish, and
the notes colleagues add to a mentee's card at the curator's request."""
