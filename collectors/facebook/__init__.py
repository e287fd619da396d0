"""Facebook: API clients, collector, auth, export importers and sandbox."""
