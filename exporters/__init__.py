"""Exporters: the graph written out for other tools (spreadsheets, FollowTheMoney, Gephi).

Every exporter reads its records through `exporters.records.graph_records`, the one
place where a public export leaves out restricted persons and scrubs their names.
"""
