"""Step 5, render: the one Jinja environment, templates, rich text, extra search terms."""
