"""The IMSS depository: custody of each sealed good from the embargo to its release, and
periodic inventories by scanning seals."""
