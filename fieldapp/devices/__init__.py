"""Phones enrolled for a field user: bearer tokens, QR enrollment links, revocation, and the
change feed that tells each user's phones what changed."""
