"""The editor of one layer, under the architecture builder's layer list: its kind, its parameters, its inits.

It edits no spec: it shows a `LayerSpec` (`show_layer`) and reports what the user changed (`param_edited`,
`init_edited`, `kind_edited`). The form is built again only when another layer or another kind is shown; every
other change, the user's own edits included, updates the fields in place. So a field keeps its focus while it is
edited, and ↑ pressed three times adds three.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from weightstudio.core.spec import ACTIVATIONS, LayerSpec

from ..translation import TranslatedTable
from .widgets import HINT_STYLE, FloatSpinBox, InitEditor

LAYER_DESCRIPTIONS = TranslatedTable("LayerEditor", {
    "Linear": QT_TRANSLATE_NOOP("LayerEditor", "Fully connected: every output is a weighted sum of every input plus "
                                               "a bias"),
    "Conv2d": QT_TRANSLATE_NOOP("LayerEditor", "2-D convolution: small kernels slide over a channels×height×width "
                                               "input"),
    "MaxPool2d": QT_TRANSLATE_NOOP("LayerEditor", "Keeps the largest value in each window (shrinks height and width)"),
    "AvgPool2d": QT_TRANSLATE_NOOP("LayerEditor", "Averages each window (shrinks height and width)"),
    "Flatten": QT_TRANSLATE_NOOP("LayerEditor", "Turns a channels×height×width input into one flat vector (needed "
                                                "before Linear)"),
    "Dropout": QT_TRANSLATE_NOOP("LayerEditor", "Zeroes a random fraction of its inputs while training "
                                                "(regularisation)"),
    "ReLU": QT_TRANSLATE_NOOP("LayerEditor", "max(0, x)"),
    "Sigmoid": QT_TRANSLATE_NOOP("LayerEditor", "1 / (1 + e^(−x)), squashes to (0, 1)"),
    "Tanh": QT_TRANSLATE_NOOP("LayerEditor", "tanh(x), squashes to (−1, 1)"),
    "LeakyReLU": QT_TRANSLATE_NOOP("LayerEditor", "x for x > 0, negative_slope·x otherwise"),
    "GELU": QT_TRANSLATE_NOOP("LayerEditor", "Gaussian error linear unit, a smooth ReLU"),
    "Identity": QT_TRANSLATE_NOOP("LayerEditor", "Passes its input through unchanged (no activation)"),
})
PARAM_TIPS = TranslatedTable("LayerEditor", {
    "out_features": QT_TRANSLATE_NOOP("LayerEditor", "Number of outputs of this layer (its width). The weight is "
                                                     "out × in."),
    "out_channels": QT_TRANSLATE_NOOP("LayerEditor", "Number of kernels, i.e. output channels. The weight is out × "
                                                     "in × k × k."),
    "kernel_size": QT_TRANSLATE_NOOP("LayerEditor", "Side of the square window, in pixels"),
    "stride": QT_TRANSLATE_NOOP("LayerEditor", "How far the window moves between outputs"),
    "padding": QT_TRANSLATE_NOOP("LayerEditor", "Zeros added around the input on every side (padding (k−1)/2 with "
                                                "stride 1 keeps the size)"),
    "bias": QT_TRANSLATE_NOOP("LayerEditor", "Give each output a learned bias"),
    "p": QT_TRANSLATE_NOOP("LayerEditor", "Fraction of inputs zeroed while training; no effect at evaluation"),
    "negative_slope": QT_TRANSLATE_NOOP("LayerEditor", "Slope for negative inputs"),
})
PARAM_LABELS = TranslatedTable("LayerEditor", {
    "out_features": QT_TRANSLATE_NOOP("LayerEditor", "Outputs"),
    "out_channels": QT_TRANSLATE_NOOP("LayerEditor", "Out channels"),
    "kernel_size": QT_TRANSLATE_NOOP("LayerEditor", "Kernel"),
    "stride": QT_TRANSLATE_NOOP("LayerEditor", "Stride"),
    "padding": QT_TRANSLATE_NOOP("LayerEditor", "Padding"),
    "bias": QT_TRANSLATE_NOOP("LayerEditor", "Bias"),
    "p": QT_TRANSLATE_NOOP("LayerEditor", "Drop fraction"),
    "negative_slope": QT_TRANSLATE_NOOP("LayerEditor", "Negative slope"),
})
# (minimum, maximum) for the integer parameters.
INT_RANGES = {
    "out_features": (1, 100_000),
    "out_channels": (1, 4096),
    "kernel_size": (1, 64),
    "stride": (1, 64),
    "padding": (0, 64),
}
POOLS = ("MaxPool2d", "AvgPool2d")


class LayerEditor(QGroupBox):
    """A form for the selected layer. Shows; never edits the spec itself.

    Signals carry the new value: `param_edited(name, value)`, `init_edited("weight_init" | "bias_init", InitSpec)`,
    `kind_edited(kind)` (the activation combo). Fields are named `param_<name>`, `weightInit`, `biasInit` and
    `activationCombo`.
    """

    param_edited = Signal(str, object)
    init_edited = Signal(str, object)
    kind_edited = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(self.tr("Layer"), parent)
        self.setObjectName("layerEditor")
        # Natural height (no scroll area): a ReLU's editor is one line and leaves the room to the lists.
        box_layout = QVBoxLayout(self)
        box_layout.setContentsMargins(4, 2, 4, 4)
        self.host = QWidget(self)
        self._host_layout = QVBoxLayout(self.host)
        self._host_layout.setContentsMargins(0, 0, 0, 0)
        box_layout.addWidget(self.host)
        self._page: QWidget | None = None
        self._fields: dict[str, QWidget] = {}
        self._shown: tuple | None = None  # (row, kind, parameter names) the form was built for
        self._locked = False
        self.row = -1

    # ---- showing a layer
    def show_layer(self, row: int, layer: LayerSpec | None, n_layers: int) -> None:
        """Show layer `row` (-1 and None: no selection). Rebuilds only for another row or kind."""
        self.row = row
        shown = (row, layer.kind, tuple(layer.params)) if layer is not None else (row, None, n_layers > 0)
        if shown != self._shown:
            self._shown = shown
            self._build(layer, n_layers)
        else:
            self._show_values(layer)
        self._update_title()

    def set_locked(self, locked: bool) -> None:
        """Locked while training: the fields grey out, the title says why."""
        self._locked = bool(locked)
        self.host.setEnabled(not self._locked)
        self.setToolTip(self.tr("Locked while training runs: stop or reset to edit") if self._locked else "")
        self._update_title()

    def _update_title(self) -> None:
        title = self.tr("Layer {0}: {1}").format(self.row, self._shown[1]) if self._shown and self._shown[1] \
            else self.tr("Layer")
        self.setTitle(title + (self.tr(" (locked while training)") if self._locked else ""))

    def _show_values(self, layer: LayerSpec | None) -> None:
        """Put `layer`'s values in the fields that differ, emitting nothing; the other fields are not touched."""
        if layer is None:
            return
        for name, value in layer.params.items():
            _show_value(self._fields[name], value)
        if layer.has_weights:
            for which in ("weight_init", "bias_init"):
                editor = self._fields[which]
                if editor.init() != getattr(layer, which):  # set_init rebuilds its argument fields
                    editor.set_init(getattr(layer, which))
            self._fields["bias_init"].setEnabled(bool(layer.params.get("bias")))

    # ---- building the form
    def _build(self, layer: LayerSpec | None, n_layers: int) -> None:
        focused = self._focused_field()
        self._fields = {}
        page = QWidget(self.host)
        form = QFormLayout(page)
        form.setContentsMargins(2, 2, 2, 2)
        form.setVerticalSpacing(3)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if layer is None:
            form.addRow(self._hint(self.tr("Select a layer above to edit it.") if n_layers
                                   else self.tr("No layer selected. Use “Add layer” to build the network."), page))
        else:
            self._add_layer_fields(form, page, layer)
        self._show_page(page)
        if focused in self._fields:  # another activation: the combo the user is using stays focused
            self._fields[focused].setFocus()

    def _add_layer_fields(self, form: QFormLayout, page: QWidget, layer: LayerSpec) -> None:
        if layer.kind in ACTIVATIONS:
            self._add_field(form, self.tr("Activation"), self._activation_combo(page, layer.kind), "kind")
        else:
            kind_label = QLabel(layer.kind, page)
            kind_label.setToolTip(LAYER_DESCRIPTIONS.get(layer.kind, layer.kind))
            form.addRow(self.tr("Kind"), kind_label)
        for name, value in layer.params.items():
            self._add_field(form, PARAM_LABELS.get(name, name), self._param_field(page, layer.kind, name, value),
                            name)
        if layer.has_weights:
            self._add_field(form, self.tr("Weight init"), self._init_editor(page, "weight", layer.weight_init),
                            "weight_init")
            bias = self._init_editor(page, "bias", layer.bias_init)
            bias.setEnabled(bool(layer.params.get("bias")))
            self._add_field(form, self.tr("Bias init"), bias, "bias_init")
        elif not layer.params and layer.kind not in ACTIVATIONS:
            form.addRow(self._hint(self.tr("This layer has no settings."), page))

    def _show_page(self, page: QWidget) -> None:
        # The old page may hold the widget whose signal got us here (the activation combo): delete it later, not
        # in the middle of its own signal.
        old = self._page
        if old is not None:
            self._host_layout.removeWidget(old)
            old.hide()
            old.deleteLater()
        self._host_layout.addWidget(page)
        page.show()  # now, not at the next event loop pass: focus can only go to a visible widget
        self._page = page

    def _focused_field(self) -> str | None:
        focus = QApplication.focusWidget()
        for key, widget in self._fields.items():
            if focus is not None and (widget is focus or widget.isAncestorOf(focus)):
                return key
        return None

    def _add_field(self, form: QFormLayout, label: str, widget: QWidget, key: str) -> None:
        lab = QLabel(label, widget.parentWidget())
        lab.setBuddy(widget)
        lab.setToolTip(widget.toolTip())
        form.addRow(lab, widget)
        self._fields[key] = widget

    @staticmethod
    def _hint(text: str, parent: QWidget) -> QLabel:
        hint = QLabel(text, parent)
        hint.setWordWrap(True)
        hint.setStyleSheet(HINT_STYLE)
        return hint

    # ---- the fields
    def _activation_combo(self, parent: QWidget, kind: str) -> QComboBox:
        combo = QComboBox(parent)
        combo.setObjectName("activationCombo")
        for activation in ACTIVATIONS:
            combo.addItem(activation, activation)
            combo.setItemData(combo.count() - 1, LAYER_DESCRIPTIONS.get(activation, activation),
                              Qt.ItemDataRole.ToolTipRole)
        combo.setCurrentIndex(combo.findData(kind))
        combo.setToolTip(self.tr("Which activation function this layer applies"))
        combo.currentIndexChanged.connect(lambda _i: self.kind_edited.emit(combo.currentData()))
        return combo

    def _init_editor(self, parent: QWidget, what: str, init) -> InitEditor:
        editor = InitEditor(what, for_bias=what == "bias", parent=parent)
        editor.setObjectName(f"{what}Init")
        editor.set_init(init)
        editor.changed.connect(lambda: self.init_edited.emit(f"{what}_init", editor.init()))
        return editor

    def _param_field(self, parent: QWidget, kind: str, name: str, value) -> QWidget:
        if name == "bias":
            w = QCheckBox(self.tr("learned bias"), parent)
            w.toggled.connect(lambda v: self.param_edited.emit("bias", bool(v)))
        elif name == "stride" and kind in POOLS:
            w = self._pool_stride_spin(parent)
        elif name in INT_RANGES:
            w = _int_spin(parent, *INT_RANGES[name])
            w.valueChanged.connect(lambda v: self.param_edited.emit(name, int(v)))
        elif name == "p":
            w = _fraction_spin(parent)
            w.valueChanged.connect(lambda v: self.param_edited.emit("p", float(v)))
        else:
            w = FloatSpinBox(parent, minimum=0.0, maximum=10.0, step=0.01)
            w.valueChanged.connect(lambda v: self.param_edited.emit(name, float(v)))
        w.setObjectName(f"param_{name}")
        w.setToolTip(w.toolTip() or PARAM_TIPS.get(name, name))
        with QSignalBlocker(w):
            _show_value(w, value)
        return w

    def _pool_stride_spin(self, parent: QWidget) -> QSpinBox:
        # None means "same as the kernel"; 0 stands for it in the spin box.
        w = _int_spin(parent, 0, INT_RANGES["stride"][1])
        w.setSpecialValueText(self.tr("= kernel"))
        w.setToolTip(PARAM_TIPS["stride"] + self.tr(" (“= kernel”: windows side by side, no overlap)"))
        w.valueChanged.connect(lambda v: self.param_edited.emit("stride", None if v == 0 else int(v)))
        return w


def _int_spin(parent: QWidget, lo: int, hi: int) -> QSpinBox:
    w = QSpinBox(parent)
    w.setKeyboardTracking(False)
    w.setAccelerated(True)
    w.setRange(lo, hi)
    return w


def _fraction_spin(parent: QWidget) -> QDoubleSpinBox:
    w = QDoubleSpinBox(parent)
    w.setKeyboardTracking(False)
    w.setRange(0.0, 0.95)
    w.setDecimals(2)
    w.setSingleStep(0.05)
    return w


def _show_value(widget: QWidget, value) -> None:
    """Show a parameter's value in its field without emitting; a field that already shows it is left alone, so
    text being typed there is not reset."""
    with QSignalBlocker(widget):
        if isinstance(widget, QCheckBox):
            widget.setChecked(bool(value))
        elif isinstance(widget, QSpinBox):
            shown = 0 if value is None else int(value)  # a pool's stride None is the "= kernel" 0
            if widget.value() != shown:
                widget.setValue(shown)
        elif isinstance(widget, QDoubleSpinBox) and widget.value() != float(value):
            widget.setValue(float(value))
