"""Output formats: flat Parquet for kept documents, JSONL records with step and reason for exclusions."""

from __future__ import annotations

import json

from datatrove.data import Document
from datatrove.io import DataFolderLike
from datatrove.pipeline.writers import JsonlWriter, ParquetWriter

# metadata written as typed Parquet columns; anything else a step or the input adds goes to `extra` (JSON)
METADATA_COLUMNS: dict[str, str] = {
    "source": "string",
    "line": "int64",
    "url": "string",
    "encoding": "string",
    "content_type": "string",
    "language": "string",
    "language_score": "float64",
    "language_variety": "string",
    "truncated_from": "int64",
    "spam": "bool",
    "spam_score": "float64",
    "clean_reasons": "list<string>",
    "literary_score": "float64",
    "ornateness": "float64",
    "overwrought": "float64",
    "quality": "float64",
    "l1": "string",
    "l2": "string",
    "l3": "list<string>",
    "values_risk": "float64",
    "risk_labels": "list<string>",
    "risk_l1": "list<string>",
    "minhash_cluster_size": "int64",
    "quality_rescued": "string",
    "clean_removed": "json",
    "style_evidence": "json",
    "risk_passages": "json",
}


# datatrove's reader of the run's own intermediate shards stamps their path on each document; it names a file
# under _work/, not the input (that is `source`), so it is not written out
INTERMEDIATE_PATH_KEY = "file_path"


def _arrow_type(name: str):
    import pyarrow as pa

    return {
        "string": pa.string(),
        "int64": pa.int64(),
        "float64": pa.float64(),
        "bool": pa.bool_(),
        "list<string>": pa.list_(pa.string()),
        "json": pa.string(),
    }[name]


def kept_schema():
    import pyarrow as pa

    fields = [pa.field("id", pa.string()), pa.field("text", pa.string()), pa.field("chars", pa.int64())]
    fields += [pa.field(k, _arrow_type(t)) for k, t in METADATA_COLUMNS.items()]
    fields.append(pa.field("extra", pa.string()))
    return pa.schema(fields)


def _coerce(value, kind: str):
    if value is None:
        return None
    try:
        if kind == "string":
            return str(value)
        if kind == "int64":
            return int(value)
        if kind == "float64":
            return float(value)
        if kind == "bool":
            return bool(value)
        if kind == "json":
            return json.dumps(value, ensure_ascii=False, default=str)
        if kind == "list<string>":
            return [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]
    except (TypeError, ValueError):
        return None
    return value


def flat_row(self, doc: Document) -> dict:
    """Kept document as one flat row: id, text, chars, known metadata columns, `extra` JSON for the rest."""
    meta = dict(doc.metadata)
    row = {"id": str(doc.id), "text": doc.text, "chars": len(doc.text)}
    for key, kind in METADATA_COLUMNS.items():
        row[key] = _coerce(meta.pop(key, None), kind)
    meta.pop("excluded_step", None)
    meta.pop(INTERMEDIATE_PATH_KEY, None)
    row["extra"] = json.dumps(meta, ensure_ascii=False, default=str) if meta else None
    return row


def exclusion_record(self, doc: Document) -> dict:
    """Excluded document: id, step, reason, where it came from, its text (as far as it got) and metadata."""
    meta = {k: v for k, v in doc.metadata.items() if not k.startswith("_")}
    reason = meta.pop("filter_reason", None) or meta.pop("exclusion_reason", None) or "dropped"
    step = meta.pop("excluded_step", None) or self.step_name
    return {
        "id": str(doc.id),
        "step": step,
        "reason": reason,
        "source": meta.pop("source", None),
        "line": meta.pop("line", None),
        "text": doc.text,
        "metadata": meta,
    }


class ExclusionWriter(JsonlWriter):
    """JSONL.gz exclusion records under excluded/<step>/."""

    name = "🗑 exclusions"

    def __init__(self, folder: DataFolderLike, step: str):
        super().__init__(folder, output_filename="${rank}.jsonl.gz", adapter=exclusion_record)
        self.step_name = step


class DedupExclusionWriter(ExclusionWriter):
    """datatrove's dedup filters give no reason field: stamp it from the step."""

    def __init__(self, folder: DataFolderLike, step: str, reason: str):
        super().__init__(folder, step)
        self.reason = reason

    def write(self, document: Document, rank: int = 0, **kwargs):
        document.metadata.setdefault("filter_reason", self.reason)
        document.metadata["excluded_step"] = self.step_name
        return super().write(document, rank, **kwargs)


def kept_writer(folder: DataFolderLike) -> ParquetWriter:
    return ParquetWriter(folder, output_filename="${rank}.parquet", adapter=flat_row, schema=kept_schema(), compression="zstd")
