"""Legal rules engine (pure part): calendar, deadlines, costs and field checks.

Every rule cites its id from docs/legal-rules.md (``R-NOT-3``). Nothing here imports Flask.
"""
