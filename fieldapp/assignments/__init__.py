"""Assignments: a document given to one field user, with a due date."""
