"""A credit's legal life around the field work: its notifications, situations, estrados."""
