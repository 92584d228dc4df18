"""Step 8, the `lvyin` command: commands, GitHub annotations, scaffolding of new entries."""
