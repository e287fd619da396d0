"""Partner briefs: partners, brief templates (Jinja2) and rendering."""
