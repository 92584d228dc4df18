"""Step 4, plan: the site's inputs (catalogue, settings, build date) and the plan of its pages,
campaigns, statistics, the field guide, coordinates.  No I/O."""
