"""The local models a practice has added (`afternote models add PATH`): a small JSON file in the data directory.

Only names and file paths are stored; the model files stay where the user keeps them.
"""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from afternote.errors import EngineError, InputError

GGUF_MAGIC = b"GGUF"


@dataclass(frozen=True)
class LocalModel:
    name: str
    path: str
    size: int = 0


def registry_path(data_dir: Path) -> Path:
    return data_dir / "models.json"


def _read(data_dir: Path) -> dict:
    path = registry_path(data_dir)
    if not path.exists():
        return {"default": None, "models": []}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or not isinstance(data.get("models"), list):
            raise ValueError
        return data
    except (OSError, ValueError):
        raise EngineError(f"{path} is not a valid model list. Fix or delete it, then add the models again "
                          "with `afternote models add PATH`.") from None


def _write(data_dir: Path, data: dict) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    path = registry_path(data_dir)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)  # atomic: a crash never leaves half a file


def list_models(data_dir: Path) -> tuple[list[LocalModel], str | None]:
    """The added models and the name of the default one."""
    data = _read(data_dir)
    models = [LocalModel(**{k: m[k] for k in ("name", "path", "size") if k in m}) for m in data["models"]]
    return models, data.get("default")


def check_gguf(path: Path) -> None:
    """Refuse a path that is not a readable GGUF file, saying what to do."""
    if not path.is_file():
        raise InputError(f"{path} is not a file. Give the path of a .gguf model file.")
    try:
        with path.open("rb") as fh:
            magic = fh.read(4)
    except OSError as exc:
        raise InputError(f"cannot read {path} ({exc.strerror or exc.__class__.__name__}).") from None
    if magic != GGUF_MAGIC:
        raise InputError(f"{path} is not a GGUF model file. Download or convert the model to GGUF "
                         "(llama.cpp's format), for example a Q4_K_M quantization.")


def add_model(data_dir: Path, path: Path, name: str | None = None, make_default: bool = False) -> LocalModel:
    """Add (or replace, by name) a GGUF model; the first model added becomes the default."""
    path = path.expanduser().resolve()
    check_gguf(path)
    name = name or path.stem
    data = _read(data_dir)
    model = LocalModel(name=name, path=str(path), size=path.stat().st_size)
    data["models"] = [m for m in data["models"] if m.get("name") != name] + [asdict(model)]
    if make_default or not data.get("default"):
        data["default"] = name
    _write(data_dir, data)
    return model


def remove_model(data_dir: Path, name: str) -> None:
    data = _read(data_dir)
    if not any(m.get("name") == name for m in data["models"]):
        raise InputError(f"no model named '{name}'. `afternote models` lists them.")
    data["models"] = [m for m in data["models"] if m.get("name") != name]
    if data.get("default") == name:
        data["default"] = data["models"][0]["name"] if data["models"] else None
    _write(data_dir, data)


def resolve_model(data_dir: Path, wanted: str | None) -> Path:
    """The GGUF file to load: `wanted` as a name from the list or a path, else the default model."""
    models, default = list_models(data_dir)
    wanted = wanted or default
    if not wanted:
        raise EngineError("no local model is set up. Add a GGUF file with `afternote models add PATH` "
                          "(see docs/engines.md), or use --engine builtin.")
    for model in models:
        if model.name == wanted:
            return Path(model.path)
    path = Path(wanted).expanduser()
    if path.suffix.lower() == ".gguf" and path.is_file():
        return path
    raise EngineError(f"no local model named '{wanted}'. `afternote models` lists them; "
                      "`afternote models add PATH` adds one.")
