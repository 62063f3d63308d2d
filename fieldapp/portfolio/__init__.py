"""The portfolio (cartera): debtors, their addresses, credits and the documents to notify."""
