"""The same model, the same bytes: a skops archive rewritten so that it depends on the model alone.

``skops.io.dumps`` writes what a model is, plus three things that are not the model: each
object's ``id()`` (a memory address) as its ``__id__`` and in its array files' names
(``140327879882576.npy``), a random ``uuid4`` as the name of a bytes object's file, and the
current time on every entry of the zip archive. So the same model saved twice, or trained
twice from the same data and seed, had different bytes and therefore a different id in the
store (the start of the file's sha256), and registering it again kept a second copy.

:func:`reproducible_skops` renumbers the ids and the files in the order the schema first
names them, writes the entries in that order with a fixed time (1980-01-01, the zip format's
first day), and leaves every value alone: skops reads the rewritten archive as it read the
original (it looks objects up by ``__id__`` and files by the schema's ``file``). The bytes are
then a function of the model, on one platform with the same library versions.
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

SCHEMA = "schema.json"
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)
_FILE_MODE = 0o600 << 16  # what zipfile gives an entry written by name, as skops writes them


def reproducible_skops(data: bytes) -> bytes:
    """``data`` (a skops archive) with its ids, file names and times made independent of the run that wrote it."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        schema = json.loads(archive.read(SCHEMA))
        ids: dict[int, int] = {}
        files: dict[str, str] = {}
        renamed = _renumber(schema, ids, files)
        contents = {new: archive.read(old) for old, new in files.items()}
        compression = archive.getinfo(SCHEMA).compress_type
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, content in [*contents.items(), (SCHEMA, json.dumps(renamed, indent=2).encode("utf-8"))]:
            entry = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            entry.compress_type = compression
            entry.external_attr = _FILE_MODE
            archive.writestr(entry, content)
    return buffer.getvalue()


def _renumber(node: Any, ids: dict[int, int], files: dict[str, str]) -> Any:
    """A copy of the schema with ``__id__`` values and ``file`` names numbered by first appearance."""
    if isinstance(node, list):
        return [_renumber(item, ids, files) for item in node]
    if not isinstance(node, dict):
        return node
    renamed: dict[str, Any] = {}
    for key, value in node.items():
        if key == "__id__" and isinstance(value, int):
            renamed[key] = ids.setdefault(value, len(ids) + 1)
        elif key == "file" and isinstance(value, str):
            suffix = value[value.rfind(".") :] if "." in value else ""
            renamed[key] = files.setdefault(value, f"{len(files)}{suffix}")
        else:
            renamed[key] = _renumber(value, ids, files)
    return renamed
