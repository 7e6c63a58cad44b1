"""The expression languages inside a definition: JSONPath, intrinsic functions, JSONata."""
