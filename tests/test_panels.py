"""The side panels and the training bar, driven the way a user drives them: clicks, typing, the Add menu."""

from __future__ import annotations

from dataclasses import asdict

import numpy as np
import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QDoubleSpinBox, QFileDialog, QSpinBox, QWidget

from weightstudio.core.config import OPTIMIZERS, TrainSettings
from weightstudio.core.data import load_dataset
from weightstudio.core.presets import PRESETS
from weightstudio.core.spec import InitSpec, LayerSpec, ModelSpec, linear_stack
from weightstudio.core.tasks import LOSSES
from weightstudio.gui.panels import ArchitecturePanel, DataPanel, TrainingBar
from weightstudio.gui.panels.widgets import ERROR_BACKGROUND, FloatSpinBox


# ---------------------------------------------------------------------------------------------------------------
# helpers

def type_into(qtbot, spin, text: str) -> None:
    """Select the spin box's text, type `text`, press Enter: what a user does."""
    spin.setFocus()
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin.lineEdit(), text)
    qtbot.keyClick(spin.lineEdit(), Qt.Key.Key_Return)


def shown(parent, name: str, cls=QWidget):
    """The one `cls` child called `name`. A replaced form is deleted once control returns to the event loop; let
    Qt do that first, so that only the form on screen answers."""
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    found = parent.findChildren(cls, name)
    assert len(found) == 1, f"{len(found)} widgets called {name}"
    return found[0]


def choose(combo: QComboBox, data) -> None:
    """Pick the item holding `data` as a user would (which also emits `activated`)."""
    i = combo.findData(data)
    assert i >= 0, f"{combo.objectName()} has no item {data!r}"
    combo.setCurrentIndex(i)
    combo.activated.emit(i)


def table_rows(table) -> list[list[str]]:
    return [[table.item(r, c).text() if table.item(r, c) else "" for c in range(table.columnCount())]
            for r in range(table.rowCount())]


def trigger_add(panel: ArchitecturePanel, kind: str) -> None:
    actions = {a.data(): a for a in panel.add_button.menu().actions() if a.data()}
    actions[kind].trigger()


def conv_spec() -> ModelSpec:
    return ModelSpec((1, 8, 8), [
        LayerSpec("Conv2d", {"out_channels": 4, "kernel_size": 3, "padding": 1}),
        LayerSpec("ReLU"),
        LayerSpec("Flatten"),
        LayerSpec("Linear", {"out_features": 10}),
    ])


@pytest.fixture
def arch(qtbot):
    panel = ArchitecturePanel()
    qtbot.addWidget(panel)
    panel.resize(360, 700)
    panel.show()
    return panel


@pytest.fixture
def data(qtbot):
    panel = DataPanel()
    qtbot.addWidget(panel)
    panel.resize(360, 700)
    panel.show()
    return panel


@pytest.fixture
def bar(qtbot):
    tb = TrainingBar()
    qtbot.addWidget(tb)
    tb.show()
    return tb


# ---------------------------------------------------------------------------------------------------------------
# ArchitecturePanel

def test_arch_has_named_widgets(arch):
    for name in ("layerList", "addLayerButton", "removeLayerButton", "moveUpButton", "moveDownButton",
                 "paramTable", "archProblemLabel"):
        assert arch.findChild(object, name) is not None, name


def test_editing_out_features_updates_param_table_and_emits(qtbot, arch):
    arch.set_spec(linear_stack([1, 10, 1]))
    arch.set_data_shape((1,), 1)
    assert table_rows(arch.param_table)[0][:3] == ["0.weight", "[10, 1]", "10"]

    arch.layer_list.selectRow(0)
    spin = shown(arch, "param_out_features", QSpinBox)
    assert spin is not None and spin.value() == 10
    with qtbot.waitSignal(arch.spec_changed, timeout=1000) as blocker:
        type_into(qtbot, spin, "16")

    emitted = blocker.args[0]
    assert isinstance(emitted, ModelSpec)
    assert emitted.layers[0].params["out_features"] == 16
    rows = table_rows(arch.param_table)
    assert rows[0] == ["0.weight", "[16, 1]", "16", "[16]"]
    assert rows[1] == ["0.bias", "[16]", "16", "[16]"]
    assert rows[2][:3] == ["2.weight", "[1, 16]", "16"]
    assert rows[3][:3] == ["2.bias", "[1]", "1"]
    assert rows[-1][0] == "Total" and rows[-1][2] == f"{16 + 16 + 16 + 1}"
    assert arch.layer_list.item(0, 1).text() == "Linear(→16)"
    assert arch.problem() is None and not arch.problem_label.isVisible()
    assert arch.current_row() == 0  # the selection survives the edit


def focus_on(qtbot, widget) -> None:
    """Give `widget` the keyboard focus in its active window, as a click into it would."""
    with qtbot.waitActive(widget.window()):
        widget.window().activateWindow()
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus, timeout=1000)


@pytest.mark.parametrize("spec, name, start", [
    (conv_spec(), "param_out_channels", 4),
    (linear_stack([2, 5, 1]), "param_out_features", 5),
])
def test_arrow_keys_step_the_field_and_keep_its_focus(qtbot, arch, spec, name, start):
    """Issue 9, finding 4: ↑ three times adds 3, and the next key still goes to the same field."""
    arch.set_spec(spec)
    arch.set_data_shape(spec.input_shape, 10 if name == "param_out_channels" else 1)
    arch.layer_list.selectRow(0)

    def window_answers(new_spec):  # as MainWindow.rebuild does after every edit
        arch.set_data_shape(new_spec.input_shape, 10 if name == "param_out_channels" else 1)
        arch.set_spec(new_spec)

    emitted = []
    arch.spec_changed.connect(lambda s: emitted.append(s.layers[0].params[name.removeprefix("param_")]))
    arch.spec_changed.connect(window_answers)
    spin = shown(arch, name, QSpinBox)
    focus_on(qtbot, spin)
    for _ in range(3):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Up)  # keys go where the focus is
    assert emitted == [start + 1, start + 2, start + 3]
    assert spin.value() == start + 3
    assert shown(arch, name, QSpinBox) is spin and spin.isVisible()
    assert QApplication.focusWidget() is spin
    assert arch.spec().layers[0].params[name.removeprefix("param_")] == start + 3
    assert table_rows(arch.param_table)[1][:3] == ["0.bias", f"[{start + 3}]", f"{start + 3}"]


def test_editor_shows_a_new_spec_in_place(qtbot, arch):
    """A spec from outside with the same layer kinds updates the fields: the one being typed in stays."""
    arch.set_spec(linear_stack([1, 10, 1]))
    arch.layer_list.selectRow(0)
    spin = shown(arch, "param_out_features", QSpinBox)
    spec = arch.spec()
    spec.layers[0].params["out_features"] = 20
    spec.layers[0].params["bias"] = False
    with qtbot.assertNotEmitted(arch.spec_changed):
        arch.set_spec(spec)
    assert shown(arch, "param_out_features", QSpinBox) is spin and spin.value() == 20
    assert not shown(arch, "param_bias", QCheckBox).isChecked() and not shown(arch, "biasInit").isEnabled()
    assert arch.editor_box.title() == "Layer 0: Linear"

    # Another kind at the selected row is another form.
    spec.layers[0] = LayerSpec("Dropout")
    arch.set_spec(spec)
    assert shown(arch, "param_p", QDoubleSpinBox).value() == pytest.approx(0.5)
    assert not arch.findChildren(QSpinBox, "param_out_features")
    assert arch.editor_box.title() == "Layer 0: Dropout"


def test_conv_kernel_bigger_than_input_marks_the_row(qtbot, arch):
    arch.set_spec(conv_spec())
    arch.set_data_shape((1, 8, 8), 10)
    assert arch.problem() is None

    arch.layer_list.selectRow(1)  # after the ReLU
    with qtbot.waitSignal(arch.spec_changed, timeout=1000):
        trigger_add(arch, "Conv2d")
    assert [layer.kind for layer in arch.spec().layers] == ["Conv2d", "ReLU", "Conv2d", "Flatten", "Linear"]
    assert arch.current_row() == 2
    assert arch.problem() is None  # 3×3 on 8×8 is fine

    kernel = shown(arch, "param_kernel_size", QSpinBox)
    with qtbot.waitSignal(arch.spec_changed, timeout=1000):
        type_into(qtbot, kernel, "12")

    problem = arch.problem()
    assert problem is not None and "layer 2 (Conv2d)" in problem and "12×12" in problem
    item = arch.layer_list.item(2, 1)
    assert "layer 2 (Conv2d)" in item.toolTip()
    assert item.background().color() == QColor(ERROR_BACKGROUND)
    assert not item.icon().isNull()
    assert arch.layer_list.item(0, 1).background().color() != QColor(ERROR_BACKGROUND)
    assert arch.problem_label.isVisible() and "layer 2 (Conv2d)" in arch.problem_label.text()
    # The parameter table keeps what can be sized (layer 0) and says the total is partial.
    rows = table_rows(arch.param_table)
    assert [r[0] for r in rows[:-1]] == ["0.weight", "0.bias"]
    assert rows[-1][0] == "Total" and rows[-1][1] == "up to layer 1" and rows[-1][2] == "40"
    assert arch.layer_list.item(3, 2).text() == "?"

    # Padding fixes it: (8 + 2·2 − 12) + 1 = 1.
    padding = shown(arch, "param_padding", QSpinBox)
    type_into(qtbot, padding, "2")
    assert arch.problem() is None
    assert not arch.problem_label.isVisible()
    assert arch.layer_list.item(2, 1).background().color() != QColor(ERROR_BACKGROUND)


def test_output_width_mismatch_is_reported(qtbot, arch):
    arch.set_spec(linear_stack([2, 5, 1]))
    arch.set_data_shape((2,), 3)
    problem = arch.problem()
    assert problem is not None and "layer 2 (Linear)" in problem and "3 outputs" in problem
    assert "layer 2 (Linear)" in arch.layer_list.item(2, 1).toolTip()
    assert arch.problem_label.isVisible()
    assert "needs" in arch.input_label.text() and "3 outputs" in arch.input_label.text()
    # The full table is still there: only the width is wrong.
    assert table_rows(arch.param_table)[-1][0] == "Total"

    arch.layer_list.selectRow(2)
    type_into(qtbot, shown(arch, "param_out_features", QSpinBox), "3")
    assert arch.problem() is None


def test_reorder_and_remove(qtbot, arch):
    arch.set_spec(linear_stack([2, 5, 1]))
    arch.set_data_shape((2,), 1)
    arch.layer_list.selectRow(1)  # ReLU
    with qtbot.waitSignal(arch.spec_changed, timeout=1000) as blocker:
        qtbot.mouseClick(arch.up_button, Qt.MouseButton.LeftButton)
    assert [layer.kind for layer in blocker.args[0].layers] == ["ReLU", "Linear", "Linear"]
    assert arch.current_row() == 0
    assert not arch.up_button.isEnabled() and arch.down_button.isEnabled()
    assert [r[0] for r in table_rows(arch.param_table)[:-1]] == ["1.weight", "1.bias", "2.weight", "2.bias"]

    qtbot.mouseClick(arch.down_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(arch.down_button, Qt.MouseButton.LeftButton)
    assert [layer.kind for layer in arch.spec().layers] == ["Linear", "Linear", "ReLU"]
    assert arch.current_row() == 2 and not arch.down_button.isEnabled()

    with qtbot.waitSignal(arch.spec_changed, timeout=1000) as blocker:
        qtbot.mouseClick(arch.remove_button, Qt.MouseButton.LeftButton)
    assert [layer.kind for layer in blocker.args[0].layers] == ["Linear", "Linear"]
    assert arch.current_row() == 1

    # The keyboard does the same: Delete on the list removes the selected layer.
    arch.layer_list.setFocus()
    arch.layer_list.selectRow(0)
    qtbot.keyClick(arch.layer_list, Qt.Key.Key_Delete)
    assert [layer.describe() for layer in arch.spec().layers] == ["Linear(→1)"]
    assert arch.problem() is None and table_rows(arch.param_table)[0][:2] == ["0.weight", "[1, 2]"]
    arch.layer_list.selectRow(0)
    qtbot.mouseClick(arch.remove_button, Qt.MouseButton.LeftButton)
    assert arch.spec().layers == []
    assert "no layers" in arch.problem()
    assert not arch.remove_button.isEnabled()


def test_set_spec_round_trips_without_emitting(qtbot, arch):
    spec = PRESETS["digits-cnn"].config().model
    spec.layers[0].weight_init = InitSpec("normal", {"mean": 0.0, "std": 0.05})
    spec.layers[0].bias_init = InitSpec("constant", {"value": 0.1})
    spec.layers[2].params["stride"] = 1
    with qtbot.assertNotEmitted(arch.spec_changed):
        arch.set_spec(spec)
        arch.set_data_shape((1, 8, 8), 10)
    assert arch.spec().to_dict() == spec.to_dict()
    assert arch.spec() is not arch.spec()  # copies
    assert arch.layer_list.rowCount() == len(spec.layers)
    for name in ("mlp", "simplenet-2-5-1", "quadratic-1-10-1"):
        other = PRESETS.get(name)
        if other:
            arch.set_spec(other.config().model)
            assert arch.spec().to_dict()["layers"] == other.config().model.to_dict()["layers"]


def test_init_and_activation_editors(qtbot, arch):
    arch.set_spec(linear_stack([1, 10, 1]))
    arch.set_data_shape((1,), 1)
    arch.layer_list.selectRow(0)
    combo = shown(arch, "weightInitCombo", QComboBox)
    with qtbot.waitSignal(arch.spec_changed, timeout=1000):
        choose(combo, "normal")
    std = shown(arch, "weightInit_std", FloatSpinBox)
    type_into(qtbot, std, "2e-3")
    assert arch.spec().layers[0].weight_init == InitSpec("normal", {"mean": 0.0, "std": 0.002})
    assert shown(arch, "weightInit_std", FloatSpinBox) is std and std.hasFocus()  # not rebuilt under the user
    # A bias is 1-D: Xavier/Kaiming are not offered for it.
    bias_combo = shown(arch, "biasInitCombo", QComboBox)
    assert bias_combo.findData("xavier_uniform") < 0 and bias_combo.findData("zeros") >= 0
    # Unticking the bias removes 0.bias from the table and greys the bias init.
    bias = shown(arch, "param_bias", QCheckBox)
    bias.setFocus()
    qtbot.keyClick(bias, Qt.Key.Key_Space)
    assert arch.spec().layers[0].params["bias"] is False
    assert "0.bias" not in [r[0] for r in table_rows(arch.param_table)]
    assert not shown(arch, "biasInit").isEnabled()

    arch.layer_list.selectRow(1)
    activation = shown(arch, "activationCombo", QComboBox)
    focus_on(qtbot, activation)
    with qtbot.waitSignal(arch.spec_changed, timeout=1000):
        choose(activation, "Tanh")
    assert arch.spec().layers[1].kind == "Tanh"
    # Tanh has another form (the same one field); the focus moves to its combo, not off the editor.
    assert QApplication.focusWidget() is shown(arch, "activationCombo", QComboBox)
    assert arch.layer_list.item(1, 1).text() == "Tanh"


def test_xavier_bias_from_a_file_is_a_problem(arch):
    spec = linear_stack([1, 1])
    spec.layers[0].bias_init = InitSpec("xavier_uniform", {"gain": 1.0})
    arch.set_spec(spec)
    assert "bias init 'xavier_uniform'" in arch.problem()


def test_locked_while_training(qtbot, arch):
    arch.set_spec(linear_stack([1, 10, 1]))
    arch.layer_list.selectRow(1)
    arch.set_editable(False)
    for button in (arch.add_button, arch.remove_button, arch.up_button, arch.down_button):
        assert not button.isEnabled()
    assert not shown(arch, "activationCombo").isEnabled()
    assert "locked" in arch.editor_box.title()
    with qtbot.assertNotEmitted(arch.spec_changed):
        arch.layer_list.setFocus()
        qtbot.keyClick(arch.layer_list, Qt.Key.Key_Delete)
        arch.add_layer("ReLU")
    assert len(arch.spec().layers) == 3
    arch.set_editable(True)
    assert arch.remove_button.isEnabled() and shown(arch, "activationCombo").isEnabled()


# ---------------------------------------------------------------------------------------------------------------
# DataPanel

def test_data_panel_loads_builtins(qtbot, data):
    with qtbot.waitSignal(data.data_changed, timeout=5000) as blocker:
        assert data.set_data_spec({"source": "quadratic", "n": 100, "noise": 0.2, "val_fraction": 0.0}, 0)
    spec, dataset = blocker.args
    assert spec["source"] == "quadratic" and dataset is data.dataset()
    summary = data.summary_label.text()
    assert "100 train / 0 validation" in summary
    assert "1 feature" in summary and "regression" in summary
    assert data.source_combo.currentData() == "quadratic"
    assert shown(data, "param_n").value() == 100

    # The user picks the digits from the combo.
    with qtbot.waitSignal(data.data_changed, timeout=10000):
        choose(data.source_combo, "digits")
    summary = data.summary_label.text()
    assert "1,438 train / 359 validation" in summary
    assert "64 features" in summary and "10 classes (0, 1, 2" in summary
    assert data.dataset().feature_shape == (64,)

    # ... and switches to images, which a conv net needs.
    with qtbot.waitSignal(data.data_changed, timeout=10000):
        choose(shown(data, "param_shape"), "image")
    assert data.dataset().feature_shape == (1, 8, 8)
    assert "1×8×8 image" in data.summary_label.text()
    assert data.data_spec() == {"source": "digits", "shape": "image", "val_fraction": 0.2}


def test_data_panel_parameter_edit_reloads(qtbot, data):
    data.set_data_spec({"source": "blobs"}, 3)
    assert data.data_spec()["n"] == 300
    with qtbot.waitSignal(data.data_changed, timeout=3000) as blocker:
        type_into(qtbot, shown(data, "param_n"), "50")
    assert blocker.args[0]["n"] == 50 and blocker.args[0]["classes"] == 3
    assert "40 train / 10 validation" in data.summary_label.text()
    # The reload keeps the panel's seed: the same samples as loading the edited spec with seed 3.
    np.testing.assert_array_equal(data.dataset().x_train, load_dataset(blocker.args[0], 3).x_train)


def test_bad_csv_shows_error_and_keeps_the_data(qtbot, data, tmp_path):
    data.set_data_spec({"source": "line"}, 0)
    before_spec, before_data = data.data_spec(), data.dataset()
    bad = tmp_path / "measurements.csv"
    bad.write_text("x1,x2,y\n1.0,2.0,3.0\n4.0,five,6.0\n7.0,8.0,9.0\n")
    with qtbot.assertNotEmitted(data.data_changed), qtbot.waitSignal(data.error_occurred, timeout=3000) as err:
        assert data.import_file("csv", bad) is False
    assert "measurements.csv" in err.args[0] and "line 3" in err.args[0]
    assert data.error_label.isVisible()
    text = data.error_label.text()
    assert "measurements.csv" in text and "line 3" in text and "'five'" in text
    assert data.dataset() is before_data and data.data_spec() == before_spec
    assert data.source_combo.currentData() == "line"

    # A good load clears the message.
    data.set_data_spec({"source": "quadratic"}, 0)
    assert not data.error_label.isVisible()


def test_csv_import_and_target_column(qtbot, data, tmp_path):
    data.set_data_spec({"source": "quadratic"}, 0)
    path = tmp_path / "iris-ish.csv"
    rows = ["a,b,kind,score"] + [f"{i},{i * 2},{i % 2},{i * 0.5}" for i in range(20)]
    path.write_text("\n".join(rows) + "\n")
    with qtbot.waitSignal(data.data_changed, timeout=3000):
        assert data.import_file("csv", str(path))
    assert data.data_spec()["path"] == str(path)
    assert data.dataset().task == "regression"  # the last column, 'score', by default
    target = shown(data, "param_target")
    assert [target.itemText(i) for i in range(target.count())] == ["a", "b", "kind", "score  (last)"]
    assert data.source_combo.currentText().endswith("iris-ish.csv")

    with qtbot.waitSignal(data.data_changed, timeout=3000) as blocker:
        choose(target, "kind")
    assert blocker.args[0]["target"] == "kind"
    assert data.dataset().task == "classification" and data.dataset().class_names == ["0", "1"]
    assert "2 classes (0, 1)" in data.summary_label.text()
    assert "3 features" in data.summary_label.text()

    # Back to a built-in and to the file again through the combo.
    choose(data.source_combo, "xor")
    assert data.data_spec()["source"] == "xor"
    file_index = next(i for i in range(data.source_combo.count()) if data.source_combo.itemData(i) == "__file__")
    data.source_combo.setCurrentIndex(file_index)
    data.source_combo.activated.emit(file_index)
    assert data.data_spec()["target"] == "kind"
    assert shown(data, "param_target").currentData() == "kind"


def test_import_buttons_open_a_dialog(qtbot, data, tmp_path, monkeypatch):
    data.set_data_spec({"source": "quadratic"}, 0)
    path = tmp_path / "arrays.npz"
    np.savez(path, x=np.arange(20, dtype=np.float32).reshape(10, 2), y=np.arange(10) % 2)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), "")))
    with qtbot.waitSignal(data.data_changed, timeout=3000):
        qtbot.mouseClick(data.import_buttons["npz"], Qt.MouseButton.LeftButton)
    assert data.dataset().name == "arrays.npz" and data.dataset().n_classes == 2

    # A cancelled dialog changes nothing.
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: ""))
    with qtbot.assertNotEmitted(data.data_changed), qtbot.assertNotEmitted(data.error_occurred):
        qtbot.mouseClick(data.import_buttons["mnist"], Qt.MouseButton.LeftButton)

    # A folder without MNIST files says so and keeps the npz data.
    empty = tmp_path / "empty"
    empty.mkdir()
    assert data.import_file("mnist", empty) is False
    assert "empty" in data.error_label.text() and "train-images-idx3-ubyte" in data.error_label.text()
    assert data.dataset().name == "arrays.npz"


def test_data_panel_locks(data):
    data.set_data_spec({"source": "xor"}, 0)
    data.set_editable(False)
    assert not data.source_combo.isEnabled() and not data.form_host.isEnabled()
    assert not any(b.isEnabled() for b in data.import_buttons.values())
    data.set_editable(True)
    assert data.source_combo.isEnabled()


def test_data_named_widgets(data):
    for name in ("dataSourceCombo", "dataSummaryLabel", "dataErrorLabel"):
        assert data.findChild(object, name) is not None, name
    assert not data.findChild(object, "dataErrorLabel").isVisible()


# ---------------------------------------------------------------------------------------------------------------
# TrainingBar

@pytest.mark.parametrize("preset", list(PRESETS))
def test_training_settings_round_trip(qtbot, bar, preset):
    ts = PRESETS[preset].config().train
    with qtbot.assertNotEmitted(bar.settings_changed), qtbot.assertNotEmitted(bar.lr_changed):
        bar.set_settings(ts)
    assert bar.settings() == asdict(ts)
    TrainSettings(**bar.settings()).validate()


def test_training_settings_edits(qtbot, bar):
    ts = TrainSettings(loss="cross_entropy", optimizer="sgd", lr=3e-4, momentum=0.9, nesterov=True,
                       weight_decay=1e-4, l1=1e-5, batch_size=None, epochs=7, seed=42)
    bar.set_settings(ts)
    assert bar.settings() == asdict(ts)
    assert bar.batch_spin.text() == "all"
    assert bar.lr_spin.text() == "0.0003"

    with qtbot.waitSignal(bar.settings_changed, timeout=1000):
        type_into(qtbot, bar.batch_spin, "32")
    assert bar.settings()["batch_size"] == 32
    with qtbot.waitSignal(bar.settings_changed, timeout=1000):
        choose(bar.optimizer_combo, "adam")
    # Momentum and Nesterov belong to SGD: greyed, and Nesterov is not reported for Adam.
    assert not bar.momentum_spin.isEnabled() and not bar.nesterov_check.isEnabled()
    assert bar.settings()["nesterov"] is False
    TrainSettings(**bar.settings()).validate()
    assert bar.train_settings().optimizer == "adam"
    assert {bar.loss_combo.itemData(i) for i in range(bar.loss_combo.count())} == set(LOSSES)
    assert {bar.optimizer_combo.itemData(i) for i in range(bar.optimizer_combo.count())} == set(OPTIMIZERS)


def test_lr_change_emits_lr_changed(qtbot, bar):
    bar.set_settings(TrainSettings(lr=0.01))
    bar.set_state("running")
    assert bar.lr_spin.isEnabled()  # live while training
    with qtbot.waitSignal(bar.lr_changed, timeout=1000) as blocker:
        type_into(qtbot, bar.lr_spin, "0.003")
    assert blocker.args == [pytest.approx(0.003)]
    with qtbot.waitSignal(bar.lr_changed, timeout=1000) as blocker:
        qtbot.keyClick(bar.lr_spin, Qt.Key.Key_Up)  # 1-2-5 ladder: 0.003 → 0.005
    assert blocker.args == [pytest.approx(0.005)]
    with qtbot.waitSignal(bar.lr_changed, timeout=1000) as blocker:
        type_into(qtbot, bar.lr_spin, "1e-5")
    assert blocker.args == [pytest.approx(1e-5)] and bar.lr_spin.text() == "1e-05"


EXPECTED = {  # state: start, pause, step, reset, stop, pause text
    "ready": (True, False, True, False, False, "Pause"),
    "running": (False, True, False, True, True, "Pause"),
    "paused": (False, True, True, True, True, "Resume"),
    "finished": (False, False, False, True, False, "Pause"),
    "stopped": (True, False, True, True, False, "Pause"),  # Start continues a stopped run
    "diverged": (True, False, True, True, False, "Pause"),  # Start trains on from the last finite weights
}


@pytest.mark.parametrize("state", list(EXPECTED))
def test_states_enable_the_right_buttons(bar, state):
    bar.set_state(state)
    buttons = (bar.start_button, bar.pause_button, bar.step_button, bar.reset_button, bar.stop_button)
    *enabled, pause_text = EXPECTED[state]
    assert [b.isEnabled() for b in buttons] == enabled
    assert bar.pause_button.text() == pause_text
    locked = state in ("running", "paused")
    for w in (bar.epochs_spin, bar.optimizer_combo, bar.loss_combo, bar.batch_spin, bar.seed_spin,
              bar.weight_decay_spin, bar.l1_spin, bar.preset_combo):
        assert w.isEnabled() is not locked, w.objectName()
    assert bar.lr_spin.isEnabled()


def test_buttons_emit_requests(qtbot, bar):
    with qtbot.waitSignal(bar.start_requested, timeout=1000):
        qtbot.mouseClick(bar.start_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(bar.step_requested, timeout=1000):
        qtbot.mouseClick(bar.step_button, Qt.MouseButton.LeftButton)
    bar.set_state("running")
    with qtbot.waitSignal(bar.pause_requested, timeout=1000), qtbot.assertNotEmitted(bar.resume_requested):
        qtbot.mouseClick(bar.pause_button, Qt.MouseButton.LeftButton)
    assert not bar.pause_button.isChecked()  # waits for the controller's set_state
    bar.set_state("paused")
    assert bar.pause_button.isChecked()
    with qtbot.waitSignal(bar.resume_requested, timeout=1000), qtbot.assertNotEmitted(bar.pause_requested):
        qtbot.mouseClick(bar.pause_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(bar.stop_requested, timeout=1000):
        qtbot.mouseClick(bar.stop_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(bar.reset_requested, timeout=1000):
        qtbot.mouseClick(bar.reset_button, Qt.MouseButton.LeftButton)


def test_blocked_start_says_why(qtbot, bar):
    assert "Space" in bar.start_button.toolTip()
    bar.set_start_blocked("layer 2 (Linear): the network ends with shape (5,) but the data needs 10 outputs")
    assert not bar.start_button.isEnabled() and not bar.step_button.isEnabled()
    assert "layer 2 (Linear)" in bar.start_button.toolTip()
    with qtbot.assertNotEmitted(bar.start_requested):
        qtbot.mouseClick(bar.start_button, Qt.MouseButton.LeftButton)
    bar.set_start_blocked(None)
    assert bar.start_button.isEnabled() and bar.start_button.toolTip() == "Start training (Space)"


def test_preset_combo_has_every_preset(qtbot, bar):
    combo = bar.preset_combo
    assert [combo.itemData(i) for i in range(combo.count())] == list(PRESETS)
    for i, preset in enumerate(PRESETS.values()):
        assert combo.itemText(i) == preset.title
        assert combo.itemData(i, Qt.ItemDataRole.ToolTipRole) == preset.description
    with qtbot.waitSignal(bar.preset_chosen, timeout=1000) as blocker:
        choose(combo, "digits-cnn")
    assert blocker.args == ["digits-cnn"]
    with qtbot.assertNotEmitted(bar.preset_chosen):
        bar.set_preset("line-2x+1")
    assert bar.preset() == "line-2x+1"
    assert PRESETS["line-2x+1"].description in combo.toolTip()


def test_bar_widgets_named_and_tooltipped(bar):
    names = ("startButton", "pauseButton", "stepButton", "resetButton", "stopButton", "presetCombo", "epochsSpin",
             "lrSpin", "optimizerCombo", "lossCombo", "batchSpin", "seedSpin", "moreButton", "momentumSpin",
             "nesterovCheck", "weightDecaySpin", "l1Spin", "deviceCombo")
    for name in names:
        w = bar.findChild(object, name)
        assert w is not None, name
        assert w.toolTip(), f"{name} has no tooltip"
    assert bar.objectName() == "trainingBar"
    assert "(Space)" in bar.start_button.toolTip() and "(Right)" in bar.step_button.toolTip()
    assert "(Ctrl+R)" in bar.reset_button.toolTip()


def test_bar_fits_a_laptop_screen(bar):
    assert bar.sizeHint().width() <= 1366


def test_float_spin_box_parses_and_steps(qtbot):
    spin = FloatSpinBox(minimum=1e-6, maximum=10, value=0.01, log_steps=True)
    qtbot.addWidget(spin)
    assert spin.text() == "0.01"
    spin.stepBy(1)
    assert spin.value() == pytest.approx(0.02)
    spin.stepBy(-3)
    assert spin.value() == pytest.approx(0.002)
    spin.setValue(10)
    spin.stepBy(1)
    assert spin.value() == 10
    assert isinstance(spin, QDoubleSpinBox)


def test_more_popup_opens_and_closes_with_escape(qtbot, bar):
    bar.set_settings(TrainSettings(optimizer="sgd", momentum=0.5, weight_decay=1e-4))
    qtbot.mouseClick(bar.more_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(bar.more_popup.isVisible, timeout=1000)
    assert bar.momentum_spin.isVisible() and bar.nesterov_check.isEnabled()
    assert "momentum 0.5" in bar.more_button.toolTip() and "L2 0.0001" in bar.more_button.toolTip()
    with qtbot.waitSignal(bar.settings_changed, timeout=1000):
        bar.nesterov_check.setFocus()
        qtbot.keyClick(bar.nesterov_check, Qt.Key.Key_Space)
    assert bar.settings()["nesterov"] is True
    qtbot.keyClick(bar.more_popup, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not bar.more_popup.isVisible(), timeout=1000)
