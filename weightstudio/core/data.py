"""Data sets for training: built-in generators, the bundled digits, and file import.

A data set is described by a JSON-serialisable dict, the *data spec*, for example
``{"source": "quadratic", "n": 100, "noise": 0.2, "val_fraction": 0.0}``. The data panel builds one
from :data:`DATASETS` / :data:`FILE_SOURCES` and :func:`default_data_spec`; the engine and the CLI turn it
into arrays with :func:`load_dataset`. The same spec and seed always give the same arrays, so a saved run
can rebuild its data exactly.

File import never touches the network and never unpickles: CSV is parsed as text, NPZ is opened with
``allow_pickle=False``, MNIST and CIFAR-10 are read from their raw binary formats.
"""

from __future__ import annotations

import copy
import csv
import gzip
import io
import itertools
import math
import struct
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .messages import N_, _
from .resources import resource

TASKS = ("regression", "classification")


class DataError(ValueError):
    """Bad data input; message names the file, the line or array, and what is wrong."""


@dataclass
class Dataset:
    """Arrays ready for training, plus what they mean.

    Built by :func:`load_dataset`; read by the engine (tensors), the views (plots of x against y) and
    the run files. Classification labels are class indices; ``class_names[i]`` is the label of class i.
    """

    name: str
    task: str
    x_train: np.ndarray  # float32, (n, *feature_shape)
    y_train: np.ndarray  # regression: float32 (n, targets); classification: int64 (n,)
    x_val: np.ndarray  # same layout, possibly 0 rows
    y_val: np.ndarray
    class_names: list[str]
    # {"spec": ..., "seed": ...} when load_dataset read it from files it can read again (absolute paths): a run
    # folder then refers to the files instead of holding a copy. None for generated or hand-built sets.
    origin: dict | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        # Other modules (saved runs, tests) build Datasets too; catch a wrong layout here, not mid-training.
        if self.task not in TASKS:
            raise DataError(_("data set '{name}': task must be one of {TASKS}, not {task!r}", name=self.name,
                              TASKS=TASKS, task=self.task))
        y_dtype = np.int64 if self.task == "classification" else np.float32
        y_ndim = 1 if self.task == "classification" else 2
        for part in ("train", "val"):
            x, y = getattr(self, f"x_{part}"), getattr(self, f"y_{part}")
            if x.dtype != np.float32 or x.ndim < 2:
                raise DataError(_("data set '{name}': x_{part} must be float32 with at least 2 dimensions, not "
                                  "{dtype} {shape}", name=self.name, part=part, dtype=x.dtype, shape=x.shape))
            if y.dtype != y_dtype or y.ndim != y_ndim or len(y) != len(x):
                raise DataError(_("data set '{name}': y_{part} must be {value} with {y_ndim} dimension(s) and {n_x} "
                                  "rows, not {dtype} {shape}", name=self.name, part=part, value=np.dtype(y_dtype),
                                  y_ndim=y_ndim, n_x=len(x), dtype=y.dtype, shape=y.shape))
        if self.x_val.shape[1:] != self.x_train.shape[1:] or self.y_val.shape[1:] != self.y_train.shape[1:]:
            raise DataError(_("data set '{name}': validation and training samples differ in shape", name=self.name))

    @property
    def feature_shape(self) -> tuple[int, ...]:
        """Shape of one input sample, e.g. ``(2,)`` or ``(1, 8, 8)``."""
        return tuple(self.x_train.shape[1:])

    @property
    def n_classes(self) -> int:
        """Number of classes; 0 for regression."""
        return len(self.class_names)

    @property
    def n_features(self) -> int:
        """Number of input values per sample (the product of ``feature_shape``)."""
        return math.prod(self.feature_shape)

    @property
    def n_outputs(self) -> int:
        """Width of the model's output layer: one logit per class, or one value per regression target."""
        return self.n_classes if self.task == "classification" else self.y_train.shape[1]

    def summary(self) -> str:
        """One line for the status bar.

        For example ``quadratic: 100 train / 0 val samples, 1 feature, regression``.
        """
        if len(self.feature_shape) == 1:
            inputs = _("1 feature") if self.n_features == 1 else _("{n} features", n=self.n_features)
        else:
            inputs = _("{shape} input", shape="x".join(str(d) for d in self.feature_shape))
        if self.task == "classification":
            kind = _("{n} classes", n=self.n_classes)
        else:
            kind = _("regression") if self.n_outputs == 1 else _("regression ({n} targets)", n=self.n_outputs)
        return _("{name}: {n_train} train / {n_val} val samples, {inputs}, {kind}", name=self.name,
                 n_train=len(self.x_train), n_val=len(self.x_val), inputs=inputs, kind=kind)


def output_size(loss: str, dataset: Dataset) -> int:
    """How many outputs the network needs for this loss on this data."""
    if loss == "cross_entropy":
        return dataset.n_classes
    if loss == "bce_with_logits":
        return 1
    return int(dataset.y_train.shape[1]) if dataset.task == "regression" else dataset.n_classes


@dataclass(frozen=True)
class SourceInfo:
    """What the data panel shows for one source: a description, its task, and its parameters' defaults.

    ``defaults`` holds every parameter the source accepts (the spec minus ``"source"``); treat it as
    read-only and use :func:`default_data_spec` for a copy to edit.
    """

    description: str
    task: str  # "regression", "classification", or "auto" (decided by the file's contents)
    defaults: dict


DATASETS: dict[str, SourceInfo] = {
    "random-regression": SourceInfo(
        N_("Random inputs and random targets: nothing to learn, a net can only memorise."),
        "regression", {"n": 100, "features": 5, "val_fraction": 0.0}),
    "quadratic": SourceInfo(
        N_("y = x² plus uniform noise, x evenly spaced in [-1, 1]."),
        "regression", {"n": 100, "noise": 0.2, "val_fraction": 0.0}),
    "line": SourceInfo(
        N_("y = slope·x + intercept plus gaussian noise, x uniform in [0, 10]."),
        "regression", {"n": 100, "noise": 1.0, "slope": 2.0, "intercept": 1.0, "val_fraction": 0.0}),
    "blobs": SourceInfo(
        N_("Gaussian blobs in 2-D, centres on a circle of radius 4."),
        "classification", {"n": 300, "classes": 3, "noise": 1.0, "val_fraction": 0.2}),
    "circles": SourceInfo(
        N_("Two concentric circles (radius 1 and 0.5): not linearly separable."),
        "classification", {"n": 300, "noise": 0.1, "val_fraction": 0.2}),
    "xor": SourceInfo(
        N_("Points in [-1, 1]²; class 1 where the two coordinates differ in sign."),
        "classification", {"n": 200, "noise": 0.1, "val_fraction": 0.2}),
    "spiral": SourceInfo(
        N_("Interleaved spiral arms, one per class (the CS231n toy set)."),
        "classification", {"n": 300, "classes": 3, "noise": 0.2, "val_fraction": 0.2}),
    "digits": SourceInfo(
        N_("1,797 handwritten digits, 8×8 pixels, 10 classes (bundled, UCI optdigits)."),
        "classification", {"shape": "flat", "val_fraction": 0.2}),
}

# For mnist and cifar10, val_fraction None means: the folder's test files (t10k-*, test_batch.bin) are the
# validation set when present; a number splits the training files instead and leaves the test files unread.
# limit caps the number of training samples (read from the start of the training files).
FILE_SOURCES: dict[str, SourceInfo] = {
    "csv": SourceInfo(
        N_("A CSV file: one sample per row, one column is the target; header row optional."),
        "auto", {"path": "", "target": None, "task": "auto", "val_fraction": 0.2}),
    "npz": SourceInfo(
        N_("A NumPy .npz archive with arrays 'x' (inputs) and 'y' (targets or labels)."),
        "auto", {"path": "", "task": "auto", "val_fraction": 0.2}),
    "mnist": SourceInfo(
        N_("A folder of MNIST-format IDX files (train-*, and t10k-* used as validation)."),
        "classification", {"path": "", "shape": "flat", "limit": None, "val_fraction": None}),
    "cifar10": SourceInfo(
        N_("A folder holding the CIFAR-10 binary version (data_batch_*.bin, test_batch.bin)."),
        "classification", {"path": "", "shape": "image", "limit": None, "val_fraction": None}),
}

_ALL_SOURCES = {**DATASETS, **FILE_SOURCES}

# Generators stop here so a typo in a spec cannot ask for gigabytes.
_MAX_SAMPLES = 10_000_000
# The CSV/NPZ "auto" task: whole-number targets with at most this many distinct values are class labels.
_MAX_AUTO_CLASSES = 20
# Salt for the validation split's random stream, so the split does not reuse the generator's numbers.
_SPLIT_STREAM = 0x5B117


def default_data_spec(source: str) -> dict:
    """Return a complete spec for ``source`` with every parameter at its default."""
    if source not in _ALL_SOURCES:
        raise DataError(_("unknown data source {source!r}; known: {value}", source=source,
                          value=', '.join(_ALL_SOURCES)))
    return {"source": source, **copy.deepcopy(_ALL_SOURCES[source].defaults)}


def load_dataset(spec: dict, seed: int) -> Dataset:
    """Build the data set that ``spec`` describes.

    Missing parameters take their defaults; an unknown source, unknown parameter, bad value or bad file
    raises :class:`DataError`. Random draws and the train/validation split come from ``seed`` alone.
    With ``val_fraction`` 0 the training set is every sample in its original order; otherwise a seeded
    permutation picks the validation rows and both parts keep the original order among themselves.
    """
    if not isinstance(spec, dict) or "source" not in spec:
        raise DataError(_("a data spec must be a dict with a 'source' key, not {spec!r}", spec=spec))
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**64:
        raise DataError(_("seed must be a whole number from 0 to 2**64 - 1, not {seed!r}", seed=seed))
    source = spec["source"]
    if not isinstance(source, str):
        raise DataError(_("data source must be a name, not {source!r}", source=source))
    defaults = default_data_spec(source)
    unknown = sorted(set(spec) - set(defaults))
    if unknown:
        raise DataError(_("data source '{source}' has no parameter {value!r}; its parameters are: {value2}",
                          source=source, value=unknown[0], value2=', '.join(_ALL_SOURCES[source].defaults)))
    params = {name: _PARAM_CHECKS[name](source, name, value)
              for name, value in {**defaults, **spec}.items() if name != "source"}
    dataset = _BUILDERS[source](params, seed)
    if source in FILE_SOURCES:
        found_again = {k: str(v.resolve()) if isinstance(v, Path) else v for k, v in params.items()}
        dataset.origin = {"spec": {"source": source, **found_again}, "seed": seed}
    return dataset


# ---------------------------------------------------------------------------------------------------
# Parameter checks: each takes (source, name, value) and returns the value to use or raises DataError.

def _bad(source: str, name: str, value: object, wanted: str) -> DataError:
    return DataError(f"data source '{source}': parameter '{name}' must be {wanted}, not {value!r}")


def _count(low: int, high: int) -> Callable[[str, str, object], int]:
    def check(source: str, name: str, value: object) -> int:
        # JSON writers sometimes turn 100 into 100.0; accept that, refuse 100.5 and True.
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise _bad(source, name, value, f"a whole number from {low} to {high}")
        return value
    return check


def _real(low: float | None) -> Callable[[str, str, object], float]:
    def check(source: str, name: str, value: object) -> float:
        if (isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value)
                or (low is not None and value < low)):
            at_least = f" of at least {low}" if low is not None else ""
            raise _bad(source, name, value, f"a finite number{at_least}")
        return float(value)
    return check


def _choice(*options: str) -> Callable[[str, str, object], str]:
    def check(source: str, name: str, value: object) -> str:
        if value not in options:
            raise _bad(source, name, value, "one of " + ", ".join(repr(o) for o in options))
        return value
    return check


def _val_fraction(source: str, name: str, value: object) -> float | None:
    if value is None and source in ("mnist", "cifar10"):
        return None  # meaning: use the folder's test files as validation, if it has them
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < 1:
        raise _bad(source, name, value, "a number from 0 up to (not including) 1")
    return float(value)


def _limit(source: str, name: str, value: object) -> int | None:
    return None if value is None else _count(1, _MAX_SAMPLES)(source, name, value)


def _path(source: str, name: str, value: object) -> Path:
    if not isinstance(value, str) or not value.strip():
        raise _bad(source, name, value, "the path of a file or folder")
    return Path(value).expanduser()


def _target(source: str, name: str, value: object) -> int | str | None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, (int, str))):
        raise _bad(source, name, value, "a column name, a column index, or null for the last column")
    return value


_PARAM_CHECKS: dict[str, Callable[[str, str, object], object]] = {
    "n": _count(1, _MAX_SAMPLES),
    "features": _count(1, 100_000),
    "classes": _count(2, 100),
    "noise": _real(0.0),
    "slope": _real(None),
    "intercept": _real(None),
    "val_fraction": _val_fraction,
    "shape": _choice("flat", "image"),
    "limit": _limit,
    "path": _path,
    "target": _target,
    "task": _choice("auto", *TASKS),
}


# ---------------------------------------------------------------------------------------------------
# Shared helpers.

def _finish(name: str, task: str, x: np.ndarray, y: np.ndarray, class_names: list[str],
            val_fraction: float, seed: int) -> Dataset:
    """Cast to the Dataset dtypes and split off the validation rows."""
    x = np.ascontiguousarray(x, dtype=np.float32)
    y = np.ascontiguousarray(y, dtype=np.int64 if task == "classification" else np.float32)
    n = len(x)
    n_val = int(round(n * val_fraction))
    if n_val >= n:
        raise DataError(_("{name}: val_fraction {val_fraction} of {n} samples leaves none to train on", name=name,
                          val_fraction=val_fraction, n=n))
    if n_val == 0:
        return Dataset(name, task, x, y, x[:0].copy(), y[:0].copy(), class_names)
    perm = np.random.default_rng([seed, _SPLIT_STREAM]).permutation(n)
    # Sorted indices keep the source order inside each part: a regression curve stays sorted by x.
    val_idx, train_idx = np.sort(perm[:n_val]), np.sort(perm[n_val:])
    return Dataset(name, task, x[train_idx], y[train_idx], x[val_idx], y[val_idx], class_names)


def _encode_labels(labels: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Map labels (whole numbers or strings) to 0..k-1 in sorted order; class_names[i] names class i."""
    uniques, codes = np.unique(labels, return_inverse=True)
    # Float labels are whole numbers (callers check); named through Python ints, as int64 would wrap at 1e19.
    names = [str(int(u)) if isinstance(u, float) else str(u) for u in uniques.tolist()]
    return codes.reshape(-1).astype(np.int64), names


def _class_counts(n: int, k: int) -> list[int]:
    """Split n samples over k classes as evenly as possible (the first classes get the remainder)."""
    return [n // k + (1 if i < n % k else 0) for i in range(k)]


def _index_names(k: int) -> list[str]:
    return [str(i) for i in range(k)]


def _existing(path: Path, folder: bool) -> Path:
    if folder and not path.is_dir():
        raise DataError(_("{path}: no such folder", path=path))
    if not folder and not path.is_file():
        raise DataError(_("{path}: no such file", path=path))
    return path


# ---------------------------------------------------------------------------------------------------
# Built-in generators. The regression ones reproduce the blog scripts exactly (torch generator, same
# draw order), so the app and a plain PyTorch script see the same numbers for the same seed. torch is imported
# in them, not at the top: the studio imports this module before torch has loaded, to paint its window sooner.

def _random_regression(p: dict, seed: int) -> Dataset:
    import torch

    g = torch.Generator().manual_seed(seed)
    x = torch.randn(p["n"], p["features"], generator=g)
    y = torch.randn(p["n"], 1, generator=g)
    return _finish("random-regression", "regression", x.numpy(), y.numpy(), [], p["val_fraction"], seed)


def _quadratic(p: dict, seed: int) -> Dataset:
    import torch

    g = torch.Generator().manual_seed(seed)
    x = torch.unsqueeze(torch.linspace(-1, 1, p["n"]), dim=1)
    y = x.pow(2) + p["noise"] * torch.rand(x.size(), generator=g)
    return _finish("quadratic", "regression", x.numpy(), y.numpy(), [], p["val_fraction"], seed)


def _line(p: dict, seed: int) -> Dataset:
    import torch

    g = torch.Generator().manual_seed(seed)
    x = 10 * torch.rand(p["n"], 1, generator=g)
    y = p["slope"] * x + p["intercept"] + p["noise"] * torch.randn(p["n"], 1, generator=g)
    return _finish("line", "regression", x.numpy(), y.numpy(), [], p["val_fraction"], seed)


def _blobs(p: dict, seed: int) -> Dataset:
    rng = np.random.default_rng(seed)
    k = p["classes"]
    angles = 2 * np.pi * np.arange(k) / k
    centres = 4.0 * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    y = np.repeat(np.arange(k), _class_counts(p["n"], k))
    x = centres[y] + p["noise"] * rng.standard_normal((p["n"], 2))
    return _finish("blobs", "classification", x, y, _index_names(k), p["val_fraction"], seed)


def _circles(p: dict, seed: int) -> Dataset:
    rng = np.random.default_rng(seed)
    counts = _class_counts(p["n"], 2)
    angle = np.concatenate([np.linspace(0, 2 * np.pi, c, endpoint=False) for c in counts])
    radius = np.repeat([1.0, 0.5], counts)  # class 0 outside, class 1 inside
    x = radius[:, None] * np.stack([np.cos(angle), np.sin(angle)], axis=1)
    x += p["noise"] * rng.standard_normal(x.shape)
    y = np.repeat([0, 1], counts)
    return _finish("circles", "classification", x, y, _index_names(2), p["val_fraction"], seed)


def _xor(p: dict, seed: int) -> Dataset:
    rng = np.random.default_rng(seed)
    clean = rng.uniform(-1.0, 1.0, (p["n"], 2))
    # Labels come from the clean points, so noise blurs the boundary instead of relabelling.
    y = (clean[:, 0] * clean[:, 1] < 0).astype(np.int64)
    x = clean + p["noise"] * rng.standard_normal(clean.shape)
    return _finish("xor", "classification", x, y, _index_names(2), p["val_fraction"], seed)


def _spiral(p: dict, seed: int) -> Dataset:
    # CS231n's formula: arm j sweeps angle 4j..4(j+1) while the radius grows from 0 to 1.
    rng = np.random.default_rng(seed)
    k = p["classes"]
    xs, ys = [], []
    for j, count in enumerate(_class_counts(p["n"], k)):
        r = np.linspace(0.0, 1.0, count)
        t = np.linspace(j * 4, (j + 1) * 4, count) + p["noise"] * rng.standard_normal(count)
        xs.append(np.stack([r * np.sin(t), r * np.cos(t)], axis=1))
        ys.append(np.full(count, j))
    return _finish("spiral", "classification", np.concatenate(xs), np.concatenate(ys), _index_names(k),
                   p["val_fraction"], seed)


def _digits(p: dict, seed: int) -> Dataset:
    # resources/digits.npz is scikit-learn's load_digits(): the test part of the UCI "Optical Recognition
    # of Handwritten Digits" set (E. Alpaydin, C. Kaynak, 1998), licensed CC BY 4.0. Pixels are 0..16.
    with resource("digits").open("rb") as f, np.load(f, allow_pickle=False) as archive:
        images, target = archive["images"], archive["target"]
    x = images.astype(np.float32) / 16.0
    x = x.reshape(len(x), -1) if p["shape"] == "flat" else x[:, None, :, :]
    return _finish("digits", "classification", x, target, _index_names(10), p["val_fraction"], seed)


# ---------------------------------------------------------------------------------------------------
# CSV import.

@dataclass
class _CsvTable:
    """A parsed CSV file: float32 features and the target column, as numbers or as text."""

    path: Path
    header: list[str] | None
    lines: list[int]  # the file line of each data row, for messages
    target: int  # index of the target column
    x: np.ndarray  # float32 (rows, features)
    labels: np.ndarray  # float64 when every target cell is a number, else str

    def where(self, row: int, col: int) -> str:
        return _csv_where(self.path, self.header, self.lines[row], col)


def _csv_where(path: Path, header: list[str] | None, line: int, col: int) -> str:
    # repr: a quoted header cell may hold a newline, and messages are one line.
    return _("{path} line {line}: column {column}", path=path, line=line,
             column=repr(header[col]) if header else str(col + 1))


def _load_csv(p: dict, seed: int) -> Dataset:
    path = _existing(p["path"], folder=False)
    table = _read_csv(path, p["target"])
    labels, numeric = table.labels, table.labels.dtype.kind == "f"
    task = p["task"]
    if task == "auto":
        if not numeric:
            _refuse_number_typos(table)
        task = "classification" if not numeric or _few_whole_numbers(labels) else "regression"
    if task == "regression":
        if not numeric:
            i = next(i for i, cell in enumerate(labels) if not _is_number(cell))
            raise DataError(_("{value} has {value2!r}, not a number (use task 'classification' for text labels)",
                              value=table.where(i, table.target), value2=str(labels[i])))
        return _finish(path.name, "regression", table.x, labels[:, None], [], p["val_fraction"], seed)
    if numeric:
        fractional = np.flatnonzero(labels != np.round(labels))
        if fractional.size:
            i = fractional[0]
            raise DataError(_("{value} has {value2:g}: class labels must be whole numbers or text",
                              value=table.where(i, table.target), value2=labels[i]))
    y, class_names = _encode_labels(labels)
    return _finish(path.name, "classification", table.x, y, class_names, p["val_fraction"], seed)


def _refuse_number_typos(table: _CsvTable) -> None:
    """Text among mostly numbers is a typo, not a class: say so rather than switch the task silently."""
    text = [i for i, cell in enumerate(table.labels) if not _is_number(cell)]
    numbers = len(table.labels) - len(text)
    if numbers > len(text):
        i = text[0]
        raise DataError(_("{value} has {value2!r}, not a number like {numbers} of the column's {n_labels} values "
                          "(set task 'classification' if the column holds class labels)",
                          value=table.where(i, table.target), value2=str(table.labels[i]), numbers=numbers,
                          n_labels=len(table.labels)))


def _delimiter(text: str) -> str:
    # Spreadsheets in comma-decimal locales write ';', some tools write tabs; the first row tells which.
    first = next((ln for ln in text.split("\n") if _is_data_line(ln)), "")
    return max(",;\t", key=first.count) if any(d in first for d in ",;\t") else ","


def csv_columns(path: str | Path) -> tuple[list[str], bool] | None:
    """Column names of a CSV file (its header, or `column 1`… when it has none) and whether it has a header.

    Reads only the start of the file, for choosing a target column before loading; None when it cannot be read.
    """
    try:
        with open(path, "rb") as f:
            text = f.read(1 << 16).decode("utf-8-sig", errors="replace")
    except OSError:
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    try:
        rows = [cells for _, cells in itertools.islice(_csv_records(text, _delimiter(text), Path(path)), 2)]
    except DataError:
        return None
    if not rows or len(rows[0]) < 2:
        return None
    head = rows[0]
    has_header = _csv_has_header(head, rows[1] if len(rows) > 1 else None)
    return (head if has_header else [f"column {i + 1}" for i in range(len(head))]), has_header


def _csv_records(text: str, delimiter: str, path: Path) -> Iterator[tuple[int, list[str]]]:
    """(line number, stripped cells) of each row; blank rows and '#' comments (np.savetxt's header style) skipped."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for record in reader:
            cells = [c.strip() for c in record]
            if any(cells) and not cells[0].startswith("#"):
                yield reader.line_num, cells
    except csv.Error as e:  # a field beyond csv.field_size_limit() (128 KiB), for one
        raise DataError(_("{path} line {line_num}: {e}", path=path, line_num=reader.line_num, e=e)) from None


def _csv_has_header(first: list[str], second: list[str] | None, target: int | str | None = None) -> bool:
    """The one rule, for csv_columns and the loader alike, for whether the first row names the columns.

    A target given by name implies a header. Otherwise a first row of text alone is a header, and so is one with
    text above a number in the next row; text above text may be a class label, as in a header-less file.
    """
    if isinstance(target, str) or all(not _is_number(c) for c in first):
        return True
    return second is not None and len(second) == len(first) and any(
        not _is_number(a) and _is_number(b) for a, b in zip(first, second))


def _read_csv(path: Path, target: int | str | None) -> _CsvTable:
    """Parse a CSV file, naming the file, line and column of the first problem found."""
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise DataError(_("{path}: cannot be read ({strerror})", path=path, strerror=e.strerror)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[:e.start].count(b"\n") + 1
        raise DataError(_("{path} line {line}: byte 0x{value:02x} is not UTF-8 text; save the file as UTF-8 CSV",
                          path=path, line=line, value=raw[e.start])) from None
    # One newline convention, so the csv module, numpy and the line numbers in messages all agree.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    delimiter = _delimiter(text)

    records = _csv_records(text, delimiter, path)
    first_line, first_row = next(records, (0, []))
    second = next(records, None)
    records = itertools.chain([second] if second else [], records)
    ncols = len(first_row)
    if ncols == 0:
        raise DataError(_("{path}: the file is empty", path=path))
    if ncols < 2:
        raise DataError(_("{path}: needs at least 2 columns (features and a target), found 1", path=path))

    has_header = _csv_has_header(first_row, second[1] if second else None, target)
    if isinstance(target, str):
        if target not in first_row:
            found = (f"its columns are {', '.join(repr(c) for c in first_row)}"
                     if _csv_has_header(first_row, second[1] if second else None) else "it has no header row")
            raise DataError(_("{path}: no column named {target!r}; {found}", path=path, target=target, found=found))
        if first_row.count(target) > 1:
            raise DataError(_("{path}: {value} columns are named {target!r}; choose the target by its column number",
                              path=path, value=first_row.count(target), target=target))
        t = first_row.index(target)
    else:
        t = _column_index(path, target, ncols)
    header = first_row if has_header else None
    features = [c for c in range(ncols) if c != t]

    # Fast path: numpy's C parser reads a large all-number file (MNIST as CSV) several times faster than
    # the csv module. Anything it cannot take goes through the slow path, which names the bad cell.
    try:
        with warnings.catch_warnings():  # a header-only file: the slow path says so in words
            warnings.filterwarnings("ignore", "loadtxt: input contained no data")
            values = np.loadtxt(io.StringIO(text), delimiter=delimiter, comments="#", quotechar='"', ndmin=2,
                                skiprows=first_line if has_header else 0, dtype=np.float64)
    except ValueError:
        values = None
    if values is not None and values.shape[1] == ncols and len(values) >= 2:
        lines = [n for n, ln in enumerate(text.split("\n"), 1) if _is_data_line(ln)][int(has_header):]
        # NaN, inf and values beyond float32 fail this test (NaN compares False) and take the slow path.
        if len(lines) == len(values) and np.all(np.abs(values) <= np.finfo(np.float32).max):
            return _CsvTable(path, header, lines, t, values[:, features].astype(np.float32), values[:, t])

    rows, lines = [first_row], [first_line]
    for n, cells in records:
        if len(cells) != ncols:
            raise DataError(_("{path} line {n}: expected {ncols} columns (as on line {first_line}), got {n_cells}",
                              path=path, n=n, ncols=ncols, first_line=first_line, n_cells=len(cells)))
        rows.append(cells)
        lines.append(n)
    if has_header:
        rows, lines = rows[1:], lines[1:]
    if len(rows) < 2:
        raise DataError(_("{path}: needs at least 2 data rows, found {n_rows}", path=path, n_rows=len(rows)))
    x = _csv_numbers([[r[c] for c in features] for r in rows],
                     lambda i, j: _csv_where(path, header, lines[i], features[j]))
    texts = [r[t] for r in rows]
    for i, cell in enumerate(texts):
        if not cell:
            raise DataError(_("{value} is empty", value=_csv_where(path, header, lines[i], t)))
    try:
        labels = np.array(texts, dtype=np.float64)
    except ValueError:
        labels = np.array(texts)  # text labels
    else:
        _csv_numbers([[cell] for cell in texts], lambda i, j: _csv_where(path, header, lines[i], t))
    return _CsvTable(path, header, lines, t, x, labels)


def _csv_numbers(cells: list[list[str]], where: Callable[[int, int], str]) -> np.ndarray:
    """Parse a table of cells as finite float32 numbers; name the first bad cell if any."""

    def number(i: int, j: int) -> float:
        try:
            return float(cells[i][j])
        except ValueError:
            what = "is empty" if not cells[i][j] else f"has {cells[i][j]!r}, not a number"
            raise DataError(_("{value} {what}", value=where(i, j), what=what)) from None

    try:
        values = np.array(cells, dtype=np.float64)  # numpy parses all the strings in C
    except ValueError:
        # Cell by cell, only to name the one that fails (numpy parses like Python's float()).
        values = np.array([[number(i, j) for j in range(len(row))] for i, row in enumerate(cells)])
    values = values.astype(np.float32)
    bad = np.argwhere(~np.isfinite(values))
    if bad.size:
        i, j = bad[0]
        raise DataError(_("{value} has {value2!r}, not a finite number", value=where(i, j), value2=cells[i][j]))
    return values


def _is_data_line(line: str) -> bool:
    return bool(line.strip()) and not line.lstrip().startswith("#")


def _column_index(path: Path, target: int | None, ncols: int) -> int:
    if target is None:
        return ncols - 1
    if not -ncols <= target < ncols:
        raise DataError(_("{path}: target column {target} is out of range; the file has {ncols} columns", path=path,
                          target=target, ncols=ncols))
    return target % ncols


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _few_whole_numbers(values: np.ndarray) -> bool:
    return bool(np.all(values == np.round(values))) and len(np.unique(values)) <= _MAX_AUTO_CLASSES


# ---------------------------------------------------------------------------------------------------
# NPZ import.

def _load_npz(p: dict, seed: int) -> Dataset:
    path = _existing(p["path"], folder=False)
    arrays = read_npz(path, ("x", "y"))
    x, y = arrays["x"], arrays["y"]
    if x.ndim == 0 or y.ndim == 0:
        raise DataError(_("{path}: arrays 'x' and 'y' need one row per sample, got shapes {shape} and {shape2}",
                          path=path, shape=x.shape, shape2=y.shape))
    if len(x) != len(y):
        raise DataError(_("{path}: array 'x' has {n_x} samples but 'y' has {n_y}", path=path, n_x=len(x), n_y=len(y)))
    if len(x) < 2:
        raise DataError(_("{path}: needs at least 2 samples, found {n_x}", path=path, n_x=len(x)))
    if x.dtype.kind not in "biuf":
        raise DataError(_("{path}: array 'x' must hold numbers, not {dtype}", path=path, dtype=x.dtype))
    x = x.reshape(len(x), -1) if x.ndim == 1 else x  # a bare vector is one feature per sample
    if math.prod(x.shape[1:]) == 0:
        raise DataError(_("{path}: array 'x' has shape {shape}: no values per sample", path=path, shape=x.shape))
    x = _float32(x)
    if not np.all(np.isfinite(x)):
        raise DataError(_("{path}: array 'x' contains NaN, infinite values or values beyond float32", path=path))

    if y.dtype.kind == "S":
        try:
            y = np.char.decode(y, "utf-8")
        except UnicodeDecodeError:
            raise DataError(_("{path}: array 'y' holds bytes that are not UTF-8 text", path=path)) from None
    if y.dtype.kind not in "biufU":
        raise DataError(_("{path}: array 'y' must hold numbers or text labels, not {dtype}", path=path, dtype=y.dtype))
    task = p["task"]
    if task == "auto":
        task = "classification" if y.ndim == 1 and y.dtype.kind in "biuU" else "regression"
    if task == "regression":
        if y.dtype.kind == "U":
            raise DataError(_("{path}: array 'y' holds text, which cannot be a regression target", path=path))
        y = y.reshape(len(y), -1) if y.ndim == 1 else y
        if y.ndim != 2 or y.shape[1] == 0:
            raise DataError(_("{path}: array 'y' for regression must have shape (n,) or (n, targets), got {shape}",
                              path=path, shape=y.shape))
        y = _float32(y)
        if not np.all(np.isfinite(y)):
            raise DataError(_("{path}: array 'y' contains NaN, infinite values or values beyond float32", path=path))
        return _finish(path.name, "regression", x, y, [], p["val_fraction"], seed)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1:
        raise DataError(_("{path}: array 'y' for classification must have shape (n,), got {shape}", path=path,
                          shape=y.shape))
    if y.dtype.kind == "f":
        if not np.all(np.isfinite(y)):
            raise DataError(_("{path}: array 'y' contains NaN or infinite values, which are not class labels",
                              path=path))
        if not np.all(y == np.round(y)):
            raise DataError(_("{path}: array 'y' has fractional values; class labels must be whole numbers or text",
                              path=path))
    y, class_names = _encode_labels(y)
    return _finish(path.name, "classification", x, y, class_names, p["val_fraction"], seed)


def _float32(a: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore", invalid="ignore"):  # beyond float32 becomes inf; the caller says so
        return a.astype(np.float32)


# What a damaged zip raises on the way through zipfile and zlib (fuzzing found zlib.error and NotImplementedError
# for unknown versions and methods): each means "this archive cannot be read".
_ZIP_ERRORS = (OSError, EOFError, zipfile.BadZipFile, zlib.error, NotImplementedError)
# Deflate expands data at most about 1032 times; a header claiming more than that cannot be honest.
_MAX_INFLATE = 1032


def read_npz(path: Path, names: tuple[str, ...] | None = None) -> dict[str, np.ndarray]:
    """Arrays `names` (every array when None) of an .npz, read with zipfile and numpy's .npy reader: no pickles,
    no unchecked sizes; DataError naming the file otherwise. Data files and run folders are read with it."""
    path = Path(path)
    try:
        size = path.stat().st_size
        with open(path, "rb") as f:
            magic = f.read(6)
    except OSError as e:
        raise DataError(_("{path}: cannot be read ({strerror})", path=path, strerror=e.strerror)) from None
    if magic == b"\x93NUMPY":
        wanted = _(" with arrays {names}", names=" & ".join(map(repr, names))) if names else ""
        raise DataError(_("{path}: is a single .npy array; save an .npz{wanted} (np.savez)", path=path,
                          wanted=wanted))
    if not magic.startswith((b"PK\x03\x04", b"PK\x05\x06")):  # a zip, or an empty one
        raise DataError(_("{path}: not a readable .npz archive of plain arrays (np.savez writes one)", path=path))
    try:
        with zipfile.ZipFile(path) as archive:
            members: dict[str, zipfile.ZipInfo] = {}
            for info in archive.infolist():  # numpy's naming: member 'x.npy' is array 'x'; the first one counts
                members.setdefault(info.filename[:-4] if info.filename.endswith(".npy") else info.filename, info)
            for name in names or ():
                if name not in members:
                    found = ", ".join(map(repr, members)) or "none"  # repr: a name may hold a newline
                    raise DataError(_("{path}: has no array {name!r} (found: {found})", path=path, name=name,
                                      found=found))
            return {name: _npz_array(archive, members[name], path, size) for name in (names or members)}
    except DataError:
        raise
    except _ZIP_ERRORS as e:
        raise DataError(_("{path}: not a readable .npz archive of plain arrays ({e})", path=path, e=e)) from None


def _npz_array(archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path, size: int) -> np.ndarray:
    name = info.filename.removesuffix(".npy")
    if info.flag_bits & 0x1:
        raise DataError(_("{path}: array {name!r} is encrypted", path=path, name=name))
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):  # np.savez writes only these
        raise DataError(_("{path}: array {name!r} uses zip compression method {compress_type}; save it with np.savez "
                          "or np.savez_compressed", path=path, name=name, compress_type=info.compress_type))
    headers = {(1, 0): np.lib.format.read_array_header_1_0, (2, 0): np.lib.format.read_array_header_2_0,
               (3, 0): np.lib.format.read_array_header_2_0}  # 3.0 differs only in text encoding
    with archive.open(info) as f:
        try:
            version = np.lib.format.read_magic(f)
            if version not in headers:
                raise ValueError(f".npy format version {version[0]}.{version[1]} is not supported")
            shape, _fortran, dtype = headers[version](f)
        except ValueError as e:
            raise DataError(_("{path}: member {filename!r} is not a readable .npy array ({e})", path=path,
                              filename=info.filename, e=e)) from None
    if dtype.hasobject:
        raise DataError(_("{path}: array {name!r} holds Python objects, which are not loaded for safety; save plain "
                          "number or text arrays", path=path, name=name))
    # Compare the header's claim with what the member can hold before numpy allocates the array.
    nbytes = math.prod(shape) * dtype.itemsize
    holds = min(info.file_size, _MAX_INFLATE * min(info.compress_size, size))
    if any(d < 0 for d in shape) or nbytes > holds:
        raise DataError(_("{path}: array {name!r} claims shape {shape} of {dtype} ({nbytes} bytes), more than its "
                          "member can hold ({holds} bytes at most)", path=path, name=name, shape=shape, dtype=dtype,
                          nbytes=nbytes, holds=holds))
    with archive.open(info) as f:
        try:
            return np.lib.format.read_array(f, allow_pickle=False)
        except ValueError as e:
            raise DataError(_("{path}: array {name!r} cannot be read ({e})", path=path, name=name, e=e)) from None


# ---------------------------------------------------------------------------------------------------
# MNIST-format IDX files (MNIST, Fashion-MNIST, EMNIST...).

_IDX_IMAGES, _IDX_LABELS = 0x00000803, 0x00000801


def _load_mnist(p: dict, seed: int) -> Dataset:
    folder = _existing(p["path"], folder=True)
    train = _idx_pair(folder, "train", required=True)
    test = _idx_pair(folder, "t10k", required=False) if p["val_fraction"] is None else None
    x, y = _read_idx_pair(*train, p["limit"])
    name = f"mnist ({folder.name})"
    if test is None:
        return _mnist_dataset(name, x, y, None, None, p, seed)
    x_val, y_val = _read_idx_pair(*test, None)
    if x_val.shape[1:] != x.shape[1:]:
        raise DataError(_("{value}: images are {value2}x{value3}, but the training images are {value4}x{value5}",
                          value=test[0], value2=x_val.shape[1], value3=x_val.shape[2], value4=x.shape[1],
                          value5=x.shape[2]))
    return _mnist_dataset(name, x, y, x_val, y_val, p, seed)


def _mnist_dataset(name: str, x: np.ndarray, y: np.ndarray, x_val: np.ndarray | None,
                   y_val: np.ndarray | None, p: dict, seed: int) -> Dataset:
    labels = y if y_val is None else np.concatenate([y, y_val])
    class_names = _index_names(max(10, int(labels.max()) + 1))  # EMNIST letters go beyond 9

    def features(images: np.ndarray) -> np.ndarray:
        scaled = images.astype(np.float32) / 255.0
        return scaled.reshape(len(images), -1) if p["shape"] == "flat" else scaled[:, None, :, :]

    if x_val is None:
        return _finish(name, "classification", features(x), y, class_names, p["val_fraction"] or 0.0, seed)
    return Dataset(name, "classification", features(x), y.astype(np.int64), features(x_val),
                   y_val.astype(np.int64), class_names)


def _idx_pair(folder: Path, prefix: str, required: bool) -> tuple[Path, Path] | None:
    """Find the images and labels files for ``prefix`` ("train" or "t10k"), plain or gzipped."""
    found = []
    for kind, idx in (("images", "idx3"), ("labels", "idx1")):
        # Official names use '-' before idx; copies from Kaggle and elsewhere often use '.'.
        names = [f"{prefix}-{kind}{sep}{idx}-ubyte{gz}" for sep in "-." for gz in ("", ".gz")]
        found.append(next((folder / n for n in names if (folder / n).is_file()), None))
    if found[0] and found[1]:
        return found[0], found[1]
    if found[0] or found[1] or required:
        missing = f"{prefix}-{'images-idx3' if found[0] is None else 'labels-idx1'}-ubyte"
        raise DataError(_("{folder}: has no {missing} (or {missing}.gz); an MNIST folder needs "
                          "{prefix}-images-idx3-ubyte and {prefix}-labels-idx1-ubyte", folder=folder, missing=missing,
                          prefix=prefix))
    return None


def _read_idx_pair(images_path: Path, labels_path: Path, limit: int | None) -> tuple[np.ndarray, np.ndarray]:
    images = _read_idx(images_path, _IDX_IMAGES)
    labels = _read_idx(labels_path, _IDX_LABELS)
    if len(images) != len(labels):
        raise DataError(_("{images_path} holds {n_images} images but {labels_path} holds {n_labels} labels",
                          images_path=images_path, n_images=len(images), labels_path=labels_path,
                          n_labels=len(labels)))
    return images[:limit], labels[:limit]


def _read_idx(path: Path, magic: int) -> np.ndarray:
    """Read one IDX file of unsigned bytes: a big-endian magic number, one uint32 per dimension, data.

    The header's size is compared with the file's before the data is read, so a header that claims gigabytes
    costs nothing.
    """
    gz = path.suffix == ".gz"
    try:
        size = path.stat().st_size
        with (gzip.open(path, "rb") if gz else open(path, "rb")) as f:
            head = f.read(4)
            found = struct.unpack(">I", head)[0] if len(head) == 4 else None
            if found != magic:
                found = "a file shorter than 4 bytes" if found is None else f"0x{found:08x}"
                raise DataError(_("{path}: not an IDX {value} file (magic number 0x{magic:08x} expected, found "
                                  "{found})", path=path, value='image' if magic == _IDX_IMAGES else 'label',
                                  magic=magic, found=found))
            ndim = magic & 0xFF
            raw_dims = f.read(4 * ndim)
            if len(raw_dims) < 4 * ndim:
                raise DataError(_("{path}: the IDX header is cut short", path=path))
            dims = struct.unpack(f">{ndim}I", raw_dims)
            expected = math.prod(dims)
            claim = f"header says {' x '.join(map(str, dims))} = {expected} bytes of data"
            if expected == 0:
                raise DataError(_("{path}: {claim}: it holds nothing", path=path, claim=claim))
            if not gz and size - 4 - 4 * ndim != expected:
                raise DataError(_("{path}: {claim}, the file holds {value}", path=path, claim=claim,
                                  value=size - 4 - 4 * ndim))
            if gz and expected > _MAX_INFLATE * size:
                raise DataError(_("{path}: {claim}, more than a {size}-byte gzip file can hold", path=path,
                                  claim=claim, size=size))
            # In chunks: one read(n) would allocate all n bytes a gzip header claims before inflating any.
            chunks, total = [], 0
            while total <= expected and (chunk := f.read(min(1 << 24, expected + 1 - total))):
                chunks.append(chunk)
                total += len(chunk)
            data = b"".join(chunks)  # one byte more than the header says tells a longer file
    except (OSError, EOFError, zlib.error) as e:  # gzip.BadGzipFile is an OSError
        raise DataError(_("{path}: cannot be read ({e})", path=path, e=e)) from None
    if len(data) != expected:
        raise DataError(_("{path}: {claim}, the file holds {value}", path=path, claim=claim,
                          value='more' if len(data) > expected else len(data)))
    return np.frombuffer(data, dtype=np.uint8).reshape(dims)


# ---------------------------------------------------------------------------------------------------
# CIFAR-10, binary version only: each record is 1 label byte then 3,072 pixel bytes (R, G, B planes).

_CIFAR_RECORD = 1 + 3 * 32 * 32
_CIFAR_NAMES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]


def _load_cifar10(p: dict, seed: int) -> Dataset:
    folder = _existing(p["path"], folder=True)
    if (folder / "cifar-10-batches-bin").is_dir():  # the archive's own folder, one level down
        folder = folder / "cifar-10-batches-bin"
    train_files = [f for f in (folder / f"data_batch_{i}.bin" for i in range(1, 6)) if f.is_file()]
    if not train_files:
        if (folder / "data_batch_1").is_file() or (folder / "cifar-10-batches-py").is_dir():
            raise DataError(_("{folder}: holds the Python (pickled) version of CIFAR-10, which is not loaded for "
                              "safety: unpickling can run code. Download the binary version (cifar-10-binary.tar.gz) "
                              "instead", folder=folder))
        raise DataError(_("{folder}: has no data_batch_1.bin; expected the CIFAR-10 binary version (data_batch_1.bin "
                          "... data_batch_5.bin, test_batch.bin)", folder=folder))
    x, y = _read_cifar_batches(train_files, p["limit"])
    class_names = _cifar_class_names(folder)
    name = f"cifar10 ({folder.name})"

    def features(images: np.ndarray) -> np.ndarray:
        scaled = images.astype(np.float32) / 255.0
        return scaled.reshape(len(images), -1) if p["shape"] == "flat" else scaled

    test_file = folder / "test_batch.bin"
    if p["val_fraction"] is not None or not test_file.is_file():
        return _finish(name, "classification", features(x), y, class_names, p["val_fraction"] or 0.0, seed)
    x_val, y_val = _read_cifar_batches([test_file], None)
    return Dataset(name, "classification", features(x), y, features(x_val), y_val, class_names)


def _read_cifar_batches(files: list[Path], limit: int | None) -> tuple[np.ndarray, np.ndarray]:
    images, labels, total = [], [], 0
    for path in files:
        try:
            data = path.read_bytes()
        except OSError as e:
            raise DataError(_("{path}: cannot be read ({strerror})", path=path, strerror=e.strerror)) from None
        if not data or len(data) % _CIFAR_RECORD:
            raise DataError(_("{path}: {n_data} bytes is not a whole number of {CIFAR_RECORD}-byte CIFAR-10 records",
                              path=path, n_data=len(data), CIFAR_RECORD=_CIFAR_RECORD))
        records = np.frombuffer(data, dtype=np.uint8).reshape(-1, _CIFAR_RECORD)
        if limit is not None:
            records = records[:limit - total]
        bad = np.flatnonzero(records[:, 0] >= 10)
        if bad.size:
            raise DataError(_("{path}: record {value} has label {value2}; CIFAR-10 labels are 0-9", path=path,
                              value=bad[0], value2=records[bad[0], 0]))
        labels.append(records[:, 0].astype(np.int64))
        images.append(records[:, 1:].reshape(-1, 3, 32, 32))
        total += len(records)
        if limit is not None and total >= limit:
            break
    return np.concatenate(images), np.concatenate(labels)


def _cifar_class_names(folder: Path) -> list[str]:
    meta = folder / "batches.meta.txt"
    if not meta.is_file():
        return list(_CIFAR_NAMES)
    try:
        names = [ln.strip() for ln in meta.read_text(encoding="utf-8").splitlines() if ln.strip()]
    except (OSError, UnicodeDecodeError) as e:
        raise DataError(_("{meta}: cannot be read ({e})", meta=meta, e=e)) from None
    if len(names) != 10:
        raise DataError(_("{meta}: lists {n_names} class names, CIFAR-10 has 10", meta=meta, n_names=len(names)))
    if len(set(names)) != 10:
        raise DataError(_("{meta}: names a class twice", meta=meta))
    return names


_BUILDERS: dict[str, Callable[[dict, int], Dataset]] = {
    "random-regression": _random_regression,
    "quadratic": _quadratic,
    "line": _line,
    "blobs": _blobs,
    "circles": _circles,
    "xor": _xor,
    "spiral": _spiral,
    "digits": _digits,
    "csv": _load_csv,
    "npz": _load_npz,
    "mnist": _load_mnist,
    "cifar10": _load_cifar10,
}
