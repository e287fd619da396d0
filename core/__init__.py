"""The shared basics every package builds on: domain records, errors, time, formats,
configuration, the metric catalogue, redaction and the CSV writer.

Nothing here imports from `social`, `collectors`, `scheduler`, `briefs` or `db`.
"""
