"""`python -m weightstudio.build`: the PyInstaller one-folder bundle, its tar.gz, and what dominates its size.

Run it from a source checkout with PyInstaller installed in the same Python (it installs nothing itself):

    python -m pip install pyinstaller        # once
    python -m weightstudio.build             # -> dist/weightstudio/ and dist/weightstudio-<version>-linux-<arch>.tar.gz

The spec (resources/weightstudio.spec) says what goes into the bundle and what is trimmed; this module runs it, adds
the desktop integration files (share/applications, share/icons, INSTALL.md), checks that no trimmed library is still
needed, archives the folder (tar keeps symlinks) and prints the folder and archive sizes with the largest components.
`.ci/package` calls it, then smoke-tests the built binary. The spec imports `prune_orphan_libraries` and
`drop_dangling_symlinks` from here.
"""

from __future__ import annotations

import argparse
import fnmatch
import importlib.util
import os
import platform
import re
import shutil
import struct
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # the source checkout (the package is installed editable)
SPEC = ROOT / "resources" / "weightstudio.spec"
APP = "weightstudio"
ICON_SIZES = (16, 32, 48, 64, 128, 256, 512)

# Libraries that come with the bundle: a trimmed build must still find every one of these that something needs.
BUNDLED_FAMILIES = ("libQt6*", "libicu*", "libpyside6*", "libshiboken6*", "libtorch*", "libc10*", "libpython*",
                    "libscipy_openblas*", "libgfortran*", "libquadmath*", "libgomp*")


class BuildError(Exception):
    """A reason the build cannot go on: printed as one line, exit code 1 (2 for a missing tool)."""


# ---- ELF: which libraries a binary needs (DT_NEEDED), read without binutils -----------------------------------

def elf_needed(path: str | os.PathLike) -> list[str] | None:
    """The DT_NEEDED names of an ELF shared object or executable; None when the file is not ELF."""
    try:
        with open(path, "rb") as f:
            head = f.read(64)
            if len(head) < 64 or head[:4] != b"\x7fELF":
                return None
            is64, end = head[4] == 2, "<" if head[5] == 1 else ">"
            if is64:
                phoff, = struct.unpack_from(end + "Q", head, 32)
                phentsize, phnum = struct.unpack_from(end + "HH", head, 54)
            else:
                phoff, = struct.unpack_from(end + "I", head, 28)
                phentsize, phnum = struct.unpack_from(end + "HH", head, 42)
            loads, dynamic = [], None
            for i in range(phnum):
                f.seek(phoff + i * phentsize)
                ph = f.read(phentsize)
                if is64:
                    p_type, _flags, p_offset, p_vaddr, _paddr, p_filesz = struct.unpack_from(end + "IIQQQQ", ph)
                else:
                    p_type, p_offset, p_vaddr, _paddr, p_filesz = struct.unpack_from(end + "IIIII", ph)
                if p_type == 1:  # PT_LOAD
                    loads.append((p_vaddr, p_offset, p_filesz))
                elif p_type == 2:  # PT_DYNAMIC
                    dynamic = (p_offset, p_filesz)
            if dynamic is None:
                return []
            f.seek(dynamic[0])
            raw = f.read(dynamic[1])
            entry = struct.Struct(end + ("qQ" if is64 else "iI"))
            needed, strtab = [], None
            for tag, val in entry.iter_unpack(raw[: len(raw) - len(raw) % entry.size]):
                if tag == 0:  # DT_NULL
                    break
                if tag == 1:  # DT_NEEDED: an offset into the string table
                    needed.append(val)
                elif tag == 5:  # DT_STRTAB: a virtual address; find its place in the file
                    strtab = next((off + val - va for va, off, size in loads if va <= val < va + size), None)
            if strtab is None:
                return []
            names = []
            for off in needed:
                f.seek(strtab + off)
                names.append(f.read(256).split(b"\0", 1)[0].decode("utf-8", "replace"))
            return names
    except (OSError, struct.error):
        return None


def prune_orphan_libraries(binaries: list[tuple]) -> tuple[list[tuple], list[tuple]]:
    """Drop the shared libraries that PyInstaller collected only because something now trimmed needed them.

    Called from the spec with Analysis.binaries after the trim rules. Candidates are the libraries that binary
    dependency analysis puts at the top of _internal/ (system libraries) and Qt's own libraries
    (PySide6/Qt/lib); everything else (Python extensions, Qt plugins, torch/lib, numpy.libs) is kept and is a root.
    A candidate stays when some kept binary needs it (DT_NEEDED, followed transitively). Symlink entries are left
    to drop_dangling_symlinks. Returns (kept, removed).
    """
    def is_candidate(dest: str) -> bool:
        base = dest.rsplit("/", 1)[-1]
        if base.startswith("libpython"):  # loaded by the bootloader, needed by nothing
            return False
        return ("/" not in dest and ".so" in base) or fnmatch.fnmatchcase(dest, "PySide6/Qt/lib/*")

    files = [(e[0].replace(os.sep, "/"), e) for e in binaries if e[2] != "SYMLINK"]
    candidates: dict[str, list[tuple]] = {}
    for dest, e in files:
        if is_candidate(dest):
            candidates.setdefault(dest.rsplit("/", 1)[-1], []).append(e)
    todo = [e for dest, e in files if not is_candidate(dest)]
    kept_names: set[str] = set()
    while todo:
        entry = todo.pop()
        for name in elf_needed(entry[1]) or []:
            if name in candidates and name not in kept_names:
                kept_names.add(name)
                todo.extend(candidates[name])
    removed = [e for name, entries in candidates.items() if name not in kept_names for e in entries]
    removed_ids = {id(e) for e in removed}
    return [e for e in binaries if id(e) not in removed_ids], removed


def drop_dangling_symlinks(*tocs: list[tuple]) -> tuple[list[list[tuple]], list[tuple]]:
    """PyInstaller's SYMLINK entries (dest, target relative to dest's folder) whose target is no longer collected.

    Returns the TOCs without them, and the dropped entries."""
    collected = {e[0].replace(os.sep, "/") for toc in tocs for e in toc if e[2] != "SYMLINK"}

    def dangling(e: tuple) -> bool:
        if e[2] != "SYMLINK":
            return False
        dest = e[0].replace(os.sep, "/")
        target = os.path.normpath(os.path.join(os.path.dirname(dest), e[1])).replace(os.sep, "/")
        return target not in collected

    dropped = [e for toc in tocs for e in toc if dangling(e)]
    return [[e for e in toc if not dangling(e)] for toc in tocs], dropped


def _system_libraries() -> set[str]:
    """Names the dynamic loader of this machine can find (ldconfig's cache), for the missing-library check."""
    names: set[str] = set()
    for ldconfig in ("ldconfig", "/sbin/ldconfig", "/usr/sbin/ldconfig"):
        try:
            out = subprocess.run([ldconfig, "-p"], capture_output=True, text=True, check=True).stdout
        except (OSError, subprocess.CalledProcessError):
            continue
        names.update(line.split()[0] for line in out.splitlines()[1:] if line.strip())
        break
    for d in ("/lib", "/usr/lib", "/lib64", "/usr/lib64", f"/usr/lib/{platform.machine()}-linux-gnu",
              f"/lib/{platform.machine()}-linux-gnu"):
        if os.path.isdir(d):
            names.update(os.listdir(d))
    return names


def check_libraries(bundle: Path) -> list[str]:
    """Libraries that a binary in the bundle needs and that are neither in the bundle nor on this machine.

    Raises BuildError when one of them is a library that the bundle is meant to carry (Qt, torch, Python...):
    that is a trim that went too far. Returns warnings for the others (system libraries absent here).
    """
    dangling = sorted(str(p.relative_to(bundle)) for p in bundle.rglob("*") if p.is_symlink() and not p.exists())
    if dangling:
        raise BuildError("the bundle has symlinks to files that are not there: " + ", ".join(dangling))
    files = [p for p in bundle.rglob("*") if p.is_file() and not p.is_symlink()]
    present = {p.name for p in bundle.rglob("*")}
    system = _system_libraries()
    missing: dict[str, list[str]] = {}
    for p in files:
        for name in elf_needed(p) or []:
            if name not in present and name not in system:
                missing.setdefault(name, []).append(str(p.relative_to(bundle)))
    broken = {n: users for n, users in missing.items() if any(fnmatch.fnmatchcase(n, f) for f in BUNDLED_FAMILIES)}
    if broken:
        raise BuildError("the bundle lacks libraries it needs (a trim in weightstudio.spec went too far):\n  "
                         + "\n  ".join(f"{n}, needed by {', '.join(sorted(u))}" for n, u in sorted(broken.items())))
    return [f"{n}, needed by {len(u)} file(s) such as {sorted(u, key=len)[0]}" for n, u in sorted(missing.items())]


def glibc_needed(bundle: Path) -> tuple[int, int] | None:
    """The newest GLIBC_2.x symbol version any binary in the bundle asks for: the oldest glibc it runs on.

    Set by the build machine (PyInstaller copies its system libraries), so build on the oldest system to support."""
    newest = None
    pattern = re.compile(rb"(?<=\0)GLIBC_(\d+)\.(\d+)(?:\.\d+)?(?=\0)")  # NUL-separated in .dynstr
    for p in bundle.rglob("*"):
        if p.is_file() and not p.is_symlink() and elf_needed(p) is not None:
            for m in pattern.finditer(p.read_bytes()):
                v = (int(m.group(1)), int(m.group(2)))
                newest = v if newest is None or v > newest else newest
    return newest


# ---- desktop integration, archive, size report -----------------------------------------------------------------

def add_desktop_files(bundle: Path) -> None:
    """Put the .desktop file, the icons (XDG hicolor layout) and INSTALL.md into the bundle folder."""
    res = ROOT / "resources"
    share = bundle / "share"
    (share / "applications").mkdir(parents=True, exist_ok=True)
    shutil.copy2(res / f"{APP}.desktop", share / "applications" / f"{APP}.desktop")
    for size in ICON_SIZES:
        target = share / "icons" / "hicolor" / f"{size}x{size}" / "apps"
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy2(res / "icons" / f"{APP}-{size}.png", target / f"{APP}.png")
    scalable = share / "icons" / "hicolor" / "scalable" / "apps"
    scalable.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / APP / "resources" / "icons" / f"{APP}.svg", scalable / f"{APP}.svg")
    shutil.copy2(res / "INSTALL.md", bundle / "INSTALL.md")


def archive(bundle: Path, out: Path) -> Path:
    """tar.gz of the bundle folder, its top folder named after the app; symlinks stay symlinks."""
    def normalise(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        return info

    tmp = out.with_name(out.name + ".part")
    with tarfile.open(tmp, "w:gz", compresslevel=6, dereference=False) as tar:
        tar.add(bundle, arcname=APP, filter=normalise)
    tmp.replace(out)
    return out


def _tree_sizes(bundle: Path) -> tuple[dict[Path, int], int, int]:
    """Bytes per path (files, and directories as the sum below them); symlinks count as nothing."""
    sizes: dict[Path, int] = {}
    total = count = 0
    for dirpath, _dirs, filenames in os.walk(bundle):
        for name in filenames:
            p = Path(dirpath, name)
            if p.is_symlink():
                continue
            n = p.stat().st_size
            sizes[p] = n
            total += n
            count += 1
            for parent in p.relative_to(bundle).parents:
                key = bundle / parent
                sizes[key] = sizes.get(key, 0) + n
    return sizes, total, count


def largest_components(bundle: Path, top: int = 10, split_share: float = 0.3) -> list[tuple[str, int]]:
    """The top entries by size, starting from _internal/'s children; a folder holding more than `split_share` of
    the bundle is shown as its children instead (so "torch" becomes torch/lib, torch/_inductor, ...)."""
    sizes, total, _ = _tree_sizes(bundle)
    internal = bundle / "_internal"
    items = [p for p in bundle.iterdir() if p != internal] + (list(internal.iterdir()) if internal.is_dir() else [])
    items = [p for p in items if p in sizes]
    while True:
        items.sort(key=lambda p: -sizes[p])
        big = next((p for p in items if p.is_dir() and sizes[p] > split_share * total
                    and any(c in sizes for c in p.iterdir())), None)
        if big is None:
            break
        items.remove(big)
        items += [c for c in big.iterdir() if c in sizes]
    rows = []
    for p in items[:top]:
        rel = str(p.relative_to(internal if internal in p.parents else bundle)) + ("/" if p.is_dir() else "")
        if p == bundle / APP:
            rel += " (the executable: bootloader + every Python module, compiled)"
        rows.append((rel, sizes[p]))
    rest = sum(sizes[p] for p in items[top:])
    if rest:
        rows.append((f"everything else ({len(items) - top} entries)", rest))
    return rows


def _mib(n: int) -> str:
    return f"{n / 2**20:,.1f} MiB"


def size_report(bundle: Path, tarball: Path | None) -> str:
    sizes, total, count = _tree_sizes(bundle)
    links = sum(1 for p in bundle.rglob("*") if p.is_symlink())
    lines = [f"bundle   {bundle}: {_mib(total)} in {count:,} files ({links} symlinks)"]
    if tarball is not None:
        lines.append(f"archive  {tarball}: {_mib(tarball.stat().st_size)}")
    lines.append("largest components (path inside _internal/):")
    for rel, n in largest_components(bundle):
        lines.append(f"  {_mib(n):>12}  {100 * n / total:5.1f}%  {rel}")
    files = sorted(((n, p) for p, n in sizes.items() if p.is_file()), reverse=True)[:5]
    lines.append("largest files:")
    lines += [f"  {_mib(n):>12}  {p.relative_to(bundle)}" for n, p in files]
    return "\n".join(lines)


# ---- the command -----------------------------------------------------------------------------------------------

def _preflight(allow_cuda: bool) -> None:
    if importlib.util.find_spec("PyInstaller") is None:
        print(f"error: PyInstaller is not installed in this Python ({sys.executable}).\n"
              f"The build needs it and installs nothing itself; install it from PyPI with\n"
              f"    {sys.executable} -m pip install pyinstaller\n"
              f"and run `python -m weightstudio.build` again.", file=sys.stderr)
        raise SystemExit(2)
    if not SPEC.is_file():
        raise BuildError(f"{SPEC} not found: build from a source checkout (pip install -e .)")
    if not sys.platform.startswith("linux"):
        raise BuildError(f"the bundle is built and tested on Linux only (this is {sys.platform})")
    spec = importlib.util.find_spec("torch")
    if spec is None or spec.origin is None:
        raise BuildError("torch is not installed in this Python")
    version_py = Path(spec.origin).parent / "version.py"
    text = version_py.read_text() if version_py.is_file() else ""
    if not re.search(r"^cuda\b[^=\n]*=\s*None\s*$", text, re.M) and not allow_cuda:
        raise BuildError("this torch is a CUDA build: the bundle would carry gigabytes of CUDA libraries. Install "
                         "the CPU build first (pip install torch==2.13.0 --index-url "
                         "https://download.pytorch.org/whl/cpu), or pass --allow-cuda")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m weightstudio.build",
                                description="Build the PyInstaller one-folder bundle of WeightStudio and archive it.")
    p.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder (default: dist/)")
    p.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller",
                   help="PyInstaller's work folder (default: build/pyinstaller/)")
    p.add_argument("--clean", action="store_true", help="empty PyInstaller's caches first (slower)")
    p.add_argument("--no-archive", action="store_true", help="skip the tar.gz")
    p.add_argument("--allow-cuda", action="store_true", help="build even when torch is a CUDA build")
    args = p.parse_args(argv)
    try:
        _preflight(args.allow_cuda)
        from . import __version__

        dist, work = args.dist.resolve(), args.work.resolve()
        bundle = dist / APP
        tarball = dist / f"{APP}-{__version__}-linux-{platform.machine()}.tar.gz"
        t0 = time.perf_counter()
        cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
               "--distpath", str(dist), "--workpath", str(work), *(["--clean"] if args.clean else []), str(SPEC)]
        print("+ " + " ".join(cmd), flush=True)
        if subprocess.run(cmd, cwd=ROOT).returncode != 0:
            raise BuildError("PyInstaller failed (its messages are above)")
        t_pyinstaller = time.perf_counter() - t0
        if not (bundle / APP).is_file():
            raise BuildError(f"PyInstaller finished but {bundle / APP} is missing")
        add_desktop_files(bundle)
        for line in check_libraries(bundle):
            print(f"note: a system library absent on this machine (fine if users have it; Qt skips a plugin it "
                  f"cannot load): {line}")
        glibc = glibc_needed(bundle)
        if glibc:
            print(f"runs on Linux with glibc >= {glibc[0]}.{glibc[1]} (set by this build machine's libraries)")
        t1 = time.perf_counter()
        if not args.no_archive:
            tarball.unlink(missing_ok=True)
            archive(bundle, tarball)
        t_archive = time.perf_counter() - t1
        print(size_report(bundle, None if args.no_archive else tarball))
        print(f"build time: {t_pyinstaller:.0f} s PyInstaller + {t_archive:.0f} s archive "
              f"= {time.perf_counter() - t0:.0f} s")
        print(f"run it: {bundle / APP}   (smoke test: {bundle / APP} --smoke-test)")
        return 0
    except BuildError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
