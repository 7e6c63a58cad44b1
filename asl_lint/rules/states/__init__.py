"""ASL6xx: rules of each state type: Retry and Catch, Choice, Wait, Map."""
