"""Fuzzed importers (issue 16): for any file, an importer returns a valid Dataset or raises DataError naming the
file in one line (run.json: ConfigError); nothing else escapes, and header claims are checked before allocating.

Inputs that once crashed an importer live in tests/fuzz_corpus/ and are replayed by `test_corpus_file`.
More examples: WEIGHTSTUDIO_FUZZ_EXAMPLES=2000 pytest tests/test_fuzz_importers.py
"""

import gzip
import io
import json
import os
import struct
import tempfile
import tracemalloc
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from weightstudio.core.config import ConfigError, RunConfig
from weightstudio.core.data import DataError, Dataset, csv_columns, load_dataset
from weightstudio.core.io import load_run_config

CORPUS = Path(__file__).parent / "fuzz_corpus"
FUZZ = settings(max_examples=int(os.environ.get("WEIGHTSTUDIO_FUZZ_EXAMPLES", 150)), deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# --- the property -----------------------------------------------------------------------------------------

def assert_valid(ds: Dataset) -> None:
    """What the engine may assume of any Dataset an importer returns."""
    assert isinstance(ds, Dataset)
    assert len(ds.x_train) >= 1 and ds.n_features >= 1
    for x in (ds.x_train, ds.x_val):
        assert np.all(np.isfinite(x))
    if ds.task == "classification":
        assert ds.n_classes >= 1 and len(set(ds.class_names)) == ds.n_classes
        for y in (ds.y_train, ds.y_val):
            assert np.all((0 <= y) & (y < ds.n_classes))
    else:
        assert ds.n_outputs >= 1 and np.all(np.isfinite(ds.y_train)) and np.all(np.isfinite(ds.y_val))


def assert_imports_or_refuses(spec: dict, named: Path) -> Dataset | None:
    """load_dataset gives a valid Dataset, or a one-line DataError that names `named` (a file or folder)."""
    try:
        ds = load_dataset(spec, 0)
    except DataError as e:
        message = str(e)
        assert named.name in message, message
        assert "\n" not in message, message
        return None
    assert_valid(ds)
    return ds


def assert_config_or_refuses(path: Path) -> RunConfig | None:
    try:
        cfg = load_run_config(path)
    except ConfigError as e:
        message = str(e)
        assert str(path) in message and "\n" not in message, message
        return None
    assert isinstance(cfg, RunConfig)
    return cfg


# --- CSV --------------------------------------------------------------------------------------------------

NUMBERS = st.one_of(
    st.integers(-5, 25).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["1e30", "-1e39", "1e400", "1_000", "0x10", " 7 ", "+.5", "nan", "-inf", "1e-400", "٣"]),
)
TEXT = st.text(alphabet=st.sampled_from(list("ab,;\t\"#\n\r \x00é\\'") + ["\u2028"]), max_size=6)
CELLS = st.one_of(NUMBERS, NUMBERS, TEXT, st.sampled_from(["", "abc", "label", "x", "y", "2019", "2020"]))


@st.composite
def csv_files(draw) -> bytes:
    ncols = draw(st.integers(1, 4))
    row = st.lists(CELLS, min_size=ncols, max_size=ncols)
    rows = draw(st.lists(st.one_of(row, row, row, st.lists(CELLS, max_size=ncols + 1)), max_size=7))
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    lines = [delimiter.join(r) for r in rows]
    if draw(st.booleans()):
        lines.insert(draw(st.integers(0, len(lines))), draw(st.sampled_from(["# comment", "", "  ", ",,"])))
    text = newline.join(lines) + draw(st.sampled_from(["", newline]))
    data = text.encode("utf-8")
    if draw(st.integers(0, 9)) == 0:
        data = b"\xef\xbb\xbf" + data
    if draw(st.integers(0, 9)) == 0:  # a byte that is not UTF-8, or a cut in the middle of a character
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.sampled_from([b"\xff", b"\xc3", b"\xe9"])) + data[at:]
    return data


CSV_SPECS = st.fixed_dictionaries({
    "target": st.sampled_from([None, 0, 1, -1, 7, "y", "label", "2020"]),
    "task": st.sampled_from(["auto", "auto", "regression", "classification"]),
    "val_fraction": st.sampled_from([0.0, 0.2, 0.5]),
})


@FUZZ
@given(data=st.one_of(csv_files(), csv_files(), st.binary(max_size=64)), params=CSV_SPECS)
def test_csv_import_returns_a_dataset_or_a_data_error(data, params):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.csv"
        path.write_bytes(data)
        assert_imports_or_refuses({"source": "csv", "path": str(path), **params}, path)
        found = csv_columns(path)
        assert found is None or (isinstance(found[0], list) and isinstance(found[1], bool))


def assert_header_agrees(path: Path) -> None:
    """csv_columns and the loader read the same first row as a header (the data panel offers its names as targets)."""
    found = csv_columns(path)
    if found is None or not found[1] or found[0].count(found[0][-1]) > 1:  # a name twice is refused
        return
    by_name = assert_imports_or_refuses({"source": "csv", "path": str(path), "target": found[0][-1]}, path)
    by_index = assert_imports_or_refuses({"source": "csv", "path": str(path)}, path)
    assert (by_name is None) == (by_index is None)
    if by_name is not None:
        assert np.array_equal(by_name.x_train, by_index.x_train) and np.array_equal(by_name.y_train, by_index.y_train)


@FUZZ
@given(data=csv_files())
def test_csv_columns_and_the_loader_agree_on_the_header(data):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "h.csv"
        path.write_bytes(data)
        assert_header_agrees(path)


# --- NPZ --------------------------------------------------------------------------------------------------

DTYPES = st.sampled_from([np.int8, np.uint8, np.int64, np.uint64, np.float16, np.float32, np.float64, np.bool_,
                          np.complex64, "S3", "U3", "M8[s]", [("a", "i4")], np.longdouble])


@st.composite
def arrays(draw) -> np.ndarray:
    shape = tuple(draw(st.lists(st.integers(0, 4), max_size=3)))
    dtype = np.dtype(draw(DTYPES))
    n = int(np.prod(shape))
    if dtype.kind in "SU":  # text, sometimes not ASCII
        words = draw(st.lists(st.sampled_from(["a", "b", "1", "é", ""]), min_size=n, max_size=n))
        if dtype.kind == "S":
            return np.array([w.encode("utf-8") for w in words], dtype="S3").reshape(shape)
        return np.array(words, dtype="U3").reshape(shape)
    if draw(st.integers(0, 20)) == 0:
        return np.array([None] * n, dtype=object).reshape(shape)  # pickled by np.savez
    raw = draw(st.binary(min_size=n * dtype.itemsize, max_size=n * dtype.itemsize))
    return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()


def npy_bytes(shape: tuple, descr: str = "<f4", body: bytes = b"") -> bytes:
    header = repr({"descr": descr, "fortran_order": False, "shape": shape}).encode("latin1")
    header += b" " * (63 - (len(header) + 10) % 64) + b"\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header + body


@st.composite
def npz_files(draw) -> bytes:
    kind = draw(st.sampled_from(["arrays", "arrays", "arrays", "members", "raw"]))
    buf = io.BytesIO()
    if kind == "arrays":
        named = draw(st.dictionaries(st.sampled_from(["x", "y", "z"]), arrays(), max_size=3))
        if draw(st.booleans()):
            xy = draw(st.integers(0, 5))
            named.setdefault("x", np.zeros((xy, 2), np.float32))
            named.setdefault("y", np.arange(xy) % 2)
        (np.savez_compressed if draw(st.booleans()) else np.savez)(buf, **named)
    elif kind == "members":  # hand-made zips: non-npy members, lying headers, other compressions
        method = draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2]))
        with zipfile.ZipFile(buf, "w", method) as z, warnings.catch_warnings():
            warnings.simplefilter("ignore")  # duplicate member names are part of the test
            for name in draw(st.lists(st.sampled_from(["x.npy", "y.npy", "x", "y", "z.npy"]), max_size=3)):
                shape = tuple(draw(st.lists(st.sampled_from([0, 1, 2, 3, 2**31, 2**62, -1]), max_size=3)))
                descr = draw(st.sampled_from(["<f4", "|u1", "<i8", "|O", "<U2", "|V0", "bogus"]))
                body = draw(st.binary(max_size=32))
                member = draw(st.sampled_from([npy_bytes(shape, descr, body), body, b"\x93NUMPY\x01"]))
                z.writestr(name, member)
    else:
        buf.write(draw(st.sampled_from([b"PK\x03\x04", b"PK\x05\x06", b"\x93NUMPY", b"\x80\x04", b""])))
        buf.write(draw(st.binary(max_size=48)))
    data = buf.getvalue()
    mutation = draw(st.sampled_from(["none", "none", "truncate", "flip"]))
    if mutation == "truncate" and data:
        data = data[:draw(st.integers(0, len(data) - 1))]
    elif mutation == "flip" and data:
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1:]
    return data


@FUZZ
@given(data=npz_files(), task=st.sampled_from(["auto", "regression", "classification"]),
       val_fraction=st.sampled_from([0.0, 0.5]))
def test_npz_import_returns_a_dataset_or_a_data_error(data, task, val_fraction):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.npz"
        path.write_bytes(data)
        assert_imports_or_refuses({"source": "npz", "path": str(path), "task": task, "val_fraction": val_fraction},
                                  path)


# --- MNIST IDX --------------------------------------------------------------------------------------------

DIMS = st.sampled_from([0, 1, 2, 3, 4, 2**16, 2**31, 2**32 - 1])


@st.composite
def idx_file(draw, magic: int, small: tuple) -> bytes:
    """An IDX file: mostly well formed around `small` dimensions, sometimes lying about its size."""
    found_magic = draw(st.sampled_from([magic, magic, magic, magic ^ 0x01, 0x0000080D, 0]))
    ndim = found_magic & 0xFF if found_magic else 0
    dims = list(small) if draw(st.booleans()) and len(small) == ndim else draw(st.lists(DIMS, min_size=ndim,
                                                                                          max_size=ndim))
    expected = int(np.prod(dims)) if dims else 0
    length = expected if expected <= 64 else draw(st.integers(0, 64))
    length = max(0, length + draw(st.sampled_from([0, 0, 0, -1, 1])))
    body = draw(st.binary(min_size=length, max_size=length))
    data = struct.pack(f">I{len(dims)}I", found_magic, *dims) + body
    if draw(st.integers(0, 5)) == 0:
        data = data[:draw(st.integers(0, len(data)))]
    return data


@st.composite
def mnist_folders(draw) -> dict[str, bytes]:
    files = {}
    for prefix in ("train", "t10k"):
        if prefix == "t10k" and draw(st.booleans()):
            continue
        n = draw(st.integers(0, 3))
        side = draw(st.integers(0, 3))
        gz = draw(st.integers(0, 3)) == 0
        for kind, magic, small in (("images-idx3", 0x803, (n, side, side)), ("labels-idx1", 0x801, (n,))):
            data = draw(idx_file(magic, small))
            if gz:
                data = gzip.compress(data)
                if draw(st.integers(0, 3)) == 0:  # a damaged gzip stream
                    data = data[:draw(st.integers(0, len(data)))]
            if draw(st.integers(0, 12)):  # now and then a file is missing
                files[f"{prefix}-{kind}-ubyte" + (".gz" if gz else "")] = data
    return files


@FUZZ
@given(files=mnist_folders(), shape=st.sampled_from(["flat", "image"]), limit=st.sampled_from([None, 1, 2]),
       val_fraction=st.sampled_from([None, 0.0, 0.5]))
def test_mnist_import_returns_a_dataset_or_a_data_error(files, shape, limit, val_fraction):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "mnist-fuzz"
        folder.mkdir()
        for name, data in files.items():
            (folder / name).write_bytes(data)
        assert_imports_or_refuses({"source": "mnist", "path": str(folder), "shape": shape, "limit": limit,
                                   "val_fraction": val_fraction}, folder)


@pytest.mark.parametrize("gz", [False, True])
def test_idx_header_claiming_gigabytes_is_refused_before_allocating(tmp_path, gz):
    # 2,551,020 images of 28×28 would be 2 GB; the file holds 100 bytes of them.
    images = struct.pack(">IIII", 0x803, 2_551_020, 28, 28) + bytes(100)
    labels = struct.pack(">II", 0x801, 2_551_020) + bytes(100)
    suffix = ".gz" if gz else ""
    (tmp_path / f"train-images-idx3-ubyte{suffix}").write_bytes(gzip.compress(images) if gz else images)
    (tmp_path / f"train-labels-idx1-ubyte{suffix}").write_bytes(gzip.compress(labels) if gz else labels)
    tracemalloc.start()
    try:
        with pytest.raises(DataError, match=r"train-images-idx3-ubyte.*2551020 x 28 x 28"):
            load_dataset({"source": "mnist", "path": str(tmp_path)}, 0)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 10 * 2**20


def test_npz_header_claiming_gigabytes_is_refused_before_allocating(tmp_path):
    path = tmp_path / "huge.npz"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("x.npy", npy_bytes((2**40, 2), "<f8"))
        z.writestr("y.npy", npy_bytes((2**40,), "<i8"))
    tracemalloc.start()
    try:
        with pytest.raises(DataError, match=r"huge\.npz.*'x'"):
            load_dataset({"source": "npz", "path": str(path)}, 0)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 10 * 2**20


# --- CIFAR-10 binary --------------------------------------------------------------------------------------

RECORD = 1 + 3 * 32 * 32


@st.composite
def cifar_batch(draw) -> bytes:
    labels = draw(st.lists(st.one_of(st.integers(0, 9), st.integers(0, 255)), max_size=3))
    data = b"".join(bytes([label]) + bytes([label]) * (RECORD - 1) for label in labels)
    cut = draw(st.sampled_from([0, 0, 0, 1, 100, RECORD - 1]))
    return data[:len(data) - cut] if draw(st.booleans()) else data + bytes(cut)


@st.composite
def cifar_folders(draw) -> dict[str, bytes]:
    names = draw(st.lists(st.sampled_from(["data_batch_1.bin", "data_batch_2.bin", "data_batch_5.bin",
                                           "test_batch.bin", "data_batch_1"]), unique=True, max_size=4))
    files = {name: draw(cifar_batch()) for name in names}
    names = st.lists(st.text(alphabet="ab \r\x0b\x85é", max_size=2), min_size=9, max_size=11)
    meta = draw(st.one_of(st.none(), st.binary(max_size=30), names.map(lambda n: "\n".join(n).encode())))
    if meta is not None:
        files["batches.meta.txt"] = meta
    return files


@FUZZ
@given(files=cifar_folders(), shape=st.sampled_from(["flat", "image"]), limit=st.sampled_from([None, 1, 4]),
       val_fraction=st.sampled_from([None, 0.0, 0.5]))
def test_cifar_import_returns_a_dataset_or_a_data_error(files, shape, limit, val_fraction):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "cifar-fuzz"
        folder.mkdir()
        for name, data in files.items():
            (folder / name).write_bytes(data)
        assert_imports_or_refuses({"source": "cifar10", "path": str(folder), "shape": shape, "limit": limit,
                                   "val_fraction": val_fraction}, folder)


# --- run.json ---------------------------------------------------------------------------------------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8)
    | st.sampled_from([10**400, -1, 0, 2**64, "mse", "sgd", "Linear", "normal", "csv"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["kind", "out_features", "scheme", "std", "lr", "epochs", "source", "a\nb", "layers",
                         "weight_init", "input_shape", "loss"]) | st.text(max_size=4), inner, max_size=4),
    max_leaves=12)


def valid_config() -> dict:
    from weightstudio.core.presets import PRESETS

    return [p.config().to_dict() for p in PRESETS.values()]


@st.composite
def mutated_configs(draw) -> dict:
    """A valid run.json with one value somewhere replaced by arbitrary JSON."""
    config = draw(st.sampled_from(valid_config()))
    node, key = config, None
    while True:
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        if not keys:
            break
        key = draw(st.sampled_from(keys))
        if not isinstance(node[key], (dict, list)) or draw(st.integers(0, 2)) == 0:
            break
        node = node[key]
    if key is not None:
        if draw(st.integers(0, 5)) == 0 and isinstance(node, dict):
            del node[key]
        else:
            node[key] = draw(JSON)
    return config


@st.composite
def run_json_files(draw) -> bytes:
    kind = draw(st.sampled_from(["mutated", "mutated", "json", "text", "bytes"]))
    if kind == "mutated":
        return json.dumps(draw(mutated_configs())).encode()
    if kind == "json":
        return json.dumps(draw(JSON)).encode()
    if kind == "text":
        text = json.dumps(valid_config()[0])
        at = draw(st.integers(0, len(text)))
        return (text[:at] + draw(st.sampled_from(["", "[" * 5000, "1" * 5000, "\ud800", "NaN", "}", "\"\\u"]))
                + text[at + draw(st.integers(0, 3)):]).encode("utf-8", "surrogatepass")
    return draw(st.binary(max_size=40))


@FUZZ
@given(data=run_json_files())
def test_run_json_gives_a_config_or_a_config_error(data):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "run.json"
        path.write_bytes(data)
        assert_config_or_refuses(path)


# --- the corpus of inputs that once crashed an importer ---------------------------------------------------

def corpus_cases() -> list[Path]:
    return sorted(p for kind in ("csv", "npz", "mnist", "cifar10", "runjson") if (CORPUS / kind).is_dir()
                  for p in (CORPUS / kind).iterdir() if not p.name.startswith("."))


@pytest.mark.parametrize("case", corpus_cases(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_corpus_file(case):
    kind = case.parent.name
    if kind == "runjson":
        assert_config_or_refuses(case)
        return
    variants = {"csv": [{"task": t, "target": g} for t in ("auto", "regression", "classification") for g in (None, 0)],
                "npz": [{"task": t} for t in ("auto", "regression", "classification")],
                "mnist": [{"val_fraction": v} for v in (None, 0.5)],
                "cifar10": [{"val_fraction": v} for v in (None, 0.5)]}[kind]
    for params in variants:
        assert_imports_or_refuses({"source": kind, "path": str(case), **params}, case)
    if kind == "csv":
        assert_header_agrees(case)
