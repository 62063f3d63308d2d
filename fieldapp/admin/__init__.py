"""The administrator's side: users and credentials, offices, imports, legal parameters."""
