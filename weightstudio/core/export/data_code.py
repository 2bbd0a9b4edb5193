"""The data part of an exported script: a `load_data` function that makes the run's arrays bit for bit.

Built-in sets get their generator's code with the run's numbers written in; file sources get reading code for
the file the run read, with the choices the studio made on it (delimiter, header, target column, task, label
encoding, which MNIST/CIFAR files) settled here, at export, so the script reads plainly. Every branch ends in
the studio's cast to float32/int64 and its validation split (`core.data._finish`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .. import data as studio_data
from ..data import DataError, Dataset
from .words import Words


@dataclass
class DataCode:
    """What the script needs to make its data."""

    function: str  # the source of `def load_data(...)`
    helpers: list[str] = field(default_factory=list)  # other functions it calls (split, read_idx...)
    imports: set[str] = field(default_factory=set)  # standard modules beyond argparse, math, pathlib
    path: str | None = None  # the DATA setting's default expression, for sources read from disk
    path_comment: str = ""
    copy_digits: bool = False  # the bundled digits.npz goes beside the script


def num(v) -> str:
    """A Python literal that reads back as exactly `v`."""
    if isinstance(v, bool) or v is None:
        return repr(v)
    if isinstance(v, int):
        return str(v)
    return repr(float(v))


def text_literal(s: str) -> str:
    """A Python string literal for `s`, in double quotes like the rest of the script where it can be."""
    return f'"{s}"' if s.isprintable() and not set(s) & {'"', "\\"} else repr(s)


def _comment(code: str, text: str) -> str:
    text = " ".join(text.split())  # a header cell may hold a newline; a comment must not
    return f"{code}  # {text}" if text else code


def _params(spec: dict) -> dict:
    """The spec with its defaults filled in and checked, as load_dataset sees it."""
    source = spec["source"]
    full = {**studio_data.default_data_spec(source), **spec}
    return {k: studio_data._PARAM_CHECKS[k](source, k, v) for k, v in full.items() if k != "source"}


def split_function(w: Words) -> str:
    return f'''def split(x, y, val_fraction):
    """{w("split_doc")}"""
    n_val = round(len(x) * val_fraction)
    if n_val == 0:
        return x, y, x[:0], y[:0]  # {w("no_val")}
    perm = np.random.default_rng([SEED, {studio_data._SPLIT_STREAM:#x}]).permutation(len(x))  # {w("split_stream")}
    val, train = np.sort(perm[:n_val]), np.sort(perm[n_val:])
    return x[train], y[train], x[val], y[val]'''


class _Builder:
    def __init__(self, w: Words, dataset: Dataset):
        self.w = w
        self.dataset = dataset
        self.helpers: list[str] = []
        self.imports: set[str] = set()

    def finish(self, val_fraction: float, x_float32: bool = False, y_float32: bool = False) -> list[str]:
        """The studio's `_finish`: float32 inputs, int64 labels or float32 targets, then the split.

        `x_float32`, `y_float32`: the arrays already are (the torch generators, the scaled images)."""
        w, ds = self.w, self.dataset
        lines = [] if x_float32 else [_comment("x = x.astype(np.float32)", w("as_float32"))]
        if ds.task == "classification":
            lines.append(_comment("y = y.astype(np.int64)", w("labels_int", last=ds.n_classes - 1)))
        elif not y_float32:
            lines.append("y = y.astype(np.float32)")
        if val_fraction == 0:
            lines.append(_comment("return x, y, x[:0], y[:0]", w("no_val")))
        else:
            self.helpers.append(split_function(w))
            lines.append(f"return split(x, y, val_fraction={num(val_fraction)})")
        return lines

    def shape_lines(self, per_sample: tuple[int, ...]) -> list[str]:
        """Reshape images (n, h, w) or (n, c, h, w) to the run's input: flat, or (c, h, w) with a new array."""
        w, shape = self.w, self.dataset.feature_shape
        if len(shape) == 1:
            return [_comment("x = x.reshape(len(x), -1)", w("flat", n=shape[0]))]
        if tuple(per_sample) == shape:
            return []
        dims = ", ".join(map(str, shape))
        return [_comment(f"x = x.reshape(len(x), {dims})", w("image", shape=f"({dims})"))]


def _function(doc: str, args: str, body: list[str]) -> str:
    doc = " ".join(doc.split()).replace("\\", "/").replace('"', "'")  # file names and header cells in it
    lines = [f"def load_data({args}):", f'    """{doc}"""']
    lines += [f"    {ln}" if ln else "" for ln in body]
    return "\n".join(lines)


# ---- built-in generators: the code of core/data.py's generators, with the run's numbers ----

def _torch_generated(b: _Builder, p: dict, source: str) -> tuple[str, list[str]]:
    w, n = b.w, p["n"]
    body = [_comment("g = torch.Generator().manual_seed(SEED)", w("torch_gen"))]
    if source == "random-regression":
        doc = w("rr_doc")
        body += [_comment(f"x = torch.randn({n}, {p['features']}, generator=g)", w("rr_x", n=n, f=p["features"])),
                 _comment(f"y = torch.randn({n}, 1, generator=g)", w("rr_y", n=n))]
    elif source == "quadratic":
        doc = w("quad_doc")
        body += [_comment(f"x = torch.unsqueeze(torch.linspace(-1, 1, {n}), dim=1)", w("quad_x", n=n)),
                 _comment(f"y = x.pow(2) + {num(p['noise'])} * torch.rand(x.size(), generator=g)",
                          w("quad_y", noise=f"{p['noise']:g}"))]
    else:  # line
        doc = w("line_doc", slope=f"{p['slope']:g}", intercept=f"{p['intercept']:g}")
        body += [_comment(f"x = 10 * torch.rand({n}, 1, generator=g)", w("line_x")),
                 (f"y = {num(p['slope'])} * x + {num(p['intercept'])} + {num(p['noise'])} * "
                  f"torch.randn({n}, 1, generator=g)")]
    body.append("x, y = x.numpy(), y.numpy()")
    return doc, body


def _numpy_generated(b: _Builder, p: dict, source: str) -> tuple[str, list[str]]:
    w = b.w
    body = [_comment("rng = np.random.default_rng(SEED)", w("np_gen"))]
    noise = num(p["noise"])
    if source == "blobs":
        k, n = p["classes"], p["n"]
        counts = studio_data._class_counts(n, k)
        doc = w("blobs_doc")
        body += [f"angles = 2 * np.pi * np.arange({k}) / {k}",
                 _comment("centres = 4.0 * np.stack([np.cos(angles), np.sin(angles)], axis=1)",
                          w("blobs_centres", k=k)),
                 _comment(f"y = np.repeat(np.arange({k}), {counts})", w("blobs_y", counts=counts)),
                 f"x = centres[y] + {noise} * rng.standard_normal(({n}, 2))"]
    elif source == "circles":
        doc = w("circles_doc")
        body += [_comment(f"counts = {studio_data._class_counts(p['n'], 2)}", w("circles_counts")),
                 "angle = np.concatenate([np.linspace(0, 2 * np.pi, c, endpoint=False) for c in counts])",
                 _comment("radius = np.repeat([1.0, 0.5], counts)", w("circles_radius")),
                 "x = radius[:, None] * np.stack([np.cos(angle), np.sin(angle)], axis=1)",
                 f"x += {noise} * rng.standard_normal(x.shape)",
                 "y = np.repeat([0, 1], counts)"]
    elif source == "xor":
        doc = w("xor_doc")
        body += [f"clean = rng.uniform(-1.0, 1.0, ({p['n']}, 2))",
                 _comment("y = (clean[:, 0] * clean[:, 1] < 0).astype(np.int64)", w("xor_y")),
                 f"x = clean + {noise} * rng.standard_normal(clean.shape)"]
    else:  # spiral
        doc = w("spiral_doc")
        counts = studio_data._class_counts(p["n"], p["classes"])
        body += ["xs, ys = [], []",
                 _comment(f"for j, count in enumerate({counts}):", w("spiral_arm")),
                 "    r = np.linspace(0.0, 1.0, count)",
                 f"    t = np.linspace(j * 4, (j + 1) * 4, count) + {noise} * rng.standard_normal(count)",
                 "    xs.append(np.stack([r * np.sin(t), r * np.cos(t)], axis=1))",
                 "    ys.append(np.full(count, j))",
                 "x, y = np.concatenate(xs), np.concatenate(ys)"]
    return doc, body


def _digits(b: _Builder, p: dict) -> tuple[str, list[str]]:
    w = b.w
    body = [_comment("with np.load(path, allow_pickle=False) as f:", w("npz_plain")),
            '    images, target = f["images"], f["target"]',
            _comment("x = images.astype(np.float32) / 16.0", w("digits_scale")),
            *b.shape_lines((8, 8)),
            "y = target"]
    return w("digits_doc"), body


# ---- files: reading code, with the studio's choices for this file settled at export ----

def _describe_classes(names: list[str], limit: int = 6) -> str:
    shown = ", ".join(f"{i} = {n!r}" for i, n in enumerate(names[:limit]))
    return shown + (", ..." if len(names) > limit else "")


def _csv(b: _Builder, p: dict) -> tuple[str, list[str]]:
    w, ds, path = b.w, b.dataset, p["path"]
    b.imports.add("csv")
    text = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    delimiter = studio_data._delimiter(text)
    table = studio_data._read_csv(path, p["target"])
    t = table.target
    col = f"row[{t}]" + (f" ('{table.header[t]}')" if table.header else "")
    features = "row[1:]" if t == 0 else f"row[:{t}]" if t == len(table.x[0]) else f"row[:{t}] + row[{t + 1}:]"
    body = [_comment("with open(path, encoding=\"utf-8-sig\") as f:", ""),
            _comment(f"    rows = [[cell.strip() for cell in row] for row in csv.reader(f, delimiter={text_literal(delimiter)})]",
                     w("csv_rows")),
            _comment('rows = [row for row in rows if any(row) and not row[0].startswith("#")]', w("csv_skip"))]
    if table.header:
        header = ", ".join(table.header)
        if len(header) > 60:
            header = header[:57] + "..."
        body.append(_comment("rows = rows[1:]", w("csv_header", header=header)))
    body += [_comment(f"x = np.array([{features} for row in rows], dtype=np.float64)",
                      w("csv_features"))]
    numeric = table.labels.dtype.kind == "f"
    if ds.task == "regression":
        body += [_comment(f"y = np.array([row[{t}] for row in rows], dtype=np.float64)[:, None]",
                          w("csv_regression"))]
    elif numeric:
        body += [_comment(f"labels = np.array([row[{t}] for row in rows], dtype=np.float64).astype(np.int64)",
                          w("csv_num_labels")),
                 _comment("y = np.unique(labels, return_inverse=True)[1]",
                          w("encode", names=_describe_classes(ds.class_names)))]
    else:
        body += [_comment(f"labels = np.array([row[{t}] for row in rows])", w("csv_text_labels")),
                 _comment("y = np.unique(labels, return_inverse=True)[1]",
                          w("encode", names=_describe_classes(ds.class_names)))]
    return w("csv_doc", col=col), body


def _npz(b: _Builder, p: dict) -> tuple[str, list[str]]:
    w, ds = b.w, b.dataset
    with np.load(p["path"], allow_pickle=False) as archive:
        x_ndim, y = archive["x"].ndim, archive["y"]
    what = w("npz_labels") if ds.task == "classification" else w("npz_targets")
    body = [_comment("with np.load(path, allow_pickle=False) as f:", w("npz_plain")),
            '    x, y = f["x"], f["y"]']
    if x_ndim == 1:
        body.append(_comment("x = x.reshape(len(x), -1)", w("npz_vector")))
    if ds.task == "regression":
        if y.ndim == 1:
            body.append(_comment("y = y.reshape(len(y), -1)", w("csv_regression")))
    else:
        if y.dtype.kind == "S":
            body.append(_comment("y = y.astype(str)", w("npz_bytes")))
        if y.ndim == 2:
            body.append(_comment("y = y[:, 0]", w("npz_column")))
        if y.dtype.kind == "f":
            body.append("y = y.astype(np.int64)")
        body.append(_comment("y = np.unique(y, return_inverse=True)[1].reshape(-1)",
                             w("encode", names=_describe_classes(ds.class_names))))
    return w("npz_doc", what=what), body


_READ_IDX = '''def read_idx(path):
    """{doc}"""
    with (gzip.open(path, "rb") if path.suffix == ".gz" else open(path, "rb")) as f:
        data = f.read()
    ndim = data[3]
    dims = struct.unpack(f">{{ndim}}I", data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)'''

_READ_CIFAR = '''def read_cifar(paths):
    """{doc}"""
    records = np.concatenate([np.fromfile(p, dtype=np.uint8).reshape(-1, 3073) for p in paths])
    return records[:, 1:].reshape(-1, 3, 32, 32), records[:, 0]'''


def _image_features(b: _Builder, name: str, scale: str, per_sample: tuple[int, ...]) -> list[str]:
    w, shape = b.w, b.dataset.feature_shape
    line = _comment(f"{name} = {name}.astype(np.float32) / 255.0", scale)
    if len(shape) == 1:
        return [line, f"{name} = {name}.reshape(len({name}), -1)"]
    if tuple(per_sample) == shape:
        return [line]
    dims = ", ".join(map(str, shape))
    return [line, _comment(f"{name} = {name}.reshape(len({name}), {dims})", w("image", shape=f"({dims})"))]


def _mnist(b: _Builder, p: dict) -> tuple[str, list[str], bool]:
    """Returns (doc, body, done): done when the body returns the test files as the validation set."""
    w = b.w
    b.imports.update({"gzip", "struct"})
    b.helpers.append(_READ_IDX.format(doc=w("idx_doc")))
    folder = p["path"]
    train = studio_data._idx_pair(folder, "train", required=True)
    test = studio_data._idx_pair(folder, "t10k", required=False) if p["val_fraction"] is None else None
    limit = "" if p["limit"] is None else f"[:{p['limit']}]"
    body = [_comment(f'x = read_idx(path / "{train[0].name}"){limit}', w("mnist_limit", n=p["limit"]) if limit else ""),
            f'y = read_idx(path / "{train[1].name}"){limit}']
    body += _image_features(b, "x", w("mnist_scale"), (28, 28))
    if test is None:
        return w("mnist_doc"), body, False
    body += [_comment(f'x_val = read_idx(path / "{test[0].name}")', w("mnist_test")),
             f'y_val = read_idx(path / "{test[1].name}")']
    body += _image_features(b, "x_val", "", (28, 28))
    body.append("return x, y.astype(np.int64), x_val, y_val.astype(np.int64)")
    return w("mnist_doc"), body, True


def cifar_folder(path: Path) -> Path:
    """The folder that holds the batch files (the archive's own sub-folder when given its parent)."""
    return path / "cifar-10-batches-bin" if (path / "cifar-10-batches-bin").is_dir() else path


def _cifar(b: _Builder, p: dict) -> tuple[str, list[str], bool]:
    w = b.w
    b.helpers.append(_READ_CIFAR.format(doc=w("cifar_read_doc")))
    folder = cifar_folder(p["path"])
    train = [f.name for f in (folder / f"data_batch_{i}.bin" for i in range(1, 6)) if f.is_file()]
    test = (folder / "test_batch.bin").is_file() and p["val_fraction"] is None
    if len(train) == 5:
        files_expr = '[path / f"data_batch_{i}.bin" for i in range(1, 6)]'
    else:
        files_expr = "[" + ", ".join(f'path / "{n}"' for n in train) + "]"
    limit = "" if p["limit"] is None else f"[:{p['limit']}]"
    body = [f"x, y = read_cifar({files_expr})"]
    if limit:
        body.append(_comment(f"x, y = x{limit}, y{limit}", w("mnist_limit", n=p["limit"])))
    body += _image_features(b, "x", w("mnist_scale"), (3, 32, 32))
    files = ", ".join(train + (["test_batch.bin"] if test else []))
    if not test:
        return w("cifar_doc", files=files), body, False
    body.append(_comment('x_val, y_val = read_cifar([path / "test_batch.bin"])', w("mnist_test")))
    body += _image_features(b, "x_val", "", (3, 32, 32))
    body.append("return x, y.astype(np.int64), x_val, y_val.astype(np.int64)")
    return w("cifar_doc", files=files), body, True


def data_code(spec: dict, dataset: Dataset, w: Words, script_name: str) -> DataCode:
    """The `load_data` function (and what it needs) that makes `dataset` from `spec` as the studio did."""
    source = spec["source"]
    p = _params(spec)
    b = _Builder(w, dataset)
    path = comment = None
    copy_digits = False
    done = False
    if source in ("random-regression", "quadratic", "line"):
        b.imports.add("torch")
        doc, body = _torch_generated(b, p, source)
        args = ""
    elif source in ("blobs", "circles", "xor", "spiral"):
        doc, body = _numpy_generated(b, p, source)
        args = ""
    elif source == "digits":
        doc, body = _digits(b, p)
        args, path, comment, copy_digits = "path", 'Path(__file__).with_name("digits.npz")', w("digits_file"), True
    elif source in ("csv", "npz"):
        doc, body = (_csv if source == "csv" else _npz)(b, p)
        args, path, comment = "path", f"Path({text_literal(str(p['path'].resolve()))})", w("data_file", script=script_name)
    elif source in ("mnist", "cifar10"):
        doc, body, done = (_mnist if source == "mnist" else _cifar)(b, p)
        folder = p["path"] if source == "mnist" else cifar_folder(p["path"])
        args, path, comment = "path", f"Path({text_literal(str(folder.resolve()))})", w("data_folder", script=script_name)
    else:
        raise DataError(f"data source '{source}' has no exporter")
    if not done:
        body += b.finish(p["val_fraction"] or 0.0, x_float32=source in ("random-regression", "quadratic", "line",
                                                                       "digits", "mnist", "cifar10"),
                         y_float32=source in ("random-regression", "quadratic", "line"))
    return DataCode(_function(doc, args, body), b.helpers, b.imports - {"torch"}, path, comment, copy_digits)

