"""What every web feature shares: htmx page-or-fragment, errors, security headers, filters."""
