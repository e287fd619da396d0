"""LinkedIn's built-in brief templates (<name>.md.j2), listed through `Platform.brief_templates`."""
