"""The shared core under every capability: rows in, runs out, configs, reasons, data folders, redaction.

`rows` reads JSONL and Parquet with file:line problems; `config` loads YAML configs into pydantic models with
`file:line: key: message` errors; `runs` writes run folders (atomic outputs, no silent overwrite, stats.json);
`reasons` is the one registry of exclusion reason codes; `paths` names the data folder that training commands
take as an argument; `redact` keeps secrets out of logs; `store` keeps trained models as named numpy arrays plus
a JSON record (npz, no pickle). Light on purpose: stdlib, numpy, orjson, pyarrow, pydantic, PyYAML; it imports
nothing else from wenforge.
"""
