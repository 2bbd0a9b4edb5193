"""Gradient flow, distributions, activations and the health check, on real (short) runs of core's Trainer: what the
history records, what each view holds, and what the health check names."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch
from PySide6.QtGui import QImage

from weightstudio.core import health
from weightstudio.core.activations import ActivationProbe, stages_of
from weightstudio.core.builder import param_table
from weightstudio.core.config import RunConfig, TrainSettings
from weightstudio.core.engine import Trainer
from weightstudio.core.history import STEP_COLUMNS, History
from weightstudio.core.presets import get_preset
from weightstudio.core.run_data import RunData
from weightstudio.core.spec import linear_stack
from weightstudio.core.stats import SKETCH_BINS, SKETCH_QUANTILES, SKETCH_WIDTH, Sketcher, UpdateRatios, \
    histogram_image, ratios_of_rows
from weightstudio.gui.figures import write_analysis_figures
from weightstudio.gui.views import ActivationsView, DistributionsView, GradientsView
from weightstudio.gui.views.style import param_colors

NQ = len(SKETCH_QUANTILES)


def spiral_config(sizes, activation="ReLU", epochs=30, lr=0.1, **init) -> RunConfig:
    return RunConfig(linear_stack(sizes, activation=activation, **init), {"source": "spiral", "classes": 2},
                     TrainSettings(loss="cross_entropy", optimizer="sgd", lr=lr, epochs=epochs))


def configs() -> dict:
    out = {}
    c = get_preset("quadratic-1-10-1").config()
    out["quadratic"] = c
    c = get_preset("quadratic-1-10-1").config()
    c.train.epochs = 30
    out["quadratic-30"] = c
    for lr in (5, 10):
        c = get_preset("quadratic-1-10-1").config()
        c.train.lr = lr
        out[f"quadratic-lr{lr}"] = c
    c = get_preset("digits-mlp").config()  # the seed's own setting: plain SGD, lr 0.01, normal(0, 0.01)
    c.train.momentum, c.train.lr, c.train.epochs = 0.0, 0.01, 6
    out["digits-chance"] = c
    c = get_preset("digits-mlp").config()
    c.train.epochs = 3
    out["digits-mlp"] = c
    c = get_preset("digits-cnn").config()
    c.train.epochs = 2
    out["digits-cnn"] = c
    out["simplenet"] = get_preset("simplenet-2-5-1").config()
    out["deep-sigmoid"] = spiral_config([2] + [32] * 8 + [2], "Sigmoid")
    out["deep-relu"] = spiral_config([2] + [32] * 8 + [2], "ReLU", weight_init={"scheme": "kaiming_normal"})
    out["dead-relu"] = spiral_config([2, 16, 2], epochs=20, bias_init={"scheme": "constant", "value": -10.0})
    out["saturated-tanh"] = spiral_config([2, 32, 32, 2], "Tanh", epochs=20,
                                          weight_init={"scheme": "normal", "mean": 0.0, "std": 3.0})
    # More than 20,000 weights: a sampled trace, and sketches of a fixed sample read with index_select.
    c = RunConfig(linear_stack([64, 400, 10]), {"source": "digits", "shape": "flat", "val_fraction": 0.2},
                  TrainSettings(loss="cross_entropy", optimizer="sgd", lr=0.05, batch_size=64, epochs=3))
    out["sampled"] = c
    return out


_CONFIGS = configs()
_RUNS: dict[str, tuple[Trainer, RunData]] = {}


def trained(name: str) -> tuple[Trainer, RunData]:
    if name not in _RUNS:
        t = Trainer(_CONFIGS[name])
        t.run()
        _RUNS[name] = t, RunData(t.config, t.dataset, t.history)
    return _RUNS[name]


def run_of(name: str) -> RunData:
    return trained(name)[1]


def make(qtbot, cls, run=None, size=(1000, 700)):
    view = cls()
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    if run is not None:
        view.set_run(run)
        assert view.refresh(force=True)
    return view


def kinds(findings) -> set[str]:
    return {f.kind for f in findings}


# ---- core.stats ----------------------------------------------------------------------------------------------


def test_sketches_are_the_percentiles_and_histogram_of_each_segment():
    rng = np.random.default_rng(3)
    sizes = [50, 1, 7, 400, 3]
    v = rng.standard_normal(sum(sizes)).astype(np.float32)
    v[51:58] = 0.25  # all equal
    out = Sketcher(sizes)(v)
    assert out.shape == (len(sizes), SKETCH_WIDTH)
    start = 0
    for i, n in enumerate(sizes):
        seg = v[start:start + n].astype(np.float64)
        start += n
        np.testing.assert_allclose(out[i, :NQ], np.quantile(seg, SKETCH_QUANTILES), rtol=0, atol=1e-6)
        assert out[i, NQ:].sum() == n
        if seg.max() > seg.min():
            counts, _ = np.histogram(seg, SKETCH_BINS, (seg.min(), seg.max()))
            np.testing.assert_array_equal(out[i, NQ:], counts)
        else:  # one value: a single full middle bin
            assert out[i, NQ + SKETCH_BINS // 2] == n


def test_a_segment_with_a_non_finite_value_has_a_nan_sketch_and_spoils_no_other():
    v = np.arange(12, dtype=np.float32)
    v[5] = np.nan
    out = Sketcher([4, 4, 4])(v)
    assert np.isnan(out[1]).all()
    np.testing.assert_allclose(out[0, [0, -1 - SKETCH_BINS]], [0, 3])
    np.testing.assert_allclose(out[2, [0, NQ - 1]], [8, 11])


def test_update_ratios_are_norm_of_change_over_norm_before():
    rng = np.random.default_rng(0)
    sizes = [5, 3, 8]
    prev = rng.standard_normal(16).astype(np.float32)
    prev[5:8] = 0  # a zero-initialised bias: no ratio yet
    cur = prev + 0.01 * rng.standard_normal(16).astype(np.float32)
    r = UpdateRatios(sizes)
    r.start(prev)
    got = r(prev, cur)
    for i, (a, b) in enumerate([(0, 5), (5, 8), (8, 16)]):
        want = np.linalg.norm(cur[a:b] - prev[a:b]) / np.linalg.norm(prev[a:b]) if i != 1 else np.nan
        np.testing.assert_allclose(got[i], want, rtol=1e-6)
    np.testing.assert_allclose(ratios_of_rows(np.stack([prev, cur]), sizes)[0], got, rtol=1e-6)


def test_histogram_image_keeps_every_count_on_the_common_grid():
    v = np.random.default_rng(1).standard_normal((3, 200)).astype(np.float32)
    sk = np.concatenate([Sketcher([200])(row) for row in v])
    img = histogram_image(sk, float(v.min()) - 1, float(v.max()) + 1, 50)
    assert img.shape == (50, 3)
    np.testing.assert_allclose(img.sum(0), 200, rtol=1e-6)  # float32 image
    # the grid bins hold what the sketch's bins hold where the grids coincide
    one = Sketcher([200])(v[0])
    same = histogram_image(one, float(one[0, 0]), float(one[0, NQ - 1]), SKETCH_BINS)
    np.testing.assert_allclose(same[:, 0], one[0, NQ:], atol=1e-4)
    # one repeated value: all in the bin holding it; a NaN sketch: a NaN column
    odd = np.stack([Sketcher([4])(np.full(4, 0.3, np.float32))[0], np.full(SKETCH_WIDTH, np.nan, np.float32)])
    img = histogram_image(odd, 0.0, 1.0, 10)
    assert img[3, 0] == 4 and img[:, 0].sum() == 4 and np.isnan(img[:, 1]).all()


# ---- what the engine records ---------------------------------------------------------------------------------


def test_the_engine_records_each_steps_update_ratio():
    _, run = trained("quadratic-30")
    h = run.history
    steps, ratios = h.update_data()
    assert len(steps) == 30 and ratios.shape == (30, len(h.params))
    tsteps, traced = h.trace_data()  # every weight, every step (a tiny net)
    assert np.array_equal(tsteps[1:], steps)
    sl = h.trace_param_slices()
    for j, name in enumerate(h.names):
        s = sl[name]
        want = np.linalg.norm(np.diff(traced[:, s], axis=0), axis=1) / np.linalg.norm(traced[:-1, s], axis=1)
        np.testing.assert_allclose(ratios[:, j], want, rtol=1e-5)
    # step_data (what history.npz holds) is unchanged: no ratio columns in it
    assert set(h.step_data()) == {"step", *STEP_COLUMNS, "grad_norm"}
    assert h.step_data()["grad_norm"].shape == (30, len(h.params))


def test_the_engine_sketches_weights_and_gradients_every_few_steps():
    _, run = trained("quadratic-30")
    h = run.history
    steps, sk = h.sketch_data()
    assert steps[0] == 0 and np.all(np.diff(steps) == h.sketch_every)
    assert sk.shape == (len(steps), 2 * len(h.params), SKETCH_WIDTH)
    assert np.isnan(sk[0, len(h.params):]).all()  # no gradient before the first step
    snaps = h.snapshot_steps()  # full batch: a snapshot every step
    for k, step in enumerate(steps[1:], 1):
        snap = h.snapshot(int(np.flatnonzero(snaps == step)[0]))
        for j, name in enumerate(h.names):
            w = snap.params[name].reshape(-1).astype(np.float64)
            g = snap.grads[name].reshape(-1).astype(np.float64)
            np.testing.assert_allclose(sk[k, j, :NQ], np.quantile(w, SKETCH_QUANTILES), atol=1e-6)
            np.testing.assert_allclose(sk[k, len(h.params) + j, :NQ], np.quantile(g, SKETCH_QUANTILES), atol=1e-6)


@pytest.mark.parametrize("name", ["digits-mlp", "sampled"])
def test_large_parameters_are_sketched_from_a_fixed_sample(name):
    _, run = trained(name)
    h = run.history
    assert h.sketched is not None and max(h.sketch_sizes) == 1024
    steps, sk = h.sketch_data()
    assert len(steps) >= 3 and np.isfinite(sk[1:]).all()
    big = int(np.argmax([p.count for p in h.params]))
    assert sk[-1, big, NQ:].sum() == 1024
    # the newest weights' sketch is that of the sample of the newest snapshot when they coincide
    if steps[-1] == h.snapshot_steps()[-1]:
        snap = h.snapshot(-1).params[h.names[big]].reshape(-1)[h.sketched[big]]
        np.testing.assert_allclose(sk[-1, big, :NQ], np.quantile(snap.astype(np.float64), SKETCH_QUANTILES),
                                   atol=1e-6)
    _, ratios = h.update_data()
    assert np.isfinite(ratios[:, [i for i, p in enumerate(h.params) if p.is_weight]]).all()


def test_recording_the_statistics_leaves_training_bit_identical(monkeypatch):
    """The same run with the statistics switched off ends with the same weights, bit for bit."""
    cfg = _CONFIGS["digits-mlp"]
    a = Trainer(cfg)
    a.config.train.epochs = 1
    a.run()
    monkeypatch.setattr(Trainer, "_record_sketch", lambda self, traced, initial=False: None)
    monkeypatch.setattr(UpdateRatios, "__call__", lambda self, prev, cur: np.zeros(len(self.sizes)))
    b = Trainer(cfg)
    b.config.train.epochs = 1
    b.run()
    for (na, pa), (nb, pb) in zip(a.model.named_parameters(), b.model.named_parameters()):
        assert na == nb and torch.equal(pa, pb)


def test_a_training_process_records_the_same_ratios_and_sketches_in_shared_memory():
    from weightstudio.core.remote import RemoteTrainer

    cfg = get_preset("quadratic-1-10-1").config()
    cfg.train.epochs = 12
    remote = RemoteTrainer()
    try:
        remote.load(cfg)
        assert remote.run() == "finished"
        shared = remote.history
        local = Trainer(cfg)
        local.run()
        for a, b in zip(shared.update_data(), local.history.update_data()):
            np.testing.assert_array_equal(a, b)
        for a, b in zip(shared.sketch_data(), local.history.sketch_data()):
            np.testing.assert_array_equal(a, b)
    finally:
        remote.close()


def test_a_history_loaded_without_ratios_reads_nan_there_and_the_sketch_tier_is_bounded():
    params = param_table(linear_stack([1, 10, 1]))
    h = History(params, steps_per_epoch=1)
    rows = np.column_stack([np.ones((5, 4)), np.full((5, len(params)), 0.5)])  # an older file's steps columns
    h.load_tier("steps", np.arange(1, 6), rows)
    steps, ratios = h.update_data()
    assert len(steps) == 5 and np.isnan(ratios).all()
    np.testing.assert_array_equal(h.step_data()["grad_norm"], 0.5)
    big = History(param_table(linear_stack([64, 128, 64, 10])), steps_per_epoch=10)
    _, capacity, _ = big._shapes["sketches"]
    assert capacity * big._sketch_row_len * 4 <= 16 << 20


# ---- core.activations ----------------------------------------------------------------------------------------


def test_the_probe_captures_every_layer_at_the_given_parameters():
    run = run_of("simplenet")
    probe = ActivationProbe(run)
    assert [s.layer for s in probe.stages] == [1, 2] and probe.input_kind == "plane"
    _, params = run.history.latest_params()
    outs = probe.outputs(params, probe.x)
    w0, b0 = params["0.weight"], params["0.bias"]
    np.testing.assert_allclose(outs[0], probe.x @ w0.T + b0, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(outs[1], np.maximum(outs[0], 0), rtol=1e-6)
    planes = probe.plane(params)
    assert [p.shape for p in planes] == [(5, 40, 40), (1, 40, 40)]
    xs, ys = probe.grid
    pt = np.array([[xs[7], ys[3]]], np.float32)
    np.testing.assert_allclose(planes[0][:, 3, 7], np.maximum(pt @ w0.T + b0, 0)[0], rtol=1e-5, atol=1e-6)
    assert stages_of(get_preset("digits-cnn").config().model)[1].kind == "MaxPool2d"


# ---- health --------------------------------------------------------------------------------------------------


def test_a_healthy_fit_has_no_finding():
    assert health.check(run_of("quadratic")) == []


def test_an_mlp_initialised_too_small_with_plain_sgd_is_stuck_at_chance():
    findings = health.check(run_of("digits-chance"))
    assert {"stuck_at_chance", "update_ratio_low"} <= kinds(findings)
    stuck = next(f for f in findings if f.kind == "stuck_at_chance")
    assert stuck.first_step <= 10 and stuck.last_step == trained("digits-chance")[0].step
    low = next(f for f in findings if f.kind == "update_ratio_low")
    assert low.layer == 0 and "0.weight" in low.message


def test_a_deep_sigmoid_net_has_vanishing_gradients_at_layer_0_and_relu_with_kaiming_does_not():
    f = [f for f in health.check(run_of("deep-sigmoid")) if f.kind == "vanishing_gradients"]
    assert len(f) == 1 and f[0].layer == 0 and f[0].param == "0.weight" and "layer 0" in f[0].message
    assert f[0].first_step == 1
    assert "vanishing_gradients" not in kinds(health.check(run_of("deep-relu")))


@pytest.mark.parametrize("lr", [5, 10])
def test_a_learning_rate_far_too_high_explodes_and_diverges_at_the_step_the_engine_names(lr):
    trainer, run = trained(f"quadratic-lr{lr}")
    assert run.history.status == "diverged"
    findings = health.check(run)
    assert {"non_finite", "exploding_gradients", "update_ratio_high"} <= kinds(findings)
    nf = next(f for f in findings if f.kind == "non_finite")
    assert nf.first_step == trainer.step and nf.severity == health.ERROR and nf.param is not None
    ex = next(f for f in findings if f.kind == "exploding_gradients")
    assert ex.first_step < nf.first_step
    assert findings[0].severity == health.ERROR  # errors first


def test_relus_with_a_large_negative_bias_are_dead_from_the_start():
    findings = health.check(run_of("dead-relu"))
    dead = [f for f in findings if f.kind == "dead_units"]
    assert len(dead) == 1 and dead[0].layer == 1 and dead[0].first_step == 0
    assert dead[0].severity == health.ERROR and "16 of layer 1's 16" in dead[0].message


def test_tanh_with_a_huge_init_saturates():
    sat = [f for f in health.check(run_of("saturated-tanh")) if f.kind == "saturated_units"]
    assert sat and {f.layer for f in sat} <= {1, 3} and 3 in {f.layer for f in sat}


def test_findings_become_health_json_entries(tmp_path):
    findings = health.check(run_of("quadratic-lr5"))
    health.write_json(tmp_path / "health.json", findings)
    entries = json.loads((tmp_path / "health.json").read_text(encoding="utf-8"))
    assert len(entries) == len(findings)
    for e, f in zip(entries, findings):
        assert {"step", "epoch", "layer", "kind", "message"} <= set(e)
        assert e["kind"] in health.KINDS and e["step"] == f.first_step and e["message"] == f.message
        assert f.suggestion and f.line().startswith(f.message)


def test_the_monitor_rechecks_only_when_the_history_changed():
    cfg = get_preset("quadratic-1-10-1").config()
    cfg.train.lr = 5
    cfg.train.epochs = 3
    t = Trainer(cfg)
    t.run()
    run = RunData(t.config, t.dataset, t.history)
    monitor = health.HealthMonitor(run)
    assert "non_finite" not in kinds(monitor.check())
    assert monitor.check() == monitor.check()
    t.config.train.epochs = 40
    t.run()  # on until it blows up
    assert "non_finite" in kinds(monitor.check())


# ---- GradientsView -------------------------------------------------------------------------------------------


def test_gradients_view_draws_every_parameters_norms_and_the_weights_ratios(qtbot):
    run = run_of("quadratic-30")
    h = run.history
    view = make(qtbot, GradientsView, run)
    assert view.param_order() == h.names
    colors = param_colors(h.params)
    assert all(view.curve_color(n) == colors[n] for n in h.names)
    d = h.step_data()
    curves = view.grad_curves()
    for j, name in enumerate(h.names):
        x, y = curves[name]
        np.testing.assert_allclose(x, d["epoch"])
        np.testing.assert_allclose(y, d["grad_norm"][:, j], rtol=1e-5)
    _, ratios = h.update_data()
    assert set(view.ratio_curves()) == {"0.weight", "2.weight"} and view.ratio_source() == "recorded"
    np.testing.assert_allclose(view.ratio_curves()["0.weight"][1], ratios[:, 0], rtol=1e-5)
    assert view.guide_value() == 1e-3
    view.show_biases(True)
    assert set(view.ratio_curves()) == set(h.names)
    view.show_snapshot(10)
    assert view.marker_epoch() == pytest.approx(h.snapshot_steps()[10] / h.steps_per_epoch)
    view.show_snapshot(None)
    assert view.marker_epoch() is None


def test_gradients_view_of_a_run_recorded_without_ratios_takes_them_from_the_traces(qtbot):
    src = run_of("quadratic-30").history
    h = History(src.params, src.steps_per_epoch)
    d = src.step_data()
    h.load_tier("steps", d["step"], np.column_stack([d[c] for c in STEP_COLUMNS] + [d["grad_norm"]]))
    h.load_tier("traces", *src.trace_data())
    keys, params, grads = src.all_snapshots()
    h.load_tier("snapshots", keys, np.concatenate(
        [np.concatenate([params[n].reshape(len(keys), -1) for n in h.names], 1),
         np.concatenate([grads[n].reshape(len(keys), -1) for n in h.names], 1)], 1))
    h.set_status("finished")
    run = RunData(run_of("quadratic-30").config, run_of("quadratic-30").dataset, h)
    view = make(qtbot, GradientsView, run)
    assert view.ratio_source() == "traces"
    _, recorded = src.update_data()
    np.testing.assert_allclose(view.ratio_curves()["2.weight"][1], recorded[:, 2], rtol=1e-4)


def test_gradients_view_of_a_deep_sigmoid_net_shows_the_first_layer_decades_below_the_last(qtbot):
    view = make(qtbot, GradientsView, run_of("deep-sigmoid"))
    first = view.grad_curves()["0.weight"][1][-1]
    last = view.grad_curves()["16.weight"][1][-1]
    assert last / first > 30
    assert len(view.legend.items) == 10  # nine layers and the bias shade, not eighteen entries


# ---- DistributionsView ---------------------------------------------------------------------------------------


def test_distributions_view_draws_bands_and_histogram_from_the_sketches(qtbot):
    run = run_of("sampled")  # too many weights to sketch every snapshot: the sketches tier
    h = run.history
    view = make(qtbot, DistributionsView, run)
    assert view.param() == "0.weight" and not view.gradient() and view.source() == "sketches"
    steps, sk = h.sketch_data()
    x, q = view.bands()
    np.testing.assert_allclose(x, steps / h.steps_per_epoch)
    np.testing.assert_allclose(q, sk[:, 0, :NQ], rtol=1e-6)
    img, _, (lo, hi) = view.histogram()
    assert img.shape[0] == 64 and img.shape[1] == len(steps)
    np.testing.assert_allclose(np.nansum(img, 0), 1024, rtol=1e-6)  # a fixed sample of 1,024 weights
    assert lo == pytest.approx(sk[:, 0, 0].min()) and hi == pytest.approx(sk[:, 0, NQ - 1].max())
    assert "1,024" in view.note.text()
    view.set_param("2.bias")
    view.set_gradient(True)
    x, q = view.bands()
    assert x[0] > 0  # no gradient at step 0
    j = len(h.params) + h.names.index("2.bias")
    np.testing.assert_allclose(q, sk[1:, j, :NQ], rtol=1e-6)


def test_distributions_view_sketches_snapshots_when_they_are_the_finer_record(qtbot):
    run = run_of("quadratic-30")  # full batch: a snapshot every step, a sketch every fifth
    h = run.history
    view = make(qtbot, DistributionsView, run)
    assert view.source() == "snapshots"
    x, q = view.bands()
    assert len(x) == h.snapshot_count()
    w = h.snapshot(12).params["0.weight"].reshape(-1).astype(np.float64)
    np.testing.assert_allclose(q[12], np.quantile(w, SKETCH_QUANTILES), atol=1e-6)
    view.show_snapshot(5)
    assert view.marker_epoch() == pytest.approx(5.0)


def test_distributions_view_sketches_snapshots_chosen_by_step_so_the_choice_survives_thinning(qtbot, monkeypatch):
    from weightstudio.gui.views import distributions

    monkeypatch.setattr(distributions, "SNAPSHOT_SKETCHES", 10)
    run = run_of("quadratic-30")  # snapshots at steps 0..30
    view = make(qtbot, DistributionsView, run)
    keys, _ = view._snapshot_sketches(run)
    # Multiples of the smallest power of two that leaves at most 10 (not every 4th position: a history that thins
    # its snapshots moves the positions and the choice would be sketched anew), and the newest.
    assert keys.tolist() == [0, 4, 8, 12, 16, 20, 24, 28, 30]
    assert set(view._snap_cache) == set(keys.tolist())


# ---- ActivationsView -----------------------------------------------------------------------------------------


def test_activations_view_shows_the_units_over_the_plane_and_follows_the_timeline(qtbot):
    run = run_of("simplenet")
    h = run.history
    view = make(qtbot, ActivationsView, run)
    assert view.mode() == "plane" and view.stage_labels() == ["layer 1 (ReLU)", "layer 2 (Linear)"]
    step, params = h.latest_params()
    assert view.shown_step() == step
    probe = ActivationProbe(run)
    for got, want in zip(view.stage_values(), probe.plane(params)):
        np.testing.assert_allclose(got, want, rtol=1e-6)
    assert view.stage_images()[0].shape == (2 * 40 + 1, 3 * 40 + 2)  # five 40×40 tiles, three to a row
    live = view.stage_values()[1].copy()
    view.show_snapshot(0)
    assert view.shown_step() == 0
    np.testing.assert_allclose(view.stage_values()[1], probe.plane(h.snapshot(0).params)[1], rtol=1e-6)
    assert not np.allclose(view.stage_values()[1], live)
    stats = view.layer_stats()
    assert [s.layer for s in stats] == [1, 2] and stats[0].dead_fraction is not None
    assert stats[0].counts.sum() == len(probe.x) * 5


def test_activations_view_marks_dead_relus(qtbot):
    view = make(qtbot, ActivationsView, run_of("dead-relu"))
    assert list(view.dead_units()[1]) == list(range(16))
    assert len(view._dead_marks[0].data) == 16
    assert "16 dead" in view._stage_plots[0].titleLabel.text
    assert np.nanmax(np.abs(view.stage_values()[0])) == 0


def test_activations_view_shows_feature_maps_of_the_chosen_sample(qtbot):
    run = run_of("digits-cnn")
    view = make(qtbot, ActivationsView, run)
    assert view.mode() == "maps" and view.sample_spin.isVisibleTo(view)
    shapes = [v.shape for v in view.stage_values()]
    assert shapes == [(8, 8, 8), (8, 4, 4), (16, 4, 4), (10,)]
    first = view.stage_values()[0].copy()
    view.set_sample(5)
    probe = ActivationProbe(run)
    _, params = run.history.latest_params()
    np.testing.assert_allclose(view.stage_values()[0], probe.feature_maps(params, run.dataset.x_val[5])[0],
                               rtol=1e-6)
    assert not np.allclose(first, view.stage_values()[0])


def test_activations_view_of_other_inputs_draws_units_over_samples(qtbot):
    view = make(qtbot, ActivationsView, run_of("digits-mlp"))
    assert view.mode() == "matrix"
    assert [v.shape for v in view.stage_values()] == [(64, 128), (64, 64), (64, 10)]


def test_activations_view_of_a_1d_input_draws_each_unit_along_it(qtbot):
    view = make(qtbot, ActivationsView, run_of("quadratic"))
    assert view.mode() == "line" and [v.shape for v in view.stage_values()] == [(10, 200), (1, 200)]


# ---- looking at them -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("cls", [GradientsView, DistributionsView, ActivationsView])
def test_the_views_are_not_blank_at_1366x768(qtbot, cls):
    view = make(qtbot, cls, run_of("simplenet"), size=(1366, 768))
    img = view.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    arr = np.frombuffer(img.constBits(), np.uint8).reshape(img.height(), img.bytesPerLine())[:, :4 * img.width()]
    colours = np.unique(arr.reshape(-1, 4)[::7], axis=0)
    assert len(colours) > 50  # plots, text, images: far more than a blank white widget


def test_analysis_figures_are_written(qtbot, tmp_path):
    paths = write_analysis_figures(run_of("simplenet"), tmp_path)
    assert [p.name for p in paths] == ["gradients.png", "distributions.png", "activations.png"]
    for p in paths:
        img = QImage(str(p))
        assert img.width() == 1000 and 600 < img.height() <= 700  # the plots, without the header row above them



def test_the_views_follow_a_run_from_its_first_state_on(qtbot):
    """Bound before the first step (only the initial state recorded), then fed epoch by epoch as the window does."""
    cfg = get_preset("simplenet-2-5-1").config()
    trainer = Trainer(cfg)
    run = RunData(trainer.config, trainer.dataset, trainer.history)
    views = [make(qtbot, cls, run) for cls in (GradientsView, DistributionsView, ActivationsView)]
    grads, dists, acts = views
    assert grads.grad_curves()["0.weight"][0].size == 0 and acts.shown_step() == 0
    monitor = health.HealthMonitor(run)
    assert monitor.check() == []
    trainer.history.set_status("running")
    for _ in range(40):
        trainer.run_epoch()
    for view in views:
        assert view.refresh()
    assert len(grads.grad_curves()["0.weight"][0]) == 40
    assert dists.bands()[0][-1] == pytest.approx(40.0)  # full batch: a snapshot every step
    assert acts.shown_step() == 40 or acts._pending  # the slow rate may defer it while a run streams
    trainer.reset()  # a fresh History: the views rebuild for it
    run.history = trainer.history
    for view in views:
        assert view.refresh()
    assert grads.grad_curves()["0.weight"][0].size == 0 and acts.shown_step() == 0


def test_activations_view_in_a_narrow_dock_uses_fewer_columns_and_scrolls(qtbot):
    view = make(qtbot, ActivationsView, run_of("deep-sigmoid"), size=(420, 360))
    qtbot.waitUntil(lambda: not view._relayout_pending)
    columns = {c for cells in view.units_widget.ci.items.values() for _, c in cells}
    assert columns == {0, 1}  # two columns fit 420 pixels
    qtbot.waitUntil(lambda: view.scroll.verticalScrollBar().maximum() > 0)  # five rows of stages scroll
    assert len(view.stage_values()) == 9
