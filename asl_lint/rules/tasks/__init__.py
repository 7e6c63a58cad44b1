"""ASL4xx: Task resources, integration patterns and the workflow type."""
