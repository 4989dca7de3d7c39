"""Extension points, in the spirit of simonw/llm: each is one `register_*` hook.

Built-ins are plugins too: they are listed in DEFAULT_PLUGINS and loaded through the same mechanism as a third-party
package that declares an `afternote` entry point. AFTERNOTE_LOAD_PLUGINS (comma-separated module names) limits what
loads, for tests and for locked-down installs.
"""
from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from functools import cache
from typing import Any

import pluggy

hookspec = pluggy.HookspecMarker("afternote")
hookimpl = pluggy.HookimplMarker("afternote")

DEFAULT_PLUGINS = (
    "afternote.drafting.builtin",
    "afternote.drafting.llm",
    "afternote.checks.completeness",
    "afternote.checks.risk",
    "afternote.checks.billing",
    "afternote.checks.provenance",
    "afternote.checks.reading",
    "afternote.checks.language",
    "afternote.checks.measures",
)
# registered when exporters are first asked for: the PDF and Word libraries (fpdf2, fontTools, python-docx) take
# about 0.1 s and 15 MB to import, which drafting a note never needs
EXPORT_PLUGINS = (
    "afternote.exports.text",
    "afternote.exports.pdf",
    "afternote.exports.docx",
    "afternote.exports.fhir",
)


class Hooks:
    @hookspec
    def register_engines(self, register: Callable[[Any], None]) -> None:
        """Register drafting engines: objects with `name` and `write(summary, statements, format, session)`."""

    @hookspec
    def register_checks(self, register: Callable[[Callable], None]) -> None:
        """Register checks: functions `(note, statements, session) -> list[Finding]`."""

    @hookspec
    def register_exporters(self, register: Callable[[Any], None]) -> None:
        """Register exporters: `afternote.exports.Exporter` objects (name, media type, suffix, renderers)."""


def _only() -> set[str]:
    return {m.strip() for m in os.environ.get("AFTERNOTE_LOAD_PLUGINS", "").split(",") if m.strip()}


def _register(manager: pluggy.PluginManager, names: tuple[str, ...]) -> None:
    only = _only()
    for name in names:
        if (not only or name in only) and manager.get_plugin(name) is None:
            manager.register(importlib.import_module(name), name)


@cache
def plugin_manager() -> pluggy.PluginManager:
    manager = pluggy.PluginManager("afternote")
    manager.add_hookspecs(Hooks)
    _register(manager, DEFAULT_PLUGINS)
    if not _only():
        manager.load_setuptools_entrypoints("afternote")
    return manager


def _collect(hook_name: str) -> list:
    found: list = []
    getattr(plugin_manager().hook, hook_name)(register=found.append)
    return found


@cache
def engines() -> dict[str, Any]:
    return {engine.name: engine for engine in _collect("register_engines")}


@cache
def checks() -> tuple[Callable, ...]:
    return tuple(_collect("register_checks"))


@cache
def exporters() -> dict[str, Any]:
    _register(plugin_manager(), EXPORT_PLUGINS)
    return {exporter.name: exporter for exporter in _collect("register_exporters")}
