"""Shared Meta machinery: the Graph API client and Meta Business Suite export readers."""
