"""ASL1xx: structure, checked in one JSON Schema pass and reported per keyword."""
