"""ASL3xx: query languages, paths, payload templates, intrinsic functions, variables."""
