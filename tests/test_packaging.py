"""Packaging checks that cost milliseconds: the spec, the desktop files, the icons, the package data, no network code,
and the helpers of weightstudio.build. The bundle itself is built and smoke-tested by .ci/package, not here."""

from __future__ import annotations

import ast
import configparser
import importlib.util
import io
import os
import re
import struct
import subprocess
import tarfile
import tokenize
from pathlib import Path

import pytest

import weightstudio
from weightstudio import build
from weightstudio.core.resources import RESOURCES, resource

ROOT = Path(__file__).resolve().parent.parent
RES = ROOT / "resources"
SPEC = RES / "weightstudio.spec"
PACKAGE = Path(weightstudio.__file__).resolve().parent
ICON_SIZES = (16, 32, 48, 64, 128, 256, 512)


def spec_list(name: str) -> list:
    """A list literal assigned at the top of the spec (the spec is Python that PyInstaller executes)."""
    for node in ast.parse(SPEC.read_text()).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            return ast.literal_eval(node.value)
    raise AssertionError(f"{name} not assigned in {SPEC}")


# ---- the spec ------------------------------------------------------------------------------------------------

def test_spec_excludes_what_the_app_does_not_use():
    excludes = set(spec_list("EXCLUDES"))
    for module in ("tkinter", "matplotlib", "IPython", "scipy", "pandas", "PIL", "PyQt5", "PyQt6", "PySide2",
                   "PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtNetwork", "PySide6.QtWebEngineCore",
                   "weightstudio.build"):
        assert module in excludes, module


def test_spec_is_one_folder_and_does_not_collect_all_of_pyside6():
    text = SPEC.read_text()
    code = "\n".join(line.split("#", 1)[0] for line in text.splitlines())  # comments may mention what we avoid
    assert "exclude_binaries=True" in code and "COLLECT(" in code  # one-folder: binaries go to COLLECT, not EXE
    assert "collect_all" not in code and "--collect-all" not in code
    assert "upx=True" not in code
    assert 'collect_data_files("weightstudio", subdir="resources")' in code  # digits.npz and the icons


def test_spec_trims_are_not_the_libraries_the_app_needs():
    import fnmatch

    rules = [pattern for pattern, _why in spec_list("TRIM_RULES")]
    for needed in ("PySide6/Qt/plugins/platforms/libqxcb.so", "PySide6/Qt/plugins/platforms/libqoffscreen.so",
                   "PySide6/Qt/plugins/platforms/libqwayland.so", "PySide6/Qt/plugins/iconengines/libqsvgicon.so",
                   "PySide6/Qt/plugins/imageformats/libqsvg.so", "PySide6/Qt/lib/libQt6Core.so.6",
                   "torch/lib/libtorch_cpu.so", "torch/lib/libtorch_global_deps.so", "torch/bin/torch_shm_manager",
                   "numpy.libs/libscipy_openblas64_.so", "weightstudio/resources/digits.npz",
                   "weightstudio/resources/icons/weightstudio.svg"):
        assert not any(fnmatch.fnmatchcase(needed, p) for p in rules), needed
    # numpy.libs' auditwheel-patched OpenBLAS breaks when stripped: never on the strip list
    assert not any(fnmatch.fnmatchcase("numpy.libs/libscipy_openblas64_.so", p) for p in spec_list("STRIP"))


def test_launcher_calls_freeze_support_before_the_app():
    text = (RES / "launcher.py").read_text()
    assert text.index("multiprocessing.freeze_support()") < text.index("from weightstudio.__main__ import main")


# ---- desktop integration -------------------------------------------------------------------------------------

def test_desktop_file_has_the_required_keys():
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(RES / "weightstudio.desktop", encoding="utf-8")
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Name"] == "WeightStudio"
    assert entry["Comment"]
    assert entry["Exec"].split()[0].endswith("weightstudio")
    assert entry["Icon"] == "weightstudio"  # the icon theme name the PNGs are installed under
    assert entry["Categories"] == "Education;Science;"
    assert entry["Terminal"] == "false"


def png_size(path: Path) -> tuple[int, int, int]:
    """(width, height, colour type) from a PNG's IHDR, after checking the signature."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR" and length == 13
    width, height, _depth, colour = struct.unpack(">IIBB", data[16:26])
    return width, height, colour


@pytest.mark.parametrize("size", ICON_SIZES)
def test_icon_png_exists_at_its_size_with_transparency(size):
    width, height, colour = png_size(RES / "icons" / f"weightstudio-{size}.png")
    assert (width, height) == (size, size)
    assert colour == 6  # RGBA: the rounded corners are transparent


def test_ico_holds_several_sizes_up_to_256():
    data = (RES / "icons" / "weightstudio.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1) and count >= 4
    sizes = {data[6 + 16 * i] or 256 for i in range(count)}  # width byte; 0 means 256
    assert {16, 32, 48, 256} <= sizes


def test_icons_are_rendered_from_the_current_svg(qapp):
    """Fails when the SVG master was edited and resources/make_icons.py was not run again."""
    from PySide6.QtGui import QImage
    from PySide6.QtSvg import QSvgRenderer

    spec = importlib.util.spec_from_file_location("make_icons", RES / "make_icons.py")
    make_icons = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_icons)
    renderer = QSvgRenderer(str(make_icons.MASTER))
    assert renderer.isValid()
    for size in (32, 128):
        fresh = QImage.fromData(make_icons.render_png(renderer, size)).convertToFormat(QImage.Format.Format_ARGB32)
        committed = QImage(str(RES / "icons" / f"weightstudio-{size}.png")).convertToFormat(
            QImage.Format.Format_ARGB32)
        worst = max(abs(((fresh.pixel(x, y) >> s) & 255) - ((committed.pixel(x, y) >> s) & 255))
                    for x in range(size) for y in range(size) for s in (0, 8, 16, 24))
        assert worst <= 8, f"weightstudio-{size}.png is stale: run resources/make_icons.py"


def test_install_notes_and_ci_script_are_in_place():
    notes = (RES / "INSTALL.md").read_text()
    for step in ("tar -xzf weightstudio-", "~/.local/share", "weightstudio.desktop"):
        assert step in notes
    script = ROOT / ".ci" / "package"
    assert os.access(script, os.X_OK), ".ci/package must be executable (chmod +x)"
    subprocess.run(["bash", "-n", str(script)], check=True)
    text = script.read_text()
    for piece in ("python -m weightstudio.build", "QT_QPA_PLATFORM=offscreen", "QT_QPA_PLATFORM=xcb", "xvfb-run",
                  "--smoke-test", "env -i", "train --preset line-2x+1"):
        assert piece.replace("python -m", "-m") in text, piece


# ---- package data --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(RESOURCES))
def test_every_resource_resolves_to_a_file(name):
    path = resource(name)
    assert path.is_file(), f"resource {name!r} -> {path} is missing"
    assert path.read_bytes()


def test_unknown_resource_name_raises():
    with pytest.raises(KeyError, match="nope"):
        resource("nope")


def test_svg_master_is_a_square_svg():
    import xml.etree.ElementTree as ET

    root = ET.fromstring(resource("icon-svg").read_bytes())
    assert root.tag.endswith("svg")
    _x, _y, w, h = map(float, root.attrib["viewBox"].split())
    assert w == h


# ---- offline -------------------------------------------------------------------------------------------------

NETWORK_PATTERNS = [
    r"\burllib\.request\b", r"\burlopen\s*\(", r"\burlretrieve\s*\(", r"\bhttp\.client\b",
    r"^\s*(?:import|from)\s+(?:requests|httpx|aiohttp|urllib3|socket|ftplib|smtplib)\b",
    r"\bsocket\.create_connection\b", r"\bdownload\s*=\s*True\b", r"\btorchvision\b", r"\btorch\.hub\b",
    r"\bload_state_dict_from_url\b", r"\bQtNetwork\b", r"\bQNetworkAccessManager\b", r"\bwebbrowser\b",
]


def code_without_comments(path: Path) -> str:
    """The source with comments dropped (strings stay: an import by name is still an import)."""
    tokens = [t for t in tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
              if t.type != tokenize.COMMENT]
    return tokenize.untokenize(tokens)


def test_package_source_has_no_network_calls():
    offenders = []
    sources = sorted(PACKAGE.rglob("*.py")) + [RES / "launcher.py"]
    assert len(sources) > 5
    for path in sources:
        code = code_without_comments(path)
        for pattern in NETWORK_PATTERNS:
            for m in re.finditer(pattern, code, re.M):
                line = code.count("\n", 0, m.start()) + 1
                offenders.append(f"{path.relative_to(ROOT)}:{line}: {m.group(0).strip()}")
    assert not offenders, "network code in the app (it must work offline):\n" + "\n".join(offenders)


# ---- weightstudio.build helpers ------------------------------------------------------------------------------

def test_elf_needed_reads_dependencies():
    import PySide6

    qt = Path(PySide6.__file__).parent / "Qt"
    needed = build.elf_needed(qt / "plugins" / "platforms" / "libqoffscreen.so")
    assert needed and "libQt6Gui.so.6" in needed and "libQt6Core.so.6" in needed
    assert build.elf_needed(SPEC) is None  # not ELF


def test_prune_orphan_libraries_keeps_what_is_needed_and_drops_the_rest():
    import PySide6

    qt = Path(PySide6.__file__).parent / "Qt"
    plugin = ("PySide6/Qt/plugins/platforms/libqoffscreen.so", str(qt / "plugins/platforms/libqoffscreen.so"),
              "BINARY")
    libs = [(f"PySide6/Qt/lib/{n}", str(qt / "lib" / n), "BINARY")
            for n in ("libQt6Gui.so.6", "libQt6Core.so.6", "libicudata.so.73", "libQt6Network.so.6")]
    link = ("libQt6Network.so.6", "PySide6/Qt/lib/libQt6Network.so.6", "SYMLINK")
    kept, removed = build.prune_orphan_libraries([plugin, *libs, link])
    kept_names = {e[0] for e in kept}
    assert {"PySide6/Qt/lib/libQt6Gui.so.6", "PySide6/Qt/lib/libQt6Core.so.6"} <= kept_names  # needed directly
    assert "PySide6/Qt/lib/libicudata.so.73" in kept_names  # needed through libQt6Core
    assert [e[0] for e in removed] == ["PySide6/Qt/lib/libQt6Network.so.6"]  # nothing kept needs it
    (binaries,), dropped = build.drop_dangling_symlinks(kept)
    assert dropped == [link] and link not in binaries


def test_archive_keeps_symlinks_and_the_size_report_names_the_largest(tmp_path):
    bundle = tmp_path / "weightstudio"
    (bundle / "_internal" / "torch" / "lib").mkdir(parents=True)
    (bundle / "_internal" / "torch" / "lib" / "libbig.so").write_bytes(b"\0" * 300_000)
    (bundle / "_internal" / "small.so").write_bytes(b"\0" * 1000)
    (bundle / "_internal" / "link.so").symlink_to("torch/lib/libbig.so")
    (bundle / "weightstudio").write_bytes(b"\0" * 5000)
    tarball = build.archive(bundle, tmp_path / "out.tar.gz")
    with tarfile.open(tarball) as tar:
        member = tar.getmember("weightstudio/_internal/link.so")
        assert member.issym() and member.linkname == "torch/lib/libbig.so"
        assert tar.getmember("weightstudio/_internal/torch/lib/libbig.so").size == 300_000
    rows = build.largest_components(bundle)
    assert rows[0] == ("torch/lib/libbig.so", 300_000)  # the dominant folders are opened down to the file
    report = build.size_report(bundle, tarball)
    assert "archive" in report and "libbig.so" in report


def test_build_says_how_to_get_pyinstaller_when_it_is_missing(monkeypatch, capsys):
    real = importlib.util.find_spec
    monkeypatch.setattr(build.importlib.util, "find_spec",
                        lambda name, *a: None if name == "PyInstaller" else real(name, *a))
    with pytest.raises(SystemExit) as exit_info:
        build.main([])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "PyInstaller is not installed" in err and "pip install pyinstaller" in err
