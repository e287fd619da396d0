"""Collectors: one module per platform, the shared HTTP machinery, importers and the sandbox."""
