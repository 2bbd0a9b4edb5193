"""Tests for weightstudio.core.data: generators, the bundled digits, and CSV/NPZ/MNIST/CIFAR import."""

import gzip
import json
import struct

import numpy as np
import pytest
import torch

from weightstudio.core.data import (
    DATASETS,
    FILE_SOURCES,
    DataError,
    Dataset,
    default_data_spec,
    load_dataset,
)

ALL_ARRAYS = ("x_train", "y_train", "x_val", "y_val")


def arrays_equal(a: Dataset, b: Dataset) -> bool:
    return all(np.array_equal(getattr(a, k), getattr(b, k)) for k in ALL_ARRAYS)


# --- specs and parameters ---------------------------------------------------------------------------

@pytest.mark.parametrize("source", [*DATASETS, *FILE_SOURCES])
def test_default_spec_is_complete_and_json_serialisable(source):
    spec = default_data_spec(source)
    assert spec["source"] == source
    assert json.loads(json.dumps(spec)) == spec
    assert "val_fraction" in spec
    spec["val_fraction"] = 0.5  # a copy: editing it leaves the registry alone
    assert default_data_spec(source)["val_fraction"] != 0.5


def test_unknown_source_and_bad_parameters_are_named():
    with pytest.raises(DataError, match="nope"):
        load_dataset({"source": "nope"}, 0)
    with pytest.raises(DataError, match="'nosie'"):
        load_dataset({"source": "quadratic", "nosie": 0.1}, 0)
    with pytest.raises(DataError, match="'n'"):
        load_dataset({"source": "quadratic", "n": -3}, 0)
    with pytest.raises(DataError, match="'noise'"):
        load_dataset({"source": "line", "noise": "loud"}, 0)
    with pytest.raises(DataError, match="'val_fraction'"):
        load_dataset({"source": "blobs", "val_fraction": 1.0}, 0)
    with pytest.raises(DataError, match="'shape'"):
        load_dataset({"source": "digits", "shape": "square"}, 0)
    with pytest.raises(DataError, match="seed"):
        load_dataset({"source": "quadratic"}, -1)
    with pytest.raises(DataError, match="source"):
        load_dataset({"n": 3}, 0)


def test_missing_parameters_take_defaults_and_whole_floats_are_counts():
    data = load_dataset({"source": "quadratic", "n": 50.0}, 0)
    assert data.x_train.shape == (50, 1)


# --- built-in generators ------------------------------------------------------------------------------

@pytest.mark.parametrize("source", list(DATASETS))
def test_same_seed_same_arrays_different_seed_different(source):
    spec = default_data_spec(source)
    a, b, c = load_dataset(spec, 7), load_dataset(spec, 7), load_dataset(spec, 8)
    assert arrays_equal(a, b)
    if source != "digits" or spec["val_fraction"] > 0:  # digits only changes through the split
        assert not arrays_equal(a, c)


@pytest.mark.parametrize("source", list(DATASETS))
def test_shapes_and_dtypes(source):
    data = load_dataset(default_data_spec(source), 0)
    assert data.x_train.dtype == np.float32 and data.x_val.dtype == np.float32
    assert data.task == DATASETS[source].task
    if data.task == "classification":
        assert data.y_train.dtype == np.int64 and data.y_train.ndim == 1
        assert data.n_outputs == data.n_classes == len(data.class_names) >= 2
        assert set(np.unique(data.y_train)) <= set(range(data.n_classes))
    else:
        assert data.y_train.dtype == np.float32 and data.y_train.shape == (len(data.x_train), 1)
        assert data.n_outputs == 1 and data.n_classes == 0 and data.class_names == []
    assert data.feature_shape == data.x_train.shape[1:] == data.x_val.shape[1:]
    assert np.all(np.isfinite(data.x_train))


def test_random_regression_matches_torch_draws():
    data = load_dataset({"source": "random-regression", "n": 10, "features": 3}, 5)
    g = torch.Generator().manual_seed(5)
    assert np.array_equal(data.x_train, torch.randn(10, 3, generator=g).numpy())
    assert np.array_equal(data.y_train, torch.randn(10, 1, generator=g).numpy())


def test_quadratic_formula_and_blog_reproduction():
    data = load_dataset({"source": "quadratic", "n": 100, "noise": 0.2}, 3)
    x = torch.linspace(-1, 1, 100).unsqueeze(1)
    assert np.array_equal(data.x_train, x.numpy())
    residual = data.y_train - data.x_train ** 2
    assert residual.min() >= -1e-6 and residual.max() <= 0.2 + 1e-6
    assert residual.std() > 0.03  # the noise is really there
    # The blog script seeds the global generator; the numbers must be the same.
    torch.manual_seed(3)
    blog_y = x.pow(2) + 0.2 * torch.rand(x.size())
    assert np.array_equal(data.y_train, blog_y.numpy())


def test_line_fitted_slope_and_intercept():
    data = load_dataset({"source": "line", "n": 2000}, 0)
    x, y = data.x_train[:, 0], data.y_train[:, 0]
    assert x.min() >= 0 and x.max() <= 10
    slope, intercept = np.polyfit(x, y, 1)
    assert slope == pytest.approx(2.0, abs=0.05)
    assert intercept == pytest.approx(1.0, abs=0.2)


def test_zero_val_fraction_keeps_every_sample_in_order():
    data = load_dataset({"source": "quadratic", "n": 30, "val_fraction": 0.0}, 0)
    assert len(data.x_train) == 30 and len(data.x_val) == 0
    assert data.x_val.shape == (0, 1) and data.y_val.shape == (0, 1)
    assert np.all(np.diff(data.x_train[:, 0]) > 0)


def test_val_split_sizes_disjoint_seeded():
    spec = {"source": "quadratic", "n": 100, "val_fraction": 0.25}
    data = load_dataset(spec, 1)
    assert len(data.x_train) == 75 and len(data.x_val) == 25
    train, val = set(data.x_train[:, 0].tolist()), set(data.x_val[:, 0].tolist())
    assert not train & val and len(train | val) == 100  # x is linspace, so values identify samples
    assert np.all(np.diff(data.x_train[:, 0]) > 0)  # each part keeps the source order
    assert np.array_equal(load_dataset(spec, 1).x_val, data.x_val)
    assert not np.array_equal(load_dataset(spec, 2).x_val, data.x_val)


def test_blobs_classes_and_balance():
    data = load_dataset({"source": "blobs", "n": 400, "classes": 4, "noise": 0.5, "val_fraction": 0.0}, 0)
    assert data.class_names == ["0", "1", "2", "3"]
    assert np.bincount(data.y_train).tolist() == [100] * 4
    centres = np.array([data.x_train[data.y_train == k].mean(axis=0) for k in range(4)])
    assert np.allclose(np.linalg.norm(centres, axis=1), 4.0, atol=0.3)


def test_circles_radii():
    data = load_dataset({"source": "circles", "n": 200, "noise": 0.0, "val_fraction": 0.0}, 0)
    radius = np.linalg.norm(data.x_train, axis=1)
    assert np.allclose(radius[data.y_train == 0], 1.0, atol=1e-6)
    assert np.allclose(radius[data.y_train == 1], 0.5, atol=1e-6)


def test_xor_labels_are_sign_differences():
    data = load_dataset({"source": "xor", "n": 500, "noise": 0.0, "val_fraction": 0.0}, 0)
    x, y = data.x_train, data.y_train
    assert np.all(np.abs(x) <= 1)
    assert np.array_equal(y, (x[:, 0] * x[:, 1] < 0).astype(np.int64))
    assert 0.4 < y.mean() < 0.6


def test_spiral_classes():
    data = load_dataset({"source": "spiral", "n": 300, "classes": 3, "val_fraction": 0.0}, 0)
    assert np.bincount(data.y_train).tolist() == [100, 100, 100]
    assert np.linalg.norm(data.x_train, axis=1).max() <= 1.0 + 1e-6


def test_digits_flat_and_image():
    flat = load_dataset({"source": "digits", "val_fraction": 0.0}, 0)
    assert flat.x_train.shape == (1797, 64) and flat.n_classes == 10
    assert flat.class_names == [str(i) for i in range(10)]
    assert flat.x_train.min() == 0.0 and flat.x_train.max() == 1.0
    assert np.array_equal(np.unique(flat.x_train * 16), np.arange(17))  # 0..16 scaled by 1/16
    assert np.bincount(flat.y_train).min() > 170
    image = load_dataset({"source": "digits", "shape": "image", "val_fraction": 0.2}, 0)
    assert image.feature_shape == (1, 8, 8)
    assert len(image.x_train) + len(image.x_val) == 1797 and len(image.x_val) == 359
    assert image.summary() == "digits: 1438 train / 359 val samples, 1x8x8 input, 10 classes"


def test_summary():
    data = load_dataset({"source": "quadratic", "n": 100}, 0)
    assert data.summary() == "quadratic: 100 train / 0 val samples, 1 feature, regression"


def test_dataset_rejects_wrong_layout():
    x = np.zeros((3, 2), np.float32)
    with pytest.raises(DataError, match="y_train"):
        Dataset("bad", "classification", x, np.zeros(3, np.float32), x[:0], np.zeros(0, np.int64), ["a"])


# --- CSV ----------------------------------------------------------------------------------------------

def write(path, text):
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_csv_with_header_regression(tmp_path):
    rows = "\n".join(f"{i},{i * 0.5},{2 * i + 1.5}" for i in range(10))
    path = write(tmp_path / "data.csv", "a,b,y\n" + rows + "\n")
    data = load_dataset({"source": "csv", "path": path, "val_fraction": 0.0}, 0)
    assert data.task == "regression" and data.name == "data.csv"
    assert data.x_train.shape == (10, 2) and data.y_train.shape == (10, 1)
    assert data.y_train[3, 0] == 7.5 and data.x_train[4].tolist() == [4.0, 2.0]


def test_csv_without_header_integer_labels_auto_classification(tmp_path):
    path = write(tmp_path / "plain.csv", "0.1,0.2,1\n0.3,0.4,3\n\n0.5,0.6,1\n0.7,0.8,2\n")
    data = load_dataset({"source": "csv", "path": path, "val_fraction": 0.0}, 0)
    assert data.task == "classification"
    assert data.x_train.shape == (4, 2)
    assert data.class_names == ["1", "2", "3"] and data.y_train.tolist() == [0, 2, 0, 1]


def test_csv_string_labels_target_by_name_and_semicolons(tmp_path):
    text = "species;length;width\nrose;1.0;2\ntulip;3;4\naster;5;6\nrose;7;8\n"
    path = write(tmp_path / "flowers.csv", text)
    data = load_dataset({"source": "csv", "path": path, "target": "species", "val_fraction": 0.0}, 0)
    assert data.task == "classification"
    assert data.class_names == ["aster", "rose", "tulip"]
    assert data.y_train.tolist() == [1, 2, 0, 1]
    assert data.x_train.tolist() == [[1, 2], [3, 4], [5, 6], [7, 8]]


def test_csv_forced_regression_and_many_values(tmp_path):
    path = write(tmp_path / "counts.csv", "x,y\n" + "\n".join(f"{i},{i % 3}" for i in range(30)))
    assert load_dataset({"source": "csv", "path": path}, 0).task == "classification"
    data = load_dataset({"source": "csv", "path": path, "task": "regression"}, 0)
    assert data.task == "regression" and len(data.x_train) + len(data.x_val) == 30


def test_csv_line_numbers_count_blank_and_comment_lines(tmp_path):
    path = write(tmp_path / "c.csv", "# made by hand\r\nx,y\r\n\r\n1,0\r\n2,1\r\n3,0.5\r\n")
    with pytest.raises(DataError, match=r"c\.csv line 6: column 'y' has 0\.5"):
        load_dataset({"source": "csv", "path": path, "task": "classification"}, 0)
    data = load_dataset({"source": "csv", "path": path, "val_fraction": 0.0}, 0)
    assert data.task == "regression" and data.y_train[:, 0].tolist() == [0, 1, 0.5]


def test_csv_numeric_and_text_labels_give_the_same_features(tmp_path):
    # All-number files take numpy's fast parser, text labels the csv module: same features either way.
    features = ["0.5,-1.25e-3", "2, 3", "1e2,7"]
    numeric = write(tmp_path / "n.csv", "\n".join(f"{f},{i % 2}" for i, f in enumerate(features)))
    text = write(tmp_path / "t.csv", "\n".join(f"{f},{'ab'[i % 2]}" for i, f in enumerate(features)))
    a = load_dataset({"source": "csv", "path": numeric, "val_fraction": 0.0}, 0)
    b = load_dataset({"source": "csv", "path": text, "val_fraction": 0.0}, 0)
    assert np.array_equal(a.x_train, b.x_train) and np.array_equal(a.y_train, b.y_train)
    assert a.x_train[0].tolist() == [0.5, np.float32(-1.25e-3)]
    assert b.class_names == ["a", "b"] and a.class_names == ["0", "1"]


def test_csv_target_by_index(tmp_path):
    path = write(tmp_path / "first.csv", "1,0.1,0.2\n0,0.3,0.4\n1,0.5,0.6\n")
    data = load_dataset({"source": "csv", "path": path, "target": 0, "val_fraction": 0.0}, 0)
    assert data.y_train.tolist() == [1, 0, 1] and data.x_train.shape == (3, 2)


def test_csv_bad_cell_names_file_line_and_column(tmp_path):
    path = write(tmp_path / "data.csv", "a,b,y\n1,2,3\n4,abc,6\n")
    with pytest.raises(DataError) as err:
        load_dataset({"source": "csv", "path": path}, 0)
    message = str(err.value)
    assert "data.csv line 3" in message and "'b'" in message and "'abc'" in message


def test_csv_bad_regression_target_and_nan(tmp_path):
    path = write(tmp_path / "t.csv", "a,y\n1,2\n3,x\n")
    with pytest.raises(DataError, match=r"t\.csv line 3: column 'y' has 'x', not a number"):
        load_dataset({"source": "csv", "path": path, "task": "regression"}, 0)
    path = write(tmp_path / "n.csv", "1,2\n3,4\nnan,5\n")
    with pytest.raises(DataError, match=r"n\.csv line 3: column 1 has 'nan', not a finite number"):
        load_dataset({"source": "csv", "path": path}, 0)


def test_csv_ragged_row(tmp_path):
    path = write(tmp_path / "ragged.csv", "1,2,3\n4,5,6\n7,8\n")
    with pytest.raises(DataError, match=r"ragged\.csv line 3: expected 3 columns.*got 2"):
        load_dataset({"source": "csv", "path": path}, 0)


def test_csv_empty_short_and_missing(tmp_path):
    with pytest.raises(DataError, match=r"empty\.csv.*empty"):
        load_dataset({"source": "csv", "path": write(tmp_path / "empty.csv", "\n\n")}, 0)
    with pytest.raises(DataError, match="at least 2 data rows"):
        load_dataset({"source": "csv", "path": write(tmp_path / "one.csv", "x,y\n1,2\n")}, 0)
    with pytest.raises(DataError, match="no such file"):
        load_dataset({"source": "csv", "path": str(tmp_path / "absent.csv")}, 0)
    with pytest.raises(DataError, match="no column named 'z'"):
        path = write(tmp_path / "h.csv", "x,y\n1,2\n3,4\n")
        load_dataset({"source": "csv", "path": path, "target": "z"}, 0)


def test_csv_not_utf8(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes(b"a,b\n1,2\n3,\xe9\n")
    with pytest.raises(DataError, match=r"latin\.csv line 3.*UTF-8"):
        load_dataset({"source": "csv", "path": str(path)}, 0)


# --- NPZ ----------------------------------------------------------------------------------------------

def test_npz_classification_and_regression(tmp_path):
    path = tmp_path / "d.npz"
    np.savez(path, x=np.arange(20, dtype=np.float64).reshape(10, 2), y=np.array([0, 1] * 5))
    data = load_dataset({"source": "npz", "path": str(path), "val_fraction": 0.0}, 0)
    assert data.task == "classification" and data.class_names == ["0", "1"]
    assert data.x_train.dtype == np.float32 and data.x_train.shape == (10, 2)
    np.savez(path, x=np.ones((6, 1, 4, 4)), y=np.linspace(0, 1, 6))
    data = load_dataset({"source": "npz", "path": str(path), "val_fraction": 0.5}, 0)
    assert data.task == "regression" and data.feature_shape == (1, 4, 4)
    assert data.y_train.shape == (3, 1) and len(data.x_val) == 3


def test_npz_missing_y(tmp_path):
    path = tmp_path / "d.npz"
    np.savez(path, x=np.zeros((4, 2)), labels=np.zeros(4))
    with pytest.raises(DataError, match=r"d\.npz.*no array 'y'.*labels"):
        load_dataset({"source": "npz", "path": str(path)}, 0)


def test_npz_object_array_refused(tmp_path):
    path = tmp_path / "obj.npz"
    np.savez(path, x=np.array([[1], [2]], dtype=object), y=np.array([0, 1]))
    with pytest.raises(DataError, match=r"obj\.npz.*'x'.*Python objects"):
        load_dataset({"source": "npz", "path": str(path)}, 0)


def test_npz_pickle_file_refused_without_unpickling(tmp_path):
    path = tmp_path / "p.npz"
    np.save(path.with_suffix(".npy"), np.array([{"a": 1}], dtype=object), allow_pickle=True)
    path.write_bytes(path.with_suffix(".npy").read_bytes())  # a pickle-bearing .npy under a .npz name
    with pytest.raises(DataError, match=r"p\.npz"):
        load_dataset({"source": "npz", "path": str(path)}, 0)


def test_npz_length_mismatch(tmp_path):
    path = tmp_path / "d.npz"
    np.savez(path, x=np.zeros((5, 2)), y=np.zeros(4, dtype=np.int64))
    with pytest.raises(DataError, match="'x' has 5 samples but 'y' has 4"):
        load_dataset({"source": "npz", "path": str(path)}, 0)


# --- MNIST IDX ------------------------------------------------------------------------------------------

def idx_bytes(array: np.ndarray, magic: int) -> bytes:
    return struct.pack(f">I{array.ndim}I", magic, *array.shape) + array.astype(np.uint8).tobytes()


def write_mnist(folder, prefix, n, gz=False, seed=0):
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 256, (n, 28, 28), dtype=np.uint8)
    labels = rng.integers(0, 10, n, dtype=np.uint8)
    for kind, array, magic in (("images-idx3", images, 0x803), ("labels-idx1", labels, 0x801)):
        data = idx_bytes(array, magic)
        name = folder / f"{prefix}-{kind}-ubyte"
        if gz:
            name.with_name(name.name + ".gz").write_bytes(gzip.compress(data))
        else:
            name.write_bytes(data)
    return images, labels


def test_mnist_train_only_flat(tmp_path):
    images, labels = write_mnist(tmp_path, "train", 5)
    data = load_dataset({"source": "mnist", "path": str(tmp_path)}, 0)
    assert data.x_train.shape == (5, 784) and len(data.x_val) == 0
    assert np.allclose(data.x_train, images.reshape(5, -1) / 255.0)
    assert data.y_train.tolist() == labels.tolist() and data.n_classes == 10


def test_mnist_gz_with_test_set_image_shape_and_limit(tmp_path):
    images, _ = write_mnist(tmp_path, "train", 5, gz=True)
    test_images, test_labels = write_mnist(tmp_path, "t10k", 3, gz=True, seed=1)
    data = load_dataset({"source": "mnist", "path": str(tmp_path), "shape": "image", "limit": 4}, 0)
    assert data.x_train.shape == (4, 1, 28, 28) and data.x_val.shape == (3, 1, 28, 28)
    assert np.allclose(data.x_train[:, 0], images[:4] / 255.0)
    assert data.y_val.tolist() == test_labels.tolist()
    split = load_dataset({"source": "mnist", "path": str(tmp_path), "val_fraction": 0.4}, 0)
    assert len(split.x_train) == 3 and len(split.x_val) == 2  # the test files are left out


def test_mnist_corrupt_magic_and_size(tmp_path):
    write_mnist(tmp_path, "train", 5)
    path = tmp_path / "train-images-idx3-ubyte"
    data = bytearray(path.read_bytes())
    data[3] = 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(DataError, match=r"train-images-idx3-ubyte.*0x00000803 expected, found 0x00000801"):
        load_dataset({"source": "mnist", "path": str(tmp_path)}, 0)
    data[3] = 0x03
    path.write_bytes(bytes(data[:-10]))
    with pytest.raises(DataError, match="3920 bytes of data, the file holds 3910"):
        load_dataset({"source": "mnist", "path": str(tmp_path)}, 0)


def test_mnist_missing_files(tmp_path):
    with pytest.raises(DataError, match="train-images-idx3-ubyte"):
        load_dataset({"source": "mnist", "path": str(tmp_path)}, 0)
    write_mnist(tmp_path, "train", 2)
    (tmp_path / "train-labels-idx1-ubyte").unlink()
    with pytest.raises(DataError, match="train-labels-idx1-ubyte"):
        load_dataset({"source": "mnist", "path": str(tmp_path)}, 0)


# --- CIFAR-10 binary ---------------------------------------------------------------------------------

def write_cifar(path, n, seed=0):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 10, n, dtype=np.uint8)
    pixels = rng.integers(0, 256, (n, 3072), dtype=np.uint8)
    path.write_bytes(np.concatenate([labels[:, None], pixels], axis=1).tobytes())
    return pixels.reshape(n, 3, 32, 32), labels


def test_cifar_binary(tmp_path):
    images, labels = write_cifar(tmp_path / "data_batch_1.bin", 4)
    write_cifar(tmp_path / "data_batch_2.bin", 3, seed=1)
    _, test_labels = write_cifar(tmp_path / "test_batch.bin", 2, seed=2)
    data = load_dataset({"source": "cifar10", "path": str(tmp_path)}, 0)
    assert data.x_train.shape == (7, 3, 32, 32) and data.x_val.shape == (2, 3, 32, 32)
    assert np.allclose(data.x_train[:4], images / 255.0)
    assert data.y_train[:4].tolist() == labels.tolist() and data.y_val.tolist() == test_labels.tolist()
    assert data.class_names[0] == "airplane" and data.n_classes == 10
    limited = load_dataset({"source": "cifar10", "path": str(tmp_path), "limit": 5, "shape": "flat"}, 0)
    assert limited.x_train.shape == (5, 3072)


def test_cifar_meta_names_and_bad_size(tmp_path):
    write_cifar(tmp_path / "data_batch_1.bin", 2)
    (tmp_path / "batches.meta.txt").write_text("\n".join(f"c{i}" for i in range(10)) + "\n\n")
    data = load_dataset({"source": "cifar10", "path": str(tmp_path)}, 0)
    assert data.class_names == [f"c{i}" for i in range(10)] and len(data.x_val) == 0
    (tmp_path / "data_batch_1.bin").write_bytes(b"\x00" * 3000)
    with pytest.raises(DataError, match=r"data_batch_1\.bin.*3073-byte"):
        load_dataset({"source": "cifar10", "path": str(tmp_path)}, 0)


def test_cifar_pickled_version_refused(tmp_path):
    (tmp_path / "data_batch_1").write_bytes(b"\x80\x04not really a pickle")
    with pytest.raises(DataError, match="pickled.*binary version"):
        load_dataset({"source": "cifar10", "path": str(tmp_path)}, 0)


def test_cifar_empty_folder(tmp_path):
    with pytest.raises(DataError, match=r"data_batch_1\.bin"):
        load_dataset({"source": "cifar10", "path": str(tmp_path)}, 0)


def test_csv_columns_names_the_columns_before_loading(tmp_path):
    from weightstudio.core.data import csv_columns

    with_header = tmp_path / "h.csv"
    with_header.write_text("# made by hand\nheight;weight;label\n1.5;60;a\n1.8;80;b\n")
    assert csv_columns(with_header) == (["height", "weight", "label"], True)
    plain = tmp_path / "p.csv"
    plain.write_text("1,2,3\n4,5,6\n")
    assert csv_columns(plain) == (["column 1", "column 2", "column 3"], False)
    assert csv_columns(tmp_path / "missing.csv") is None


def test_csv_one_header_rule_for_csv_columns_and_the_loader(tmp_path):
    from weightstudio.core.data import csv_columns

    # Years as column names: text above a number makes the first row a header, for both.
    years = write(tmp_path / "years.csv", "2019,2020,label\n1,2,3\n4,5,6\n")
    assert csv_columns(years) == (["2019", "2020", "label"], True)
    data = load_dataset({"source": "csv", "path": years, "val_fraction": 0.0}, 0)
    assert data.x_train.tolist() == [[1, 2], [4, 5]] and data.class_names == ["3", "6"]
    by_name = load_dataset({"source": "csv", "path": years, "target": "label", "val_fraction": 0.0}, 0)
    assert np.array_equal(by_name.x_train, data.x_train)
    # Text above text may be a class: no header, for both.
    labels = write(tmp_path / "labels.csv", "2019,2020,label\n1,2,cat\n3,4,dog\n")
    assert csv_columns(labels) == (["column 1", "column 2", "column 3"], False)
    data = load_dataset({"source": "csv", "path": labels, "val_fraction": 0.0}, 0)
    assert len(data.x_train) == 3 and data.class_names == ["cat", "dog", "label"]


def test_csv_target_named_twice_is_refused(tmp_path):
    path = write(tmp_path / "twice.csv", "y,a,y\n1,2,3\n4,5,6\n")
    with pytest.raises(DataError, match=r"twice\.csv: 2 columns are named 'y'; choose the target by its column"):
        load_dataset({"source": "csv", "path": path, "target": "y"}, 0)


def test_csv_typo_in_a_numeric_target_is_an_error_not_a_class(tmp_path):
    # Issue 9, finding 5: this became "3 classes (2, 4, abc)" with no message.
    path = write(tmp_path / "typo.csv", "x,y\n1,2\n2,abc\n3,4\n")
    with pytest.raises(DataError, match=r"typo\.csv line 3: column 'y' has 'abc', not a number like 2 of the "
                                        r"column's 3 values \(set task 'classification'"):
        load_dataset({"source": "csv", "path": path}, 0)
    chosen = load_dataset({"source": "csv", "path": path, "task": "classification", "val_fraction": 0.0}, 0)
    assert chosen.class_names == ["2", "4", "abc"]  # asked for, so no longer silent
    text = write(tmp_path / "text.csv", "x,y\n1,cat\n2,dog\n3,5\n")  # text labels, one of them a number
    assert load_dataset({"source": "csv", "path": text, "val_fraction": 0.0}, 0).class_names == ["5", "cat", "dog"]


def test_csv_field_beyond_the_csv_module_limit_is_a_data_error(tmp_path):
    path = write(tmp_path / "long.csv", "a,b\n1,2\n3,\"" + "x" * 200_000 + "\"\n")
    with pytest.raises(DataError, match=r"long\.csv line 3: field larger than field limit"):
        load_dataset({"source": "csv", "path": path}, 0)


def test_csv_header_only_says_so_without_a_numpy_warning(tmp_path):
    import warnings

    path = write(tmp_path / "head.csv", "x,y\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(DataError, match="at least 2 data rows, found 0"):
            load_dataset({"source": "csv", "path": path}, 0)


def test_class_labels_beyond_int64_keep_their_names(tmp_path):
    path = write(tmp_path / "big.csv", "1,1e30\n2,2e30\n3,1e30\n")
    data = load_dataset({"source": "csv", "path": path, "task": "classification", "val_fraction": 0.0}, 0)
    assert data.class_names == [str(int(1e30)), str(int(2e30))] and data.y_train.tolist() == [0, 1, 0]


def test_npz_values_beyond_float32_and_labels_that_are_not_text(tmp_path):
    path = tmp_path / "d.npz"
    np.savez(path, x=np.array([[1.0], [1e300]]), y=np.array([0, 1]))
    with pytest.raises(DataError, match=r"d\.npz: array 'x' contains NaN, infinite values or values beyond float32"):
        load_dataset({"source": "npz", "path": str(path)}, 0)
    np.savez(path, x=np.zeros((2, 1)), y=np.array([b"\xff", b"a"]))
    with pytest.raises(DataError, match="'y' holds bytes that are not UTF-8"):
        load_dataset({"source": "npz", "path": str(path)}, 0)
    np.savez(path, x=np.zeros((2, 1)), y=np.array(["é".encode(), b"a"]))
    assert load_dataset({"source": "npz", "path": str(path), "val_fraction": 0.0}, 0).class_names == ["a", "é"]
    np.savez(path, x=np.zeros((2, 1)), y=np.array([np.inf, 1.0]))
    with pytest.raises(DataError, match="NaN or infinite values, which are not class labels"):
        load_dataset({"source": "npz", "path": str(path), "task": "classification"}, 0)
    np.savez(path, x=np.zeros((2, 1)), y=np.zeros((2, 0)))
    with pytest.raises(DataError, match=r"'y' for regression must have shape \(n,\) or \(n, targets\)"):
        load_dataset({"source": "npz", "path": str(path)}, 0)


def test_cifar_meta_naming_a_class_twice(tmp_path):
    write_cifar(tmp_path / "data_batch_1.bin", 2)
    (tmp_path / "batches.meta.txt").write_text("\n".join(["cat"] * 2 + [f"c{i}" for i in range(8)]))
    with pytest.raises(DataError, match=r"batches\.meta\.txt: names a class twice"):
        load_dataset({"source": "cifar10", "path": str(tmp_path)}, 0)
