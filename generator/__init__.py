"""Site generator of the 绿荫计划 family-education public lecture hall of Baoji.

One package per step of the pipeline; data flows one way, and a package imports only from
the ones before it in `LAYERS` (tests/test_architecture.py checks it):

    errors → env → workers → memo → digests → source → model → catalog → plan → render → outputs → engine → cli

docs/architecture.md maps every module.
"""

# The pipeline, first to last.  `bench` (synthetic catalogues) stands beside it, used by `cli`.
LAYERS = ("errors", "env", "workers", "memo", "digests", "source", "model", "catalog", "plan", "render", "outputs", "engine", "bench", "cli")
