"""Site generator of the 绿荫计划 family-education public lecture hall of Baoji.

Data flows one way: read (YAML with positions) → model (typed entries) →
catalog (cross-checked, linked) → pages (a plan, no I/O) → render (Markdown)
→ adapters (the MkDocs plugin, the `lvyin` command line).
"""
