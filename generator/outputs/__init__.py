"""Step 6, outputs: every file of the site that is not a page (feeds, open data, print sheets,
dashboard files, nearby data, published ids) and `outputs()`, every generated file."""
