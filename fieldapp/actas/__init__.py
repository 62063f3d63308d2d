"""Printable actas (PDF with a verification QR code) and the public verification page."""
