"""Import of issued credits (the emisión that reaches the office) from a CSV file."""
