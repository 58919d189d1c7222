"""Exporters: the graph written out for other tools (spreadsheets, FollowTheMoney, Gephi).

Every exporter reads its records through `exporters.records.graph_records`, the one
place where a public export will leave out or redact restricted persons (issue 8).
"""
