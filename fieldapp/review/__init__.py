"""The office head's side: assigning work, overdue assignments (views.py, under /oficina) and
the review of diligences (diligence_views.py, under /diligencias). The office home is its own
feature, fieldapp/office_home."""
