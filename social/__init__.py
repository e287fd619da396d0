"""social: collect, plan and report social-media reach."""

__version__ = "0.1.0"
