"""ASL5xx: what AWS accepts but warns about, limits, and likely bugs."""
