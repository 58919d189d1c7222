// Lints Cypher statements with Neo4j's own parser and semantic analysis.
// Input on stdin: {"statements": {"NAME": "CYPHER", ...}, "labels": [...], "relationshipTypes": [...],
//                  "propertyKeys": [...], "parameters": {"name": example value, ...}}
// Output on stdout: {"NAME": [{"severity": "error"|"warning", "message": "...", "offsets": {...}}], ...}
'use strict';
// The package's CommonJS build: its ESM build leaves out file extensions Node needs.
const { lintCypherQuery } = require('@neo4j-cypher/language-support');

const SEVERITY = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };

const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const schema = {
  labels: input.labels ?? [],
  relationshipTypes: input.relationshipTypes ?? [],
  propertyKeys: input.propertyKeys ?? [],
  parameters: input.parameters ?? {},
};
const out = {};
for (const [name, statement] of Object.entries(input.statements)) {
  out[name] = lintCypherQuery(statement, schema).map((d) => ({
    severity: SEVERITY[d.severity] ?? String(d.severity),
    message: d.message,
    offsets: d.offsets,
  }));
}
process.stdout.write(JSON.stringify(out, null, 1));
