"""Export as a PyTorch script: the script, run where weightstudio cannot be imported, trains the run bit for bit.

Every preset and five custom runs (CSV classification with dropout and non-default inits, CSV regression, a conv
net with pooling and dropout on an NPZ file, MNIST IDX files, CIFAR-10 batches) are trained with
`weightstudio train`, exported with `weightstudio export-script`, and the scripts run in one isolated interpreter
in which `import weightstudio` fails. Their final_state.pt must equal the last snapshot of the run's history.npz
with torch.equal, and weights_history.npz every epoch's snapshot.
"""

from __future__ import annotations

import ast
import gzip
import importlib.util
import json
import py_compile
import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from weightstudio import cli
from weightstudio.core.config import RunConfig, TrainSettings
from weightstudio.core.export import ExportError, default_lang, export_script, script_source, words
from weightstudio.core.io import load_npz
from weightstudio.core.presets import PRESETS, get_preset
from weightstudio.core.spec import InitSpec, LayerSpec, ModelSpec

EPOCHS = 3
CJK = re.compile(r"[\u4e00-\u9fff]")

# Runs each exported script in turn, in one interpreter (torch is imported once), with weightstudio unimportable.
RUNNER = r'''
import contextlib, json, runpy, sys, traceback
sys.modules["weightstudio"] = None  # any `import weightstudio...` now raises ImportError
try:
    import weightstudio  # noqa: F401
    blocked = False
except ImportError:
    blocked = True
results = {"blocked": blocked}
for job in json.loads(open(sys.argv[1], encoding="utf-8").read()):
    with open(job["log"], "w", encoding="utf-8") as log, contextlib.redirect_stdout(log):
        sys.argv = [job["script"], *job["args"]]
        try:
            runpy.run_path(job["script"], run_name="__main__")
            status = 0
        except SystemExit as e:
            status = e.code
        except BaseException:
            traceback.print_exc(file=log)
            status = 1
    results[job["name"]] = status
print(json.dumps(results))
'''


def _linear(n, w_init=None, b_init=None, **params):
    return LayerSpec("Linear", {"out_features": n, **params}, InitSpec.from_dict(w_init), InitSpec.from_dict(b_init))


def _conv(c, k, w_init=None, b_init=None, **params):
    return LayerSpec("Conv2d", {"out_channels": c, "kernel_size": k, **params}, InitSpec.from_dict(w_init),
                     InitSpec.from_dict(b_init))


def _csv_classes(folder: Path) -> RunConfig:
    """Text labels in a named middle column, a header, CRLF lines, a comment and a blank line."""
    rng = np.random.default_rng(11)
    x = rng.normal(size=(120, 8))
    kinds = np.array(["oak", "ash", "elm"])[rng.integers(0, 3, 120)]
    lines = ["# made by test_export_script", "a,b,c,d,kind,e,f,g,h"]
    for row, kind in zip(x, kinds):
        cells = [repr(float(v)) for v in row]
        lines.append(",".join(cells[:4] + [kind] + cells[4:]))
        if len(lines) == 40:
            lines.append("")
    path = folder / "trees.csv"
    path.write_bytes("\r\n".join(lines).encode() + b"\r\n")
    model = ModelSpec((8,), [
        _linear(16, {"scheme": "xavier_uniform", "gain": 0.5}, {"scheme": "uniform", "a": -0.2, "b": 0.2}),
        LayerSpec("LeakyReLU", {"negative_slope": 0.1}),
        LayerSpec("Dropout", {"p": 0.3}),
        _linear(12, {"scheme": "kaiming_normal"}, {"scheme": "constant", "value": 0.05}),
        LayerSpec("Tanh"),
        _linear(3, {"scheme": "normal", "mean": 0.0, "std": 0.1}, {"scheme": "zeros"}),
    ])
    data = {"source": "csv", "path": str(path), "target": "kind", "val_fraction": 0.25}
    return RunConfig(model, data, TrainSettings(loss="cross_entropy", optimizer="adam", lr=0.01, weight_decay=1e-4,
                                                l1=1e-4, batch_size=16, epochs=EPOCHS, seed=7), "csv-trees")


def _csv_regression(folder: Path) -> RunConfig:
    """No header, ';' between cells, the target in the first column."""
    rng = np.random.default_rng(12)
    x = rng.uniform(-2, 2, size=(50, 3))
    y = x @ np.array([1.5, -0.5, 0.25]) + 0.1 * rng.normal(size=50)
    path = folder / "reg.csv"
    path.write_text("\n".join(";".join(f"{v:.7f}" for v in (t, *row)) for t, row in zip(y, x)) + "\n")
    model = ModelSpec((3,), [_linear(8), LayerSpec("GELU"), _linear(4, bias=False), LayerSpec("Sigmoid"), _linear(1)])
    data = {"source": "csv", "path": str(path), "target": 0, "val_fraction": 0.0}
    return RunConfig(model, data, TrainSettings(loss="mse", optimizer="sgd", lr=0.05, momentum=0.9, nesterov=True,
                                                epochs=EPOCHS, seed=2), "csv-regression")


def _npz_conv(folder: Path) -> RunConfig:
    """1×6×6 float64 images, labels 3, 5 and 9: conv, max and average pooling, dropout, non-default inits."""
    rng = np.random.default_rng(13)
    path = folder / "images.npz"
    np.savez(path, x=rng.normal(size=(60, 1, 6, 6)), y=rng.choice([3, 5, 9], 60))
    model = ModelSpec((1, 6, 6), [
        _conv(4, 3, {"scheme": "kaiming_uniform"}, {"scheme": "normal", "mean": 0.0, "std": 0.05}, padding=1),
        LayerSpec("ReLU"),
        LayerSpec("MaxPool2d", {"kernel_size": 2}),
        LayerSpec("Dropout", {"p": 0.2}),
        _conv(6, 2, {"scheme": "xavier_normal", "gain": 1.0}, bias=False),
        LayerSpec("AvgPool2d", {"kernel_size": 2, "stride": 1}),
        LayerSpec("Flatten"),
        _linear(3),
    ])
    data = {"source": "npz", "path": str(path), "val_fraction": 0.2}
    return RunConfig(model, data, TrainSettings(loss="cross_entropy", optimizer="rmsprop", lr=0.005, batch_size=8,
                                                epochs=EPOCHS, seed=3), "npz-conv")


def _idx(array: np.ndarray, magic: int) -> bytes:
    return struct.pack(f">I{array.ndim}I", magic, *array.shape) + array.astype(np.uint8).tobytes()


def _mnist(folder: Path) -> RunConfig:
    """Gzipped IDX files, a limit, the t10k files as the validation set."""
    rng = np.random.default_rng(14)
    mnist = folder / "mnist"
    mnist.mkdir()
    for prefix, n in (("train", 40), ("t10k", 12)):
        (mnist / f"{prefix}-images-idx3-ubyte.gz").write_bytes(
            gzip.compress(_idx(rng.integers(0, 256, (n, 28, 28)), 0x803)))
        (mnist / f"{prefix}-labels-idx1-ubyte.gz").write_bytes(gzip.compress(_idx(rng.integers(0, 10, n), 0x801)))
    model = ModelSpec((784,), [_linear(16), LayerSpec("Sigmoid"), _linear(10)])
    data = {"source": "mnist", "path": str(mnist), "shape": "flat", "limit": 30}
    return RunConfig(model, data, TrainSettings(loss="cross_entropy", optimizer="adagrad", lr=0.05, batch_size=8,
                                                epochs=EPOCHS, seed=4), "mnist-tiny")


def _cifar(folder: Path) -> RunConfig:
    """Two training batches (the limit cuts into the second) and test_batch.bin as the validation set."""
    rng = np.random.default_rng(15)
    cifar = folder / "cifar"
    cifar.mkdir()
    for name, n in (("data_batch_1.bin", 12), ("data_batch_2.bin", 10), ("test_batch.bin", 6)):
        records = np.concatenate([rng.integers(0, 10, (n, 1)), rng.integers(0, 256, (n, 3072))], axis=1)
        (cifar / name).write_bytes(records.astype(np.uint8).tobytes())
    model = ModelSpec((3, 32, 32), [_conv(4, 4, stride=4), LayerSpec("ReLU"), LayerSpec("MaxPool2d", {"kernel_size": 2}),
                                    LayerSpec("Flatten"), _linear(10)])
    data = {"source": "cifar10", "path": str(cifar), "shape": "image", "limit": 18}
    return RunConfig(model, data, TrainSettings(loss="cross_entropy", optimizer="sgd", lr=0.02, momentum=0.5,
                                                batch_size=6, epochs=EPOCHS, seed=5), "cifar-tiny")


CUSTOM = {"csv-trees": _csv_classes, "csv-regression": _csv_regression, "npz-conv": _npz_conv,
          "mnist-tiny": _mnist, "cifar-tiny": _cifar}
CASES = [*PRESETS, *CUSTOM]


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """Train every case with `weightstudio train`, export it, run all the scripts; {case: folder}."""
    root = tmp_path_factory.mktemp("export")
    threads = torch.get_num_threads()  # `weightstudio train` sets it for the process
    jobs, folders = [], {}
    try:
        for i, name in enumerate(CASES):
            case = root / name
            case.mkdir()
            if name in PRESETS:
                source = ["--preset", name, "--epochs", str(EPOCHS)]
            else:
                cfg = CUSTOM[name](case)
                (case / "config.json").write_text(json.dumps(cfg.to_dict()))
                source = ["--config", str(case / "config.json")]
            assert cli.main(["train", *source, "--out", str(case / "run"), "--no-figures", "--quiet"]) == 0
            lang = "zh" if i % 2 else "en"
            assert cli.main(["export-script", str(case / "run"), "--out", str(case / "train_run.py"),
                             "--lang", lang]) == 0
            jobs.append({"name": name, "script": str(case / "train_run.py"), "args": ["--out", str(case / "out")],
                         "log": str(case / "log.txt")})
            folders[name] = case
    finally:
        torch.set_num_threads(threads)
    (root / "jobs.json").write_text(json.dumps(jobs))
    proc = subprocess.run([sys.executable, "-I", "-c", RUNNER, str(root / "jobs.json")], capture_output=True,
                          text=True, timeout=600, cwd=root, check=False)
    assert proc.returncode == 0, proc.stderr
    results = json.loads(proc.stdout.strip().splitlines()[-1])
    assert results.pop("blocked"), "weightstudio was importable in the scripts' interpreter"
    for name, case in folders.items():
        (case / "status").write_text(str(results[name]))
    return folders


@pytest.mark.parametrize("name", CASES)
def test_script_reproduces_the_run_bit_for_bit(exported, name):
    case = exported[name]
    log = (case / "log.txt").read_text(encoding="utf-8")
    assert (case / "status").read_text() == "0", log
    hist = load_npz(case / "run" / "history.npz")
    names = [k[len("param/"):] for k in hist if k.startswith("param/")]
    state = torch.load(case / "out" / "final_state.pt", weights_only=True)
    assert list(state) == names
    for n in names:
        expected = torch.from_numpy(hist[f"param/{n}"][-1])
        assert torch.equal(state[n], expected), f"{name}: {n} differs by {(state[n] - expected).abs().max():g}"
    with np.load(case / "out" / "weights_history.npz", allow_pickle=False) as wh:
        assert sorted(wh.files) == sorted(names)
        for n in names:  # row 0 the initial weights, row e after epoch e: the studio's snapshots
            assert np.array_equal(wh[n], hist[f"param/{n}"]), f"{name}: weights_history[{n!r}]"
    assert re.search(rf"epoch {EPOCHS}/{EPOCHS}  train_loss \d", log), log
    if importlib.util.find_spec("matplotlib") is None:
        assert "matplotlib" in log  # the note that the figures were skipped
    else:
        assert all((case / "out" / f).is_file() for f in ("loss.png", "weights.png", "heatmaps.png"))


def _imports(tree: ast.AST) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("name", CASES)
def test_script_compiles_and_imports_only_torch_numpy_and_the_standard_library(exported, name, tmp_path):
    script = exported[name] / "train_run.py"
    py_compile.compile(str(script), cfile=str(tmp_path / "x.pyc"), doraise=True)
    text = script.read_text(encoding="utf-8")
    allowed = {"torch", "numpy", "matplotlib", *sys.stdlib_module_names}
    assert _imports(ast.parse(text)) <= allowed
    assert "weightstudio" not in text.split('"""', 2)[2]  # only the docstring names where it came from
    assert "pickle" not in text.replace("allow_pickle=False", "").replace("unpickled", "")  # never pickle.load
    zh = bool(CJK.search(text))
    assert zh == (CASES.index(name) % 2 == 1)  # the zh exports comment in Chinese, the en ones do not


def _ruff() -> list[str] | None:
    if shutil.which("ruff"):
        return ["ruff"]
    if importlib.util.find_spec("ruff"):
        return [sys.executable, "-m", "ruff"]
    return None


@pytest.mark.skipif(_ruff() is None, reason="ruff is not installed")
def test_scripts_pass_ruff_with_default_rules(exported, tmp_path):
    scripts = [str(exported[name] / "train_run.py") for name in CASES]
    proc = subprocess.run([*_ruff(), "check", "--no-cache", "--isolated", *scripts], capture_output=True,
                          text=True, cwd=tmp_path, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_plain_run_of_the_5x1_script_records_weights_history_like_the_post(tmp_path):
    """As a student runs it: `python train_run.py --out DIR`, here with fewer epochs."""
    script = tmp_path / "train_run.py"
    assert export_script(get_preset("linear-5x1").config(), script, lang="en") == [script]
    proc = subprocess.run([sys.executable, "-I", str(script), "--out", "res", "--epochs", "20"],
                          capture_output=True, text=True, cwd=tmp_path, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    printed = [ln for ln in proc.stdout.splitlines() if ln.startswith("epoch")]
    assert [ln.split()[1] for ln in printed] == [f"{e}/20" for e in range(2, 21, 2)]  # every N = epochs // 10
    with np.load(tmp_path / "res" / "weights_history.npz", allow_pickle=False) as wh:
        assert wh["0.weight"].shape == (21, 1, 5)  # the post's [epochs, 1, 5], plus the initial weights
    assert sorted(torch.load(tmp_path / "res" / "final_state.pt", weights_only=True)) == ["0.bias", "0.weight"]


def test_digits_are_copied_beside_the_script_and_a_path_can_be_given(tmp_path):
    written = export_script(get_preset("digits-mlp").config(), tmp_path / "a" / "run.py", lang="en")
    assert [p.name for p in written] == ["run.py", "digits.npz"]
    text = written[0].read_text(encoding="utf-8")
    assert 'DATA = Path(__file__).with_name("digits.npz")' in text
    assert 'parser.add_argument("--data"' in text


def test_model_code_keeps_the_studio_names_and_draw_order():
    text, _ = script_source(get_preset("digits-mlp").config(), "en")
    assert "model = nn.Sequential()" in text  # random inits: made and initialised one layer at a time
    assert text.index("model.append(nn.Linear(64, 128))") < text.index("nn.init.normal_(model[0].weight")
    assert text.index("nn.init.zeros_(model[0].bias)") < text.index("model.append(nn.ReLU())")
    plain, _ = script_source(get_preset("quadratic-1-10-1").config(), "en")
    assert "nn.Linear(1, 10),  # 0: weight (10, 1), bias (10,) → 10" in plain
    assert "nn.init" not in plain.split("def build_model")[1].split("return model")[0]  # default inits only


def test_words_tables_agree():
    assert words.EN.keys() == words.ZH.keys()
    field = re.compile(r"{(\w*)}")
    for key in words.EN:
        assert set(field.findall(words.EN[key])) == set(field.findall(words.ZH[key])), key
        assert '"' not in words.EN[key] + words.ZH[key], key  # they go inside "..." literals of the script
    assert not CJK.search("".join(words.EN.values()))


@pytest.mark.parametrize("env, lang", [({"LANG": "zh_CN.UTF-8"}, "zh"), ({"LANG": "en_US.UTF-8"}, "en"),
                                       ({"LC_ALL": "zh_TW", "LANG": "en_US"}, "zh"), ({}, "en"),
                                       ({"LC_ALL": "C", "LANG": "zh_CN"}, "en")])
def test_default_language_follows_the_locale(env, lang):
    assert default_lang(env) == lang


def _error(capsys, *argv) -> str:
    assert cli.main(["export-script", *argv]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("weightstudio: error: ") and "\n" not in err
    return err


def test_unexportable_runs_get_one_line_errors_and_write_nothing(tmp_path, capsys):
    out = tmp_path / "train_run.py"
    assert "no such file" in _error(capsys, str(tmp_path / "nothing"), "--out", str(out))

    cfg = get_preset("quadratic-1-10-1").config()
    cfg.data = {"source": "csv", "path": str(tmp_path / "gone.csv")}
    (tmp_path / "missing.json").write_text(json.dumps(cfg.to_dict()))
    assert "cannot export" in _error(capsys, str(tmp_path / "missing.json"), "--out", str(out))

    cfg = get_preset("digits-mlp").config()
    cfg.model.input_shape = (63,)
    (tmp_path / "shape.json").write_text(json.dumps(cfg.to_dict()))
    assert "input shape (63,)" in _error(capsys, str(tmp_path / "shape.json"), "--out", str(out))

    cfg = get_preset("simplenet-2-5-1").config()
    cfg.data = {"source": "blobs", "classes": 3}
    (tmp_path / "bce.json").write_text(json.dumps(cfg.to_dict()))
    assert "bce_with_logits" in _error(capsys, str(tmp_path / "bce.json"), "--out", str(out))
    assert not out.exists()

    with pytest.raises(ExportError, match="cannot export"):
        export_script(RunConfig(ModelSpec((1,), [_linear(3)]), {"source": "quadratic"}), out)


def test_cli_exports_from_a_run_json_with_chinese_comments(tmp_path, capsys):
    cfg = get_preset("line-2x+1").config()
    (tmp_path / "run.json").write_text(json.dumps(cfg.to_dict()))
    assert cli.main(["export-script", str(tmp_path / "run.json"), "--out", str(tmp_path), "--lang", "zh"]) == 0
    assert f"wrote {tmp_path / 'train_run.py'}" in capsys.readouterr().out
    text = (tmp_path / "train_run.py").read_text(encoding="utf-8")
    assert "y = 2.0 * x + 1.0 + 1.0 * torch.randn(100, 1, generator=g)" in text
    assert "学习率" in text


def test_odd_header_cells_and_paths_still_give_valid_python(tmp_path):
    folder = tmp_path / 'it\'s "here"'
    folder.mkdir()
    path = folder / "odd.csv"
    path.write_text('"a\nb",\'c\',"say ""hi"""\n1,2,x\n3,4,y\n5,6,x\n7,8,y\n', encoding="utf-8")
    cfg = RunConfig(ModelSpec((2,), [_linear(2)]), {"source": "csv", "path": str(path), "val_fraction": 0.0},
                    TrainSettings(loss="cross_entropy", epochs=1))
    for lang in words.LANGS:
        text, _ = script_source(cfg, lang)
        compile(text, "train_run.py", "exec")
        assert f"DATA = Path({str(path)!r})" in text
