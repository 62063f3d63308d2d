"""The field user's side: worklist and assignment details (offline capture comes later)."""
