"""ASL0xx: reading files and finding state machines in them."""
