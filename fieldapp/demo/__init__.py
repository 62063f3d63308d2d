"""`fieldapp demo`: a realistic, fictional office to try the app, and `fieldapp serve`."""
