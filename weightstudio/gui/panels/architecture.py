"""The architecture builder: the layer list of a `ModelSpec`, an editor for the selected layer, and the live
parameter table (`0.weight  [10, 1]  10`) that the seed posts call the weight dimension analysis.

The main window owns one `ArchitecturePanel` in a dock. It feeds it a spec (`set_spec`) and what the data needs
(`set_data_shape`), listens to `spec_changed`, and locks it while a run trains (`set_editable(False)`).
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QAction, QBrush, QColor, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from weightstudio.core.spec import ACTIVATIONS, LAYER_PARAMS, LayerSpec, ModelSpec, SpecError, layer_output_shape

from .widgets import ERROR_BACKGROUND, ERROR_STYLE, HINT_STYLE, FloatSpinBox, InitEditor

def param_table(spec: ModelSpec):
    """core.builder's parameter table, imported on first use: builder imports torch, which the studio loads only
    after its window has painted."""
    from weightstudio.core.builder import param_table as table

    return table(spec)


LAYER_DESCRIPTIONS = {
    "Linear": "Fully connected: every output is a weighted sum of every input plus a bias",
    "Conv2d": "2-D convolution: small kernels slide over a channels×height×width input",
    "MaxPool2d": "Keeps the largest value in each window (shrinks height and width)",
    "AvgPool2d": "Averages each window (shrinks height and width)",
    "Flatten": "Turns a channels×height×width input into one flat vector (needed before Linear)",
    "Dropout": "Zeroes a random fraction of its inputs while training (regularisation)",
    "ReLU": "max(0, x)",
    "Sigmoid": "1 / (1 + e^(−x)), squashes to (0, 1)",
    "Tanh": "tanh(x), squashes to (−1, 1)",
    "LeakyReLU": "x for x > 0, negative_slope·x otherwise",
    "GELU": "Gaussian error linear unit, a smooth ReLU",
    "Identity": "Passes its input through unchanged (no activation)",
}
PARAM_TIPS = {
    "out_features": "Number of outputs of this layer (its width). The weight is out × in.",
    "out_channels": "Number of kernels, i.e. output channels. The weight is out × in × k × k.",
    "kernel_size": "Side of the square window, in pixels",
    "stride": "How far the window moves between outputs",
    "padding": "Zeros added around the input on every side (padding (k−1)/2 with stride 1 keeps the size)",
    "bias": "Give each output a learned bias",
    "p": "Fraction of inputs zeroed while training; no effect at evaluation",
    "negative_slope": "Slope for negative inputs",
}
PARAM_LABELS = {
    "out_features": "Outputs",
    "out_channels": "Out channels",
    "kernel_size": "Kernel",
    "stride": "Stride",
    "padding": "Padding",
    "bias": "Bias",
    "p": "Drop fraction",
    "negative_slope": "Negative slope",
}
# (minimum, maximum) for the integer parameters.
INT_RANGES = {
    "out_features": (1, 100_000),
    "out_channels": (1, 4096),
    "kernel_size": (1, 64),
    "stride": (1, 64),
    "padding": (0, 64),
}
# The Add menu, in groups.
ADD_GROUPS = (
    ("Linear", "Conv2d"),
    ("Flatten", "MaxPool2d", "AvgPool2d", "Dropout"),
    ACTIVATIONS,
)


def format_shape(shape: tuple[int, ...]) -> str:
    """`[10, 1]`, the way torch.Size prints without its name."""
    return "[" + ", ".join(str(d) for d in shape) + "]"


def _header_tips(table: QTableWidget, tips: list[str]) -> None:
    table.horizontalHeader().setToolTip("; ".join(tips))
    for col, tip in enumerate(tips):
        table.horizontalHeaderItem(col).setToolTip(tip)


class ArchitecturePanel(QWidget):
    """Edits the network's layers and shows its parameters.

    Owns a private copy of the `ModelSpec`; `spec()` hands out copies. `spec_changed(ModelSpec)` fires after each
    user edit (add, remove, move, any parameter or init change), never from `set_spec`, `set_data_shape` or
    `set_editable`. After every change the spec is checked against what the data needs: the offending layer's row
    turns red with the reason as its tooltip, and `archProblemLabel` says the same; `problem()` returns it.
    """

    spec_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("architecturePanel")
        self._spec = ModelSpec((1,), [])
        self._n_outputs: int | None = None
        self._data_known = False
        self._data_shape: tuple[int, ...] = (1,)
        self._problem: SpecError | None = None
        self._editable = True
        self._editor_row = -1

        style = self.style()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 6, 6, 6)
        outer.setSpacing(4)

        self.input_label = QLabel(self)
        self.input_label.setObjectName("inputShapeLabel")
        self.input_label.setWordWrap(True)
        self.input_label.setToolTip("The input shape comes from the data set (one sample, without the batch "
                                    "dimension); the last layer must produce the outputs the data needs")
        outer.addWidget(self.input_label)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setObjectName("architectureSplitter")
        splitter.setChildrenCollapsible(False)
        outer.addWidget(splitter, 1)

        # ---- layer list, buttons, problem message
        top = QWidget(splitter)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.setSpacing(4)
        self.layer_list = QTableWidget(0, 3, top)
        self.layer_list.setObjectName("layerList")
        self.layer_list.setHorizontalHeaderLabels(["#", "Layer", "Output"])
        _header_tips(self.layer_list, ["Layer index: the number in parameter names such as 2.weight",
                                       "The layer and its settings", "Shape of one sample after this layer"])
        self.layer_list.verticalHeader().setVisible(False)
        self.layer_list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.layer_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.layer_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.layer_list.setAlternatingRowColors(True)
        self.layer_list.setWordWrap(False)
        header = self.layer_list.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.layer_list.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.layer_list.setToolTip("The layers in order, input at the top. Select one to edit it below.\n"
                                   "Delete removes it; Ctrl+Up / Ctrl+Down move it; Insert opens the Add menu.")
        self.layer_list.itemSelectionChanged.connect(self._selection_changed)
        top_layout.addWidget(self.layer_list, 1)

        buttons = QHBoxLayout()
        buttons.setSpacing(4)
        self.add_button = QToolButton(top)
        self.add_button.setObjectName("addLayerButton")
        self.add_button.setText("&Add layer")
        self.add_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.add_button.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_FileDialogNewFolder))
        self.add_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.add_button.setToolTip("Insert a layer after the selected one (Insert)")
        self.add_menu = QMenu(self.add_button)
        self.add_menu.setObjectName("addLayerMenu")
        self.add_menu.setToolTipsVisible(True)
        for group_index, group in enumerate(ADD_GROUPS):
            if group_index:
                self.add_menu.addSeparator()
            for kind in group:
                action = QAction(kind, self.add_menu)
                action.setObjectName(f"add{kind}Action")
                action.setToolTip(LAYER_DESCRIPTIONS.get(kind, kind))
                action.setData(kind)
                action.triggered.connect(lambda _checked=False, k=kind: self.add_layer(k))
                self.add_menu.addAction(action)
        self.add_button.setMenu(self.add_menu)
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        self.remove_button = self._tool_button(top, "removeLayerButton", QStyle.StandardPixmap.SP_DialogDiscardButton,
                                               "Remove", "Remove the selected layer (Delete)", self.remove_layer)
        self.up_button = self._tool_button(top, "moveUpButton", QStyle.StandardPixmap.SP_ArrowUp, "Up",
                                           "Move the selected layer towards the input (Ctrl+Up)",
                                           lambda: self.move_layer(-1))
        self.down_button = self._tool_button(top, "moveDownButton", QStyle.StandardPixmap.SP_ArrowDown, "Down",
                                             "Move the selected layer towards the output (Ctrl+Down)",
                                             lambda: self.move_layer(1))
        for b in (self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(b)
        top_layout.addLayout(buttons)

        self.problem_label = QLabel(top)
        self.problem_label.setObjectName("archProblemLabel")
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet(ERROR_STYLE)
        self.problem_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problem_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.problem_label.setVisible(False)
        top_layout.addWidget(self.problem_label)

        # ---- editor of the selected layer
        # Natural height (no scroll area): a ReLU's editor is one line and leaves the room to the lists.
        self.editor_box = QGroupBox("Layer", top)
        self.editor_box.setObjectName("layerEditor")
        box_layout = QVBoxLayout(self.editor_box)
        box_layout.setContentsMargins(4, 2, 4, 4)
        self.editor_host = QWidget(self.editor_box)
        self._editor_layout = QVBoxLayout(self.editor_host)
        self._editor_layout.setContentsMargins(0, 0, 0, 0)
        box_layout.addWidget(self.editor_host)
        self._editor_page: QWidget | None = None
        self._editor_widgets: dict[str, QWidget] = {}
        top_layout.addWidget(self.editor_box)

        # ---- parameter table
        bottom = QWidget(splitter)
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.setSpacing(2)
        caption = QLabel("Parameters (as named by <code>named_parameters()</code>)", bottom)
        caption.setToolTip("Every learnable tensor the network will have, with its shape and size")
        bottom_layout.addWidget(caption)
        self.param_table = QTableWidget(0, 4, bottom)
        self.param_table.setObjectName("paramTable")
        self.param_table.setHorizontalHeaderLabels(["Parameter", "Shape", "Count", "Layer output"])
        _header_tips(self.param_table, ["Name as in model.named_parameters()",
                                        "Tensor shape: (out, in) for Linear, (out, in, k, k) for Conv2d",
                                        "Number of learnable values", "Shape of one sample after the layer"])
        self.param_table.verticalHeader().setVisible(False)
        self.param_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.param_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.param_table.setAlternatingRowColors(True)
        self.param_table.setWordWrap(False)
        self.param_table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        ph = self.param_table.horizontalHeader()
        for col in range(4):
            ph.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        ph.setStretchLastSection(True)
        self.param_table.setToolTip("Weight shapes are (out, in) for Linear and (out, in, k, k) for Conv2d; "
                                    "“Layer output” is the shape one sample has after that layer")
        bottom_layout.addWidget(self.param_table, 1)

        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([440, 240])

        for keys, slot in ((QKeySequence.StandardKey.Delete, self.remove_layer),
                           ("Ctrl+Up", lambda: self.move_layer(-1)),
                           ("Ctrl+Down", lambda: self.move_layer(1)),
                           ("Insert", self._open_add_menu)):
            shortcut = QShortcut(QKeySequence(keys), self.layer_list)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)

        self._refresh(select=None)

    # ------------------------------------------------------------------ public API
    def set_spec(self, spec: ModelSpec) -> None:
        """Show `spec` (a copy is kept). Does not emit `spec_changed`. Keeps the input shape of `set_data_shape`
        when one was given, since the data decides it."""
        row = self.current_row()
        self._spec = spec.copy()
        if self._data_known:
            self._spec.input_shape = self._data_shape
        self._refresh(select=min(max(row, 0), len(self._spec.layers) - 1) if self._spec.layers else None)

    def spec(self) -> ModelSpec:
        """A copy of the current spec."""
        return self._spec.copy()

    def set_data_shape(self, input_shape: tuple, n_outputs: int) -> None:
        """What the data needs: the input shape of one sample and the width of the output layer.

        Re-checks the spec. Does not emit `spec_changed`: read `spec()` afterwards for the updated input shape."""
        self._data_shape = tuple(int(d) for d in input_shape)
        self._n_outputs = int(n_outputs)
        self._data_known = True
        self._spec.input_shape = self._data_shape
        self._refresh(select=self.current_row() if self.current_row() >= 0 else None)

    def problem(self) -> str | None:
        """Why the current spec cannot be trained, or None."""
        return str(self._problem) if self._problem is not None else None

    def problem_layer(self) -> int | None:
        """Index of the layer the problem is in (None when there is none or it concerns the whole network)."""
        return self._problem.layer if self._problem is not None else None

    def set_editable(self, editable: bool) -> None:
        """Lock (False) or unlock the editing controls; the lists stay readable and selectable."""
        self._editable = bool(editable)
        self._update_buttons()
        self.editor_host.setEnabled(self._editable)
        self.editor_box.setToolTip("" if self._editable else "Locked while training runs: stop or reset to edit")
        self._update_editor_title()

    def is_editable(self) -> bool:
        return self._editable

    def current_row(self) -> int:
        """Index of the selected layer, or -1."""
        rows = self.layer_list.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def select_layer(self, index: int) -> None:
        if 0 <= index < len(self._spec.layers):
            self.layer_list.selectRow(index)

    def total_params(self) -> int:
        try:
            return sum(info.count for info in param_table(self._spec))
        except SpecError:
            return 0

    def add_layer(self, kind: str, index: int | None = None) -> None:
        """Insert a `kind` layer with default parameters after the selected layer (or at `index`)."""
        if not self._editable or kind not in LAYER_PARAMS:
            return
        if index is None:
            row = self.current_row()
            index = row + 1 if row >= 0 else len(self._spec.layers)
        index = min(max(index, 0), len(self._spec.layers))
        self._spec.layers.insert(index, LayerSpec(kind))
        self._edited(select=index)
        self.layer_list.setFocus()

    def remove_layer(self) -> None:
        """Remove the selected layer."""
        row = self.current_row()
        if not self._editable or row < 0:
            return
        del self._spec.layers[row]
        select = min(row, len(self._spec.layers) - 1) if self._spec.layers else None
        self._edited(select=select)

    def move_layer(self, delta: int) -> None:
        """Move the selected layer up (-1) or down (+1)."""
        row = self.current_row()
        target = row + delta
        if not self._editable or row < 0 or not 0 <= target < len(self._spec.layers):
            return
        layers = self._spec.layers
        layers[row], layers[target] = layers[target], layers[row]
        self._edited(select=target)

    # ------------------------------------------------------------------ internals
    def _tool_button(self, parent, name, icon, text, tip, slot) -> QToolButton:
        b = QToolButton(parent)
        b.setObjectName(name)
        b.setIcon(self.style().standardIcon(icon))
        b.setText(text)
        b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        b.setToolTip(tip)
        b.setAccessibleName(text)
        b.clicked.connect(slot)
        return b

    def _open_add_menu(self) -> None:
        if self._editable:
            self.add_button.showMenu()

    def _edited(self, select: int | None) -> None:
        self._refresh(select=select)
        self.spec_changed.emit(self._spec.copy())

    def _refresh(self, select: int | None) -> None:
        """Redraw the list, check the spec, redraw the parameter table; rebuild the editor if the selection moved."""
        self._problem = self._spec.check(self._n_outputs)
        shapes = self._shapes()
        layers = self._spec.layers
        with QSignalBlocker(self.layer_list):
            self.layer_list.setRowCount(len(layers))
            for i, layer in enumerate(layers):
                self._set_row(i, layer, shapes[i] if i < len(shapes) else None)
            if select is not None and 0 <= select < len(layers):
                self.layer_list.selectRow(select)
            elif not layers:
                self.layer_list.clearSelection()
        self._update_input_label()
        self._update_problem()
        self._update_params()
        self._update_buttons()
        if self.current_row() != self._editor_row or select is not None:
            self._build_editor()
        else:
            self._update_editor_title()

    def _shapes(self) -> list[tuple[int, ...]]:
        """Output shapes of the layers up to (not including) the first impossible one."""
        shapes, shape = [], tuple(self._spec.input_shape)
        for i, layer in enumerate(self._spec.layers):
            try:
                shape = layer_output_shape(i, layer, shape)
            except SpecError:
                break
            shapes.append(shape)
        return shapes

    def _set_row(self, i: int, layer: LayerSpec, shape: tuple[int, ...] | None) -> None:
        bad = self._problem is not None and self._problem.layer == i
        items = [QTableWidgetItem(str(i)), QTableWidgetItem(layer.describe()),
                 QTableWidgetItem(format_shape(shape) if shape is not None else "?")]
        items[0].setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        tip = LAYER_DESCRIPTIONS.get(layer.kind, layer.kind)
        if layer.has_weights:
            tip += f"\nweight init: {layer.weight_init.describe()}"
            if layer.params.get("bias"):
                tip += f", bias init: {layer.bias_init.describe()}"
        if bad:
            tip = f"⚠ {self._problem}\n\n{tip}"
            items[1].setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning))
        for col, item in enumerate(items):
            item.setToolTip(tip)
            if bad:
                item.setBackground(QBrush(QColor(ERROR_BACKGROUND)))
                item.setForeground(QBrush(QColor("#000000")))
            if shape is None:
                item.setForeground(QBrush(QColor("#888888")) if not bad else QBrush(QColor("#000000")))
            self.layer_list.setItem(i, col, item)

    def _update_input_label(self) -> None:
        shape = format_shape(self._spec.input_shape)
        if self._data_known:
            outputs = f"{self._n_outputs} output{'s' if self._n_outputs != 1 else ''}"
            self.input_label.setText(f"Input <b>{shape}</b> from the data · needs <b>{outputs}</b>")
        else:
            self.input_label.setText(f"Input <b>{shape}</b> <i>(no data loaded yet)</i>")

    def _update_problem(self) -> None:
        if self._problem is None:
            self.problem_label.clear()
            self.problem_label.setVisible(False)
            return
        self.problem_label.setText(f"⚠ {self._problem}")
        self.problem_label.setToolTip("Training cannot start until this is fixed")
        self.problem_label.setVisible(True)

    def _update_params(self) -> None:
        if self._problem is not None and self._problem.layer is not None and self._problem_is_shape():
            upto, complete = self._problem.layer, False
        elif self._problem is not None and self._problem.layer is None:
            upto, complete = 0, False
        else:
            upto, complete = len(self._spec.layers), True
        try:
            rows = param_table(ModelSpec(self._spec.input_shape, self._spec.layers[:upto])) if upto else []
        except SpecError:
            rows = []
        table = self.param_table
        table.setRowCount(len(rows) + 1)
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for r, info in enumerate(rows):
            cells = [info.name, format_shape(info.shape), f"{info.count:,}", format_shape(info.output_shape)]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 2:
                    item.setTextAlignment(right)
                item.setToolTip(f"{info.name}: {info.layer_kind} layer {info.layer}, "
                                f"{'weight' if info.is_weight else 'bias'} of shape {format_shape(info.shape)} "
                                f"= {info.count:,} numbers; the layer outputs {format_shape(info.output_shape)}")
                table.setItem(r, c, item)
        total = sum(info.count for info in rows)
        bold = QFont(self.font())
        bold.setBold(True)
        note = "" if complete else f"up to layer {upto - 1}" if upto else "unknown"
        cells = ["Total", note, f"{total:,}" if (complete or rows) else "—", ""]
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setFont(bold)
            if c == 2:
                item.setTextAlignment(right)
            item.setToolTip("Learnable numbers in the whole network" if complete
                            else "Incomplete: the layers after the problem cannot be sized yet")
            table.setItem(len(rows), c, item)

    def _problem_is_shape(self) -> bool:
        """True when the problem stops shape inference at its layer (not just a wrong output width or bias init)."""
        try:
            ModelSpec(self._spec.input_shape, self._spec.layers).output_shapes()
        except SpecError:
            return True
        return False

    def _update_buttons(self) -> None:
        row, n = self.current_row(), len(self._spec.layers)
        self.add_button.setEnabled(self._editable)
        self.remove_button.setEnabled(self._editable and row >= 0)
        self.up_button.setEnabled(self._editable and row > 0)
        self.down_button.setEnabled(self._editable and 0 <= row < n - 1)

    def _selection_changed(self) -> None:
        self._update_buttons()
        if self.current_row() != self._editor_row:
            self._build_editor()

    def _update_editor_title(self) -> None:
        row = self.current_row()
        if row < 0:
            title = "Layer"
        else:
            title = f"Layer {row}: {self._spec.layers[row].kind}"
        if not self._editable:
            title += " (locked while training)"
        self.editor_box.setTitle(title)

    # ---- the editor of one layer
    def _build_editor(self) -> None:
        row = self.current_row()
        self._editor_row = row
        self._editor_widgets = {}
        page = QWidget(self.editor_host)
        form = QFormLayout(page)
        form.setContentsMargins(2, 2, 2, 2)
        form.setVerticalSpacing(3)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._update_editor_title()
        if row < 0:
            hint = QLabel("No layer selected. Use “Add layer” to build the network." if not self._spec.layers
                          else "Select a layer above to edit it.", page)
            hint.setWordWrap(True)
            hint.setStyleSheet(HINT_STYLE)
            form.addRow(hint)
            self._show_editor_page(page)
            return
        layer = self._spec.layers[row]

        if layer.kind in ACTIVATIONS:
            combo = QComboBox(page)
            combo.setObjectName("activationCombo")
            for kind in ACTIVATIONS:
                combo.addItem(kind, kind)
                combo.setItemData(combo.count() - 1, LAYER_DESCRIPTIONS.get(kind, kind), Qt.ItemDataRole.ToolTipRole)
            combo.setCurrentIndex(combo.findData(layer.kind))
            combo.setToolTip("Which activation function this layer applies")
            combo.currentIndexChanged.connect(lambda _i, c=combo: self._change_kind(c.currentData()))
            self._add_field(form, "Activation", combo, "kind")
        else:
            kind_label = QLabel(layer.kind, page)
            kind_label.setToolTip(LAYER_DESCRIPTIONS.get(layer.kind, layer.kind))
            form.addRow("Kind", kind_label)

        for name, value in layer.params.items():
            widget = self._param_widget(page, layer, name, value)
            self._add_field(form, PARAM_LABELS.get(name, name), widget, name)

        if layer.has_weights:
            w = InitEditor("weight", parent=page)
            w.setObjectName("weightInit")
            w.set_init(layer.weight_init)
            w.changed.connect(lambda e=w: self._set_init("weight_init", e.init()))
            self._add_field(form, "Weight init", w, "weight_init")
            b = InitEditor("bias", for_bias=True, parent=page)
            b.setObjectName("biasInit")
            b.set_init(layer.bias_init)
            b.setEnabled(bool(layer.params.get("bias")))
            b.changed.connect(lambda e=b: self._set_init("bias_init", e.init()))
            self._add_field(form, "Bias init", b, "bias_init")
        elif not layer.params and layer.kind not in ACTIVATIONS:
            note = QLabel("This layer has no settings.", page)
            note.setStyleSheet(HINT_STYLE)
            form.addRow(note)
        self._show_editor_page(page)

    def _show_editor_page(self, page: QWidget) -> None:
        # The old page may hold the widget whose signal got us here (the activation combo): delete it later, not
        # in the middle of its own signal.
        old = self._editor_page
        if old is not None:
            self._editor_layout.removeWidget(old)
            old.hide()
            old.deleteLater()
        self._editor_layout.addWidget(page)
        self._editor_page = page

    def _add_field(self, form: QFormLayout, label: str, widget: QWidget, key: str) -> None:
        lab = QLabel(label, widget.parentWidget())
        lab.setBuddy(widget)
        lab.setToolTip(widget.toolTip())
        form.addRow(lab, widget)
        self._editor_widgets[key] = widget

    def editor_widget(self, key: str) -> QWidget | None:
        """The editor field for a layer parameter (`out_features`), `kind`, `weight_init` or `bias_init`."""
        return self._editor_widgets.get(key)

    def _param_widget(self, parent: QWidget, layer: LayerSpec, name: str, value) -> QWidget:
        tip = PARAM_TIPS.get(name, name)
        if name == "bias":
            w = QCheckBox("learned bias", parent)
            w.setChecked(bool(value))
            w.toggled.connect(lambda v: self._set_param("bias", bool(v)))
        elif name in INT_RANGES or (name == "stride" and layer.kind in ("MaxPool2d", "AvgPool2d")):
            w = QSpinBox(parent)
            w.setKeyboardTracking(False)
            w.setAccelerated(True)
            lo, hi = INT_RANGES.get(name, (1, 64))
            if name == "stride" and layer.kind in ("MaxPool2d", "AvgPool2d"):
                # None means "same as the kernel"; 0 stands for it in the spin box.
                w.setRange(0, hi)
                w.setSpecialValueText("= kernel")
                w.setValue(0 if value is None else int(value))
                tip += " (“= kernel”: windows side by side, no overlap)"
                w.valueChanged.connect(lambda v: self._set_param("stride", None if v == 0 else int(v)))
            else:
                w.setRange(lo, hi)
                w.setValue(int(value))
                w.valueChanged.connect(lambda v, n=name: self._set_param(n, int(v)))
        elif name == "p":
            w = QDoubleSpinBox(parent)
            w.setKeyboardTracking(False)
            w.setRange(0.0, 0.95)
            w.setDecimals(2)
            w.setSingleStep(0.05)
            w.setValue(float(value))
            w.valueChanged.connect(lambda v: self._set_param("p", float(v)))
        else:
            w = FloatSpinBox(parent, minimum=0.0, maximum=10.0, step=0.01, value=float(value))
            w.valueChanged.connect(lambda v, n=name: self._set_param(n, float(v)))
        w.setObjectName(f"param_{name}")
        w.setToolTip(tip)
        return w

    def _set_param(self, name: str, value) -> None:
        row = self._editor_row
        if not self._editable or not 0 <= row < len(self._spec.layers):
            return
        layer = self._spec.layers[row]
        if layer.params.get(name) == value and type(layer.params.get(name)) is type(value):
            return
        layer.params[name] = value
        if name == "bias" and "bias_init" in self._editor_widgets:
            self._editor_widgets["bias_init"].setEnabled(bool(value))
        self._edited(select=None)

    def _set_init(self, which: str, init) -> None:
        row = self._editor_row
        if not self._editable or not 0 <= row < len(self._spec.layers):
            return
        setattr(self._spec.layers[row], which, init)
        self._edited(select=None)

    def _change_kind(self, kind: str) -> None:
        row = self._editor_row
        if not self._editable or not 0 <= row < len(self._spec.layers) or self._spec.layers[row].kind == kind:
            return
        self._spec.layers[row] = LayerSpec(kind)
        self._edited(select=row)  # rebuilds the editor: the new kind has other settings
        combo = self._editor_widgets.get("kind")
        if combo is not None:
            combo.setFocus()
