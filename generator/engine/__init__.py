"""Step 7, engine: the MkDocs plugin (glue), the parallel build, the preview and its caches,
the search index, the link check, progress display."""
