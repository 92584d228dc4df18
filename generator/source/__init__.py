"""Step 1, read: bytes → text → strict YAML with positions; syntax errors in Chinese."""
