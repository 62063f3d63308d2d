"""The office head's side: assigning work, overdue assignments (review of diligences later)."""
