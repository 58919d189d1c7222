"""Exporters: the graph written out for other tools (spreadsheets, FollowTheMoney, Gephi).

Every exporter reads its records through `exporters.records.graph_records` from the
store it is given; a public export is given the public view (`graph.public`).
"""
