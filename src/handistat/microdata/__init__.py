"""Research extracts (R-HB-9, R-MD-1)."""
