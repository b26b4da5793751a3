"""Cities (jurisdictions): their settings, departments, categories, and city packs."""
