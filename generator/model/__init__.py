"""Step 2, model: typed fields and entries, the table of catalogue kinds, settings, vocabularies,
pydantic errors as Chinese problems, JSON Schema for editors."""
