"""`python -m weightstudio.translations`: bring the Chinese translation up to date with the sources.

Run it after adding or changing a user-visible string (from a source checkout with the project's venv):

    python -m weightstudio.translations      # lupdate, then lrelease; prints what is left to translate

It does, in weightstudio/resources/i18n/:
  1. weightstudio_zh_CN.ts: `pyside6-lupdate` over the GUI's sources (every tr() / translate() / QT_TRANSLATE_NOOP
     text), without line numbers (so other branches' edits do not conflict here) and without obsolete entries;
  2. core_zh_CN.json: every `_("...")` / `N_("...")` template of the core and the CLI, the translations kept, new
     templates added with an empty translation, vanished ones dropped;
  3. weightstudio_zh_CN.qm: `pyside6-lrelease` of the .ts; qtbase_zh_CN.qm copied from PySide6 (Qt's own dialogs).
Translate the entries it reports as unfinished (Qt Linguist, `pyside6-linguist`, or any editor for the .ts; the
JSON by hand), then run it again so the .qm follows. tests/test_i18n.py fails while anything is unfinished.
Not part of the app: the bundle leaves this module out, as it does weightstudio.build.
"""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
I18N = PACKAGE / "resources" / "i18n"
TS = I18N / "weightstudio_zh_CN.ts"
QM = I18N / "weightstudio_zh_CN.qm"
CATALOGUE = I18N / "core_zh_CN.json"
QTBASE = "qtbase_zh_CN.qm"
MARKERS = ("_", "N_")  # the core's translation functions (weightstudio.core.messages)


def tool(name: str) -> str:
    """A PySide6 tool (pyside6-lupdate, pyside6-lrelease) beside this Python, else on PATH."""
    here = Path(sys.executable).with_name(name)
    found = str(here) if here.exists() else shutil.which(name)
    if found is None:
        raise FileNotFoundError(f"{name} not found beside {sys.executable} or on PATH (pip install PySide6-Essentials)")
    return found


def gui_sources() -> list[Path]:
    return sorted((PACKAGE / "gui").rglob("*.py"))


def core_sources() -> list[Path]:
    """Where `_()` templates live: the core, the CLI and the GUI's command line (the GUI itself uses Qt's tr)."""
    return sorted([*(PACKAGE / "core").rglob("*.py"), PACKAGE / "cli.py", PACKAGE / "gui" / "app.py"])


def lupdate(ts: Path, keep_obsolete: bool = False) -> str:
    """Update `ts` from the GUI's sources; returns lupdate's report."""
    args = [tool("pyside6-lupdate"), "-locations", "none", *map(str, gui_sources()), "-ts", str(ts)]
    if not keep_obsolete:
        args[1:1] = ["-no-obsolete"]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def lrelease(ts: Path, qm: Path) -> None:
    subprocess.run([tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True)


def ts_problems(ts: Path) -> list[str]:
    """'context: source (state)' for every message of `ts` that is not finished (unfinished, vanished,
    obsolete, or empty)."""
    problems = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            translation = message.find("translation")
            state = translation.get("type") if translation is not None else "missing"
            if state or not (translation.text or "").strip():
                problems.append(f"{name}: {message.findtext('source')!r} ({state or 'empty'})")
    return problems


def templates(paths: list[Path]) -> dict[str, str]:
    """Every literal template given to `_()` or `N_()` in `paths`, with the first place it is used."""
    found: dict[str, str] = {}
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in MARKERS
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                found.setdefault(node.args[0].value, f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    return found


def update_catalogue(path: Path = CATALOGUE) -> list[str]:
    """Bring the core's catalogue in line with the sources; returns the templates still untranslated."""
    old = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    new = {t: old.get(t, "") for t in sorted(templates(core_sources()))}
    from .core.atomic import atomic_write

    with atomic_write(path, "w") as f:
        json.dump(new, f, ensure_ascii=False, indent=1, sort_keys=True)
        f.write("\n")
    return [t for t, zh in new.items() if not zh]


def main() -> int:
    I18N.mkdir(parents=True, exist_ok=True)
    report = lupdate(TS)
    lrelease(TS, QM)
    from PySide6.QtCore import QLibraryInfo

    shutil.copy2(Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)) / QTBASE, I18N / QTBASE)
    print(report.strip())
    gui_left, core_left = ts_problems(TS), update_catalogue()
    for line in gui_left:
        print(f"unfinished (GUI): {line}")
    for template in core_left:
        print(f"unfinished (core): {template!r}")
    print(f"{TS.name}: {len(gui_left)} unfinished; {CATALOGUE.name}: {len(core_left)} unfinished; wrote {QM.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
