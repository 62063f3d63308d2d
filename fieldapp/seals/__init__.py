"""QR seal labels: sheets of unique codes an office prints and gives to its executors, and the
record of where each seal was used (R-PAE-8)."""
