"""Reading the key points: clauses, and for each its category, actor, time and risk (docs/annotation.md)."""
