"""Step 3, catalog: every file of catalog/ read, validated, cross-checked and linked;
redirects of renamed ids, published ids, the articles of the knowledge base."""
