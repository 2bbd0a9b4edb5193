"""Writes a run as a standalone PyTorch script, in the style of the seed posts, that reproduces it bit for bit.

The script repeats what `core.engine.Trainer` does, step for step: the global seed before the model is built,
each layer's init right after it is made, the global seed again before training (dropout), a separate
`torch.Generator` for the batch order with one `randperm` per epoch, the whole set in order when there are no
mini-batches, the same loss with its L1 term, the same optimizer and settings, and one thread for a small net
(`choose_threads`). It imports only torch and numpy, and matplotlib (optional) for the figures.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from ... import __version__
from ..builder import param_table
from ..config import ConfigError, RunConfig
from ..data import DataError, Dataset, load_dataset, output_size
from ..engine import choose_threads
from ..presets import PRESETS
from ..resources import resource
from ..spec import LayerSpec, SpecError
from ..tasks import get_loss
from .data_code import DataCode, data_code, num
from .words import Words, default_lang

# Inits that draw random numbers: with one of them the layers must be made and initialised one by one.
RANDOM_INITS = ("normal", "uniform", "xavier_uniform", "xavier_normal", "kaiming_uniform", "kaiming_normal")
MAX_LINES = 50  # weights.png draws at most this many lines per parameter


class ExportError(ConfigError):
    """A run that cannot be written as a script; the message is one line naming the problem."""


def _one_line(e: Exception) -> str:
    return " ".join(str(e).split())


def _check(config: RunConfig, dataset: Dataset | None) -> Dataset:
    """The data set, after the checks the engine makes before training: what fails here would fail there."""
    try:
        config.train.validate()
        if dataset is None:
            dataset = load_dataset(config.data, config.train.seed)
    except (ConfigError, DataError) as e:
        raise ExportError(f"cannot export: {_one_line(e)}") from None
    problem = get_loss(config.train.loss).problem(dataset)
    if problem:
        raise ExportError(f"cannot export: {problem}")
    err = config.model.check(output_size(config.train.loss, dataset))
    if err:
        raise ExportError(f"cannot export: model: {_one_line(err)}")
    if dataset.feature_shape != tuple(config.model.input_shape):
        raise ExportError(f"cannot export: model: input shape {tuple(config.model.input_shape)} does not match "
                          f"the data's {dataset.feature_shape} ({dataset.name})")
    return dataset


# ---- the model ----

def _shape(shape: tuple[int, ...]) -> str:
    return "×".join(map(str, shape))


def _layer_code(layer: LayerSpec, in_shape: tuple[int, ...]) -> str:
    k, p = layer.kind, layer.params
    if k == "Linear":
        return f"nn.Linear({in_shape[0]}, {int(p['out_features'])}{'' if p['bias'] else ', bias=False'})"
    if k == "Conv2d":
        args = [str(in_shape[0]), str(int(p["out_channels"])), f"kernel_size={int(p['kernel_size'])}"]
        if int(p["stride"]) != 1:
            args.append(f"stride={int(p['stride'])}")
        if int(p["padding"]):
            args.append(f"padding={int(p['padding'])}")
        if not p["bias"]:
            args.append("bias=False")
        return f"nn.Conv2d({', '.join(args)})"
    if k in ("MaxPool2d", "AvgPool2d"):
        stride = "" if p["stride"] is None else f", stride={int(p['stride'])}"
        return f"nn.{k}({int(p['kernel_size'])}{stride})"
    if k == "Dropout":
        return f"nn.Dropout(p={num(p['p'])})"
    if k == "LeakyReLU":
        return f"nn.LeakyReLU(negative_slope={num(p['negative_slope'])})"
    return f"nn.{k}()"


def _init_code(target: str, scheme: str, args: dict) -> str | None:
    a = {k: num(v) for k, v in args.items()}
    return {
        "default": None,
        "normal": f"nn.init.normal_({target}, mean={a.get('mean')}, std={a.get('std')})",
        "uniform": f"nn.init.uniform_({target}, a={a.get('a')}, b={a.get('b')})",
        "zeros": f"nn.init.zeros_({target})",
        "constant": f"nn.init.constant_({target}, {a.get('value')})",
        "xavier_uniform": f"nn.init.xavier_uniform_({target}, gain={a.get('gain')})",
        "xavier_normal": f"nn.init.xavier_normal_({target}, gain={a.get('gain')})",
        "kaiming_uniform": f'nn.init.kaiming_uniform_({target}, nonlinearity="relu")',
        "kaiming_normal": f'nn.init.kaiming_normal_({target}, nonlinearity="relu")',
    }[scheme]


def _model_function(config: RunConfig, w: Words) -> str:
    spec = config.model
    shapes = spec.output_shapes()
    params = {}
    for row in param_table(spec):
        params.setdefault(row.layer, []).append(row)
    rows, in_shape = [], tuple(spec.input_shape)
    for i, (layer, out_shape) in enumerate(zip(spec.layers, shapes)):
        note = f"{i}: "
        if layer.has_weights:
            note += ", ".join(f"{r.name.split('.')[1]} {tuple(r.shape)}" for r in params.get(i, []))
            note += f" → {_shape(out_shape)}"
        elif out_shape != in_shape:
            note += f"→ {_shape(out_shape)}"
        else:
            note = note.rstrip(": ")
        inits = []
        if layer.has_weights:
            inits.append(_init_code(f"model[{i}].weight", layer.weight_init.scheme, layer.weight_init.args))
            if layer.params["bias"]:
                inits.append(_init_code(f"model[{i}].bias", layer.bias_init.scheme, layer.bias_init.args))
        rows.append((_layer_code(layer, in_shape), note, [c for c in inits if c]))
        in_shape = out_shape

    one_by_one = any(layer.has_weights and (layer.weight_init.scheme in RANDOM_INITS
                                            or layer.bias_init.scheme in RANDOM_INITS) for layer in spec.layers)
    doc = w("model_doc").replace("\n", "\n    ")
    lines = ["def build_model():", f'    """{doc}"""']
    if one_by_one:
        lines += ["    # " + line for line in w("init_order").split("\n")]
        lines.append("    model = nn.Sequential()")
        for code, note, inits in rows:
            lines.append(f"    model.append({code})  # {note}")
            lines += [f"    {c}" for c in inits]
    else:
        lines.append("    model = nn.Sequential(")
        lines += [f"        {code},  # {note}" for code, note, _ in rows]
        lines.append("    )")
        lines += [f"    {c}" for _, _, inits in rows for c in inits]
    lines.append("    return model")
    return "\n".join(lines)


# ---- the whole script ----

def _docstring(config: RunConfig, w: Words, script_name: str) -> str:
    preset = PRESETS.get(config.name)
    title = config.name or "run"
    if preset is not None:
        title += f": {preset.title}"
    run = f"python {script_name} --out results"
    return "\n".join([f'"""{title}', "", w("exported", version=__version__), "", w("run_it"), "", f"    {run}", "",
                      w("needs"), w("writes"), '"""'])


def _settings(config: RunConfig, w: Words, data: DataCode) -> list[str]:
    t = config.train
    rows = [("SEED", str(t.seed), w("seed")),
            ("EPOCHS", str(t.epochs), ""),
            ("BATCH_SIZE", num(t.batch_size), w("batch_size")),
            ("LR", num(t.lr), w("lr"))]
    if t.optimizer == "sgd":
        rows.append(("MOMENTUM", num(t.momentum), w("momentum")))
        if t.nesterov:
            rows.append(("NESTEROV", "True", w("nesterov")))
    rows += [("WEIGHT_DECAY", num(t.weight_decay), w("weight_decay")),
             ("L1", num(t.l1), w("l1"))]
    if data.path is not None:
        rows.append(("DATA", data.path, data.path_comment))
    return [f"{name} = {value}" + (f"  # {c}" if c else "") for name, value, c in rows]


def _optimizer(config: RunConfig) -> str:
    t = config.train
    if t.optimizer == "sgd":
        nesterov = ", nesterov=NESTEROV" if t.nesterov else ""
        return (f"torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM{nesterov}, "
                "weight_decay=WEIGHT_DECAY)")
    cls = {"adam": "Adam", "rmsprop": "RMSprop", "adagrad": "Adagrad"}[t.optimizer]
    return f"torch.optim.{cls}(model.parameters(), lr=LR, weight_decay=WEIGHT_DECAY)"


def _training(config: RunConfig, w: Words) -> str:
    t = config.train
    loss_cls = {"mse": "MSELoss", "cross_entropy": "CrossEntropyLoss", "bce_with_logits": "BCEWithLogitsLoss"}[t.loss]
    classification = t.loss != "mse"
    if t.loss == "bce_with_logits":
        acc = "((out > 0).float() == y).float().mean().item()"
    else:
        acc = "(out.argmax(1) == y).float().mean().item()"
    eval_return = f"return criterion(out, y).item(), {acc}" if classification else "return criterion(out, y).item()"
    val_print = ('                line += f"  val_loss {val_loss:.5g}  val_acc {100 * val_acc:.1f}%"' if classification
                 else '                line += f"  val_loss {val_loss:.5g}"')
    val_eval = ("                val_loss, val_acc = evaluate(model, criterion, x_val, y_val)" if classification
                else "                val_loss = evaluate(model, criterion, x_val, y_val)")
    return f'''def batches(x, y, shuffle):
    """{w("batches_doc")}"""
    n = len(x)
    if BATCH_SIZE is None or BATCH_SIZE >= n:
        yield x, y
        return
    order = torch.randperm(n, generator=shuffle).to(x.device)
    for start in range(0, n, BATCH_SIZE):
        idx = order[start:start + BATCH_SIZE]
        yield x[idx], y[idx]


@torch.no_grad()
def evaluate(model, criterion, x, y):
    """{w("eval_doc", acc=w("eval_acc") if classification else "")}"""
    model.eval()
    out = model(x)
    {eval_return}


def train(model, x_train, y_train, x_val, y_val, epochs):
    """{w("train_doc")}"""
    criterion = nn.{loss_cls}()
    optimizer = {_optimizer(config)}
    shuffle = torch.Generator().manual_seed(SEED)  # {w("shuffle")}
    torch.manual_seed(SEED)  # {w("global_seed")}
    # {w("history")}
    weights_history = {{name: [p.detach().cpu().numpy().copy()] for name, p in model.named_parameters()}}
    losses = []
    print_every = max(1, epochs // 10)
    for epoch in range(1, epochs + 1):
        model.train()
        step_losses = []
        for xb, yb in batches(x_train, y_train, shuffle):
            out = model(xb)  # {w("forward")}
            loss = criterion(out, yb)
            if L1:  # {w("l1_term")}
                loss = loss + L1 * sum(p.abs().sum() for name, p in model.named_parameters() if name.endswith("weight"))
            optimizer.zero_grad()  # {w("zero_grad")}
            loss.backward()  # {w("backward")}
            optimizer.step()  # {w("step")}
            step_losses.append(loss.item())
            if not math.isfinite(step_losses[-1]):
                print(f"{w("diverged", epoch="{epoch}", loss="{step_losses[-1]}")}")
                return weights_history, losses
        for name, p in model.named_parameters():  # {w("record")}
            weights_history[name].append(p.detach().cpu().numpy().copy())
        losses.append(sum(step_losses) / len(step_losses))
        if epoch % print_every == 0 or epoch == epochs:
            line = f"epoch {{epoch:>{{len(str(epochs))}}}}/{{epochs}}  train_loss {{losses[-1]:.5g}}"
            if len(x_val):
{val_eval}
{val_print}
            print(line)
    return weights_history, losses'''


def _figures(w: Words) -> str:
    doc = w("figures_doc")
    return f'''def draw_figures(weights_history, losses, out):
    """{doc}"""
    try:
        import matplotlib
        matplotlib.use("Agg")  # {w("agg")}
        import matplotlib.pyplot as plt
    except ImportError:
        print("{w("no_mpl")}")
        return

    fig, ax = plt.subplots(figsize=(8, 4))
    ax.plot(range(1, len(losses) + 1), losses)
    ax.set_xlabel("epoch")
    ax.set_ylabel("training loss")
    fig.tight_layout()
    fig.savefig(out / "loss.png")
    plt.close(fig)

    fig, axs = plt.subplots(len(weights_history), 1, figsize=(10, 3 * len(weights_history)), squeeze=False)
    for ax, (name, h) in zip(axs[:, 0], weights_history.items()):
        values = h.reshape(len(h), -1)  # (epochs + 1, weights)
        pick = np.unique(np.linspace(0, values.shape[1] - 1, min(values.shape[1], MAX_LINES)).astype(int))
        ax.plot(values[:, pick])
        ax.set_title(f"{{name}} {{tuple(h.shape[1:])}}: {{len(pick)}} of {{values.shape[1]}} values")
        ax.set_xlabel("epoch")
        ax.set_ylabel("value")
    fig.tight_layout()
    fig.savefig(out / "weights.png")
    plt.close(fig)

    matrices = [(name, h[-1]) for name, h in weights_history.items() if name.endswith("weight")]
    fig, axs = plt.subplots(1, len(matrices), figsize=(5 * len(matrices), 4.5), squeeze=False)
    for ax, (name, m) in zip(axs[0], matrices):
        if m.ndim == 4:  # {w("kernels")}
            o, i, kh, kw = m.shape
            m = m.transpose(0, 2, 1, 3).reshape(o * kh, i * kw)
        image = ax.imshow(m, cmap="viridis", aspect="auto")
        ax.set_title(f"{{name}} {{tuple(m.shape)}}")
        fig.colorbar(image, ax=ax)
    fig.tight_layout()
    fig.savefig(out / "heatmaps.png")
    plt.close(fig)'''


def _main(config: RunConfig, w: Words, data: DataCode) -> str:
    t = config.train
    n_weights = sum(p.count for p in param_table(config.model))
    if choose_threads(n_weights, cores=64) == 1:  # the studio's rule, asked for a many-core machine
        threads = f"    torch.set_num_threads(1)  # {w('threads_one')}"
    else:
        threads = f"    torch.set_num_threads(max(1, torch.get_num_threads() - 1))  # {w('threads_many')}"
    device = '"cuda" if torch.cuda.is_available() else "cpu"' if t.device == "cuda" else '"cpu"'
    data_arg = data_call = ""
    if data.path is not None:
        data_arg = f'\n    parser.add_argument("--data", type=Path, default=DATA, help="{w("help_data")}")'
        data_call = "args.data"
    bce = ""
    if t.loss == "bce_with_logits":
        bce = f"\n    y_train, y_val = y_train.float().reshape(-1, 1), y_val.float().reshape(-1, 1)  # {w('bce_targets')}"
    return f'''def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("results"), help="{w("help_out")}")
    parser.add_argument("--epochs", type=int, default=EPOCHS, help="{w("help_epochs")}")
    parser.add_argument("--device", default={device}, help="{w("help_device")}"){data_arg}
    args = parser.parse_args()
{threads}

    x_train, y_train, x_val, y_val = load_data({data_call})
    print(f"{w("data_line", train="{len(x_train)}", val="{len(x_val)}")}")
    # {w("to_tensors")}
    x_train, y_train = torch.from_numpy(x_train).to(args.device), torch.from_numpy(y_train).to(args.device)
    x_val, y_val = torch.from_numpy(x_val).to(args.device), torch.from_numpy(y_val).to(args.device){bce}

    torch.manual_seed(SEED)  # {w("init_seed")}
    model = build_model().to(args.device)
    print(model)
    weights_history, losses = train(model, x_train, y_train, x_val, y_val, args.epochs)

    args.out.mkdir(parents=True, exist_ok=True)
    torch.save({{name: t.detach().cpu() for name, t in model.state_dict().items()}}, args.out / "final_state.pt")
    weights_history = {{name: np.stack(h) for name, h in weights_history.items()}}
    np.savez(args.out / "weights_history.npz", **weights_history)
    draw_figures(weights_history, losses, args.out)
    print(f"{w("saved", out="{args.out}")}")


if __name__ == "__main__":
    main()
'''


def _section(title: str) -> str:
    return f"# ---- {title} ----"


def script_source(config: RunConfig, lang: str | None = None, dataset: Dataset | None = None,
                  script_name: str = "train_run.py") -> tuple[str, DataCode]:
    """The script's text for `config` (and what its data needs); ExportError when it cannot be exported.

    `dataset` is the run's data when the caller has it loaded (the studio); otherwise it is loaded here.
    """
    w = Words(lang or default_lang())
    dataset = _check(config, dataset)
    try:
        data = data_code(config.data, dataset, w, script_name)
    except (DataError, SpecError, OSError, ValueError) as e:
        raise ExportError(f"cannot export the data: {_one_line(e)}") from None
    imports = sorted({"argparse", "math", *data.imports})
    parts = [
        _docstring(config, w, script_name),
        "\n".join(f"import {m}" for m in imports) + "\nfrom pathlib import Path\n\nimport numpy as np\nimport torch\n"
        "from torch import nn",
        _section(w("settings")) + "\n" + "\n".join(_settings(config, w, data)),
        _section(w("sec_data")) + "\n" + data.function,
        *data.helpers,
        _section(w("sec_model")) + "\n" + _model_function(config, w),
        _section(w("sec_train")) + "\n" + _training(config, w),
        _section(w("sec_figures")) + f"\nMAX_LINES = {MAX_LINES}  # {w('max_lines')}\n\n\n" + _figures(w),
        _main(config, w, data),
    ]
    head, body = parts[:3], parts[3:]  # docstring, imports, settings: one blank line apart; functions two
    return "\n\n".join(head) + "\n\n\n" + "\n\n\n".join(p.rstrip("\n") for p in body) + "\n", data


def export_script(config: RunConfig, out: str | Path, lang: str | None = None,
                  dataset: Dataset | None = None) -> list[Path]:
    """Write `config` as a standalone PyTorch script at `out`; returns the files written.

    For the bundled digits, digits.npz is copied beside the script, where the script looks for it by default.
    `lang` is "en" or "zh" for the comments (default: from the locale). Raises ExportError (one line) for a run
    that cannot be exported, with nothing written.
    """
    out = Path(out)
    text, data = script_source(config, lang, dataset, out.name)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        written = [out]
        if data.copy_digits:
            with resource("digits").open("rb") as src, open(out.with_name("digits.npz"), "wb") as dst:
                shutil.copyfileobj(src, dst)
            written.append(out.with_name("digits.npz"))
    except OSError as e:
        raise ExportError(f"cannot write {out}: {e.strerror or e}") from None
    return written
