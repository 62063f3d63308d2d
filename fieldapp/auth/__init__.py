"""People who use the app, their roles, logging in and out."""
