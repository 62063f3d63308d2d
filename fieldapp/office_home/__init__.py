"""The office head's home, /oficina/: the office at a glance (assignments by status, diligences
by review state, overdue assignments, credential warnings) and the way to every office screen."""
