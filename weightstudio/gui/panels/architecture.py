"""The architecture builder: the layer list of a `ModelSpec`, the editor of the selected layer (`LayerEditor`),
and the live parameter table (`0.weight  [10, 1]  10`) that the seed posts call the weight dimension analysis.

The main window owns one `ArchitecturePanel` in a dock. It feeds it a spec (`set_spec`) and what the data needs
(`set_data_shape`), listens to `spec_changed`, and locks it while a run trains (`set_editable(False)`).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QAction, QBrush, QColor, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QSizePolicy,
    QSplitter,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from weightstudio.core.spec import ACTIVATIONS, LAYER_PARAMS, LayerSpec, ModelSpec, SpecError, layer_output_shape

from .layer_editor import LAYER_DESCRIPTIONS, LayerEditor
from .widgets import ERROR_BACKGROUND, ERROR_STYLE


def param_table(spec: ModelSpec):
    """core.builder's parameter table, imported on first use: builder imports torch, which the studio loads only
    after its window has painted."""
    from weightstudio.core.builder import param_table as table

    return table(spec)


# The Add menu, in groups.
ADD_GROUPS = (
    ("Linear", "Conv2d"),
    ("Flatten", "MaxPool2d", "AvgPool2d", "Dropout"),
    ACTIVATIONS,
)


def format_shape(shape: tuple[int, ...]) -> str:
    """`[10, 1]`, the way torch.Size prints without its name."""
    return "[" + ", ".join(str(d) for d in shape) + "]"


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

        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 6, 6, 6)
        outer.setSpacing(4)
        self.input_label = self._build_input_label()
        outer.addWidget(self.input_label)
        outer.addWidget(self._build_splitter(), 1)
        self._add_shortcuts()
        self._refresh(select=None)

    # ------------------------------------------------------------------ building
    def _build_input_label(self) -> QLabel:
        label = QLabel(self)
        label.setObjectName("inputShapeLabel")
        label.setWordWrap(True)
        label.setToolTip(self.tr("The input shape comes from the data set (one sample, without the batch "
                                 "dimension); the last layer must produce the outputs the data needs"))
        return label

    def _build_splitter(self) -> QSplitter:
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setObjectName("architectureSplitter")
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self._build_layers_pane(splitter))
        splitter.addWidget(self._build_params_pane(splitter))
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([440, 240])
        return splitter

    def _build_layers_pane(self, parent: QWidget) -> QWidget:
        """The layer list, its buttons, the problem message and the editor of the selected layer."""
        pane = QWidget(parent)
        layout = QVBoxLayout(pane)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.layer_list = self._build_layer_list(pane)
        layout.addWidget(self.layer_list, 1)
        layout.addLayout(self._build_buttons(pane))
        self.problem_label = self._build_problem_label(pane)
        layout.addWidget(self.problem_label)
        self.editor_box = LayerEditor(pane)
        self.editor_box.param_edited.connect(self._set_param)
        self.editor_box.init_edited.connect(self._set_init)
        self.editor_box.kind_edited.connect(self._change_kind)
        layout.addWidget(self.editor_box)
        return pane

    def _table(self, parent: QWidget, name: str, headers: list[str], tips: list[str]) -> QTableWidget:
        """A read-only table with one line per row, rows selected whole."""
        table = QTableWidget(0, len(headers), parent)
        table.setObjectName(name)
        table.setHorizontalHeaderLabels(headers)
        table.horizontalHeader().setToolTip("; ".join(tips))
        for col, tip in enumerate(tips):
            table.horizontalHeaderItem(col).setToolTip(tip)
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        return table

    def _build_layer_list(self, parent: QWidget) -> QTableWidget:
        table = self._table(parent, "layerList", ["#", self.tr("Layer"), self.tr("Output")],
                            [self.tr("Layer index: the number in parameter names such as 2.weight"),
                             self.tr("The layer and its settings"), self.tr("Shape of one sample after this layer")])
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        table.setToolTip(self.tr("The layers in order, input at the top. Select one to edit it below.\n"
                                 "Delete removes it; Ctrl+Up / Ctrl+Down move it; Insert opens the Add menu."))
        table.itemSelectionChanged.connect(self._selection_changed)
        return table

    def _build_buttons(self, parent: QWidget) -> QHBoxLayout:
        self.add_button = QToolButton(parent)
        self.add_button.setObjectName("addLayerButton")
        self.add_button.setText(self.tr("&Add layer"))
        self.add_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.add_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_FileDialogNewFolder))
        self.add_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.add_button.setToolTip(self.tr("Insert a layer after the selected one (Insert)"))
        self.add_button.setMenu(self._build_add_menu(self.add_button))
        sp = QStyle.StandardPixmap
        self.remove_button = self._tool_button(parent, "removeLayerButton", sp.SP_DialogDiscardButton,
                                               self.tr("Remove"),
                                               self.tr("Remove the selected layer (Delete)"), self.remove_layer)
        self.up_button = self._tool_button(parent, "moveUpButton", sp.SP_ArrowUp, self.tr("Up"),
                                           self.tr("Move the selected layer towards the input (Ctrl+Up)"),
                                           lambda: self.move_layer(-1))
        self.down_button = self._tool_button(parent, "moveDownButton", sp.SP_ArrowDown, self.tr("Down"),
                                             self.tr("Move the selected layer towards the output (Ctrl+Down)"),
                                             lambda: self.move_layer(1))
        buttons = QHBoxLayout()
        buttons.setSpacing(4)
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        for b in (self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(b)
        return buttons

    def _build_add_menu(self, parent: QWidget) -> QMenu:
        menu = QMenu(parent)
        menu.setObjectName("addLayerMenu")
        menu.setToolTipsVisible(True)
        for group_index, group in enumerate(ADD_GROUPS):
            if group_index:
                menu.addSeparator()
            for kind in group:
                action = QAction(kind, menu)
                action.setObjectName(f"add{kind}Action")
                action.setToolTip(LAYER_DESCRIPTIONS.get(kind, kind))
                action.setData(kind)
                action.triggered.connect(lambda _checked=False, k=kind: self.add_layer(k))
                menu.addAction(action)
        return menu

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

    @staticmethod
    def _build_problem_label(parent: QWidget) -> QLabel:
        label = QLabel(parent)
        label.setObjectName("archProblemLabel")
        label.setWordWrap(True)
        label.setStyleSheet(ERROR_STYLE)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        label.setVisible(False)
        return label

    def _build_params_pane(self, parent: QWidget) -> QWidget:
        pane = QWidget(parent)
        layout = QVBoxLayout(pane)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        caption = QLabel(self.tr("Parameters (as named by <code>named_parameters()</code>)"), pane)
        caption.setToolTip(self.tr("Every learnable tensor the network will have, with its shape and size"))
        layout.addWidget(caption)
        self.param_table = self._table(pane, "paramTable", [self.tr("Parameter"), self.tr("Shape"), self.tr("Count"),
                                                            self.tr("Layer output")],
                                       [self.tr("Name as in model.named_parameters()"),
                                        self.tr("Tensor shape: (out, in) for Linear, (out, in, k, k) for Conv2d"),
                                        self.tr("Number of learnable values"),
                                        self.tr("Shape of one sample after the layer")])
        header = self.param_table.horizontalHeader()
        for col in range(4):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.param_table.setToolTip(self.tr("Weight shapes are (out, in) for Linear and (out, in, k, k) for Conv2d; "
                                            "“Layer output” is the shape one sample has after that layer"))
        layout.addWidget(self.param_table, 1)
        return pane

    def _add_shortcuts(self) -> None:
        for keys, slot in ((QKeySequence.StandardKey.Delete, self.remove_layer),
                           ("Ctrl+Up", lambda: self.move_layer(-1)),
                           ("Ctrl+Down", lambda: self.move_layer(1)),
                           ("Insert", self._open_add_menu)):
            shortcut = QShortcut(QKeySequence(keys), self.layer_list)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)

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

    def set_editable(self, editable: bool) -> None:
        """Lock (False) or unlock the editing controls; the lists stay readable and selectable."""
        self._editable = bool(editable)
        self._update_buttons()
        self.editor_box.set_locked(not self._editable)

    def current_row(self) -> int:
        """Index of the selected layer, or -1."""
        rows = self.layer_list.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

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
    def _open_add_menu(self) -> None:
        if self._editable:
            self.add_button.showMenu()

    def _edited(self, select: int | None) -> None:
        self._refresh(select=select)
        self.spec_changed.emit(self._spec.copy())

    def _refresh(self, select: int | None) -> None:
        """Redraw the list, check the spec, redraw the parameter table, show the selected layer in the editor."""
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
        self._show_selected()

    def _show_selected(self) -> None:
        row = self.current_row()
        self.editor_box.show_layer(row, self._spec.layers[row] if row >= 0 else None, len(self._spec.layers))

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
        tip = _layer_tip(layer)
        if bad:
            tip = f"⚠ {self._problem}\n\n{tip}"
            items[1].setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning))
        for col, item in enumerate(items):
            item.setToolTip(tip)
            if bad:
                item.setBackground(QBrush(QColor(ERROR_BACKGROUND)))
                item.setForeground(QBrush(QColor("#000000")))
            elif shape is None:  # after the problem: its shape is unknown
                item.setForeground(QBrush(QColor("#888888")))
            self.layer_list.setItem(i, col, item)

    def _update_input_label(self) -> None:
        shape = format_shape(self._spec.input_shape)
        if self._data_known:
            outputs = self.tr("1 output") if self._n_outputs == 1 else self.tr("{0} outputs").format(self._n_outputs)
            self.input_label.setText(self.tr("Input <b>{0}</b> from the data · needs <b>{1}</b>").format(shape,
                                                                                                     outputs))
        else:
            self.input_label.setText(self.tr("Input <b>{0}</b> <i>(no data loaded yet)</i>").format(shape))

    def _update_problem(self) -> None:
        if self._problem is None:
            self.problem_label.clear()
            self.problem_label.setVisible(False)
            return
        self.problem_label.setText(f"⚠ {self._problem}")
        self.problem_label.setToolTip(self.tr("Training cannot start until this is fixed"))
        self.problem_label.setVisible(True)

    def _sizable_layers(self) -> tuple[int, bool]:
        """How many leading layers the parameter table can size, and whether that is all of them."""
        if self._problem is not None and self._problem.layer is not None and self._problem_is_shape():
            return self._problem.layer, False
        if self._problem is not None and self._problem.layer is None:
            return 0, False
        return len(self._spec.layers), True

    def _update_params(self) -> None:
        upto, complete = self._sizable_layers()
        try:
            rows = param_table(ModelSpec(self._spec.input_shape, self._spec.layers[:upto])) if upto else []
        except SpecError:
            rows = []
        self.param_table.setRowCount(len(rows) + 1)
        for r, info in enumerate(rows):
            tip = (self.tr("{0}: {1} layer {2}, weight of shape {3} = {4} numbers; the layer outputs {5}")
                   if info.is_weight else
                   self.tr("{0}: {1} layer {2}, bias of shape {3} = {4} numbers; the layer outputs {5}")).format(
                info.name, info.layer_kind, info.layer, format_shape(info.shape), f"{info.count:,}",
                format_shape(info.output_shape))
            self._set_param_row(r, [info.name, format_shape(info.shape), f"{info.count:,}",
                                    format_shape(info.output_shape)], tip)
        note = "" if complete else self.tr("up to layer {0}").format(upto - 1) if upto else self.tr("unknown")
        total = sum(info.count for info in rows)
        self._set_param_row(len(rows), [self.tr("Total"), note, f"{total:,}" if (complete or rows) else "—", ""],
                            self.tr("Learnable numbers in the whole network") if complete
                            else self.tr("Incomplete: the layers after the problem cannot be sized yet"), bold=True)

    def _set_param_row(self, row: int, cells: list[str], tip: str, bold: bool = False) -> None:
        font = QFont(self.font())
        font.setBold(bold)
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if bold:
                item.setFont(font)
            if c == 2:  # the count
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setToolTip(tip)
            self.param_table.setItem(row, c, item)

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
        self._show_selected()

    # ---- what the editor reports
    def _editor_layer(self) -> LayerSpec | None:
        row = self.editor_box.row
        if not self._editable or not 0 <= row < len(self._spec.layers):
            return None
        return self._spec.layers[row]

    def _set_param(self, name: str, value) -> None:
        layer = self._editor_layer()
        if layer is None:
            return
        if layer.params.get(name) == value and type(layer.params.get(name)) is type(value):
            return
        layer.params[name] = value
        self._edited(select=None)

    def _set_init(self, which: str, init) -> None:
        layer = self._editor_layer()
        if layer is not None:
            setattr(layer, which, init)
            self._edited(select=None)

    def _change_kind(self, kind: str) -> None:
        layer = self._editor_layer()
        if layer is not None and layer.kind != kind:
            row = self.editor_box.row
            self._spec.layers[row] = LayerSpec(kind)
            self._edited(select=row)  # the new kind has other settings: the editor builds its form again


def _layer_tip(layer: LayerSpec) -> str:
    tip = LAYER_DESCRIPTIONS.get(layer.kind, layer.kind)
    if layer.has_weights:
        tip += QCoreApplication.translate("ArchitecturePanel", "\nweight init: {0}").format(
            layer.weight_init.describe())
        if layer.params.get("bias"):
            tip += QCoreApplication.translate("ArchitecturePanel", ", bias init: {0}").format(
                layer.bias_init.describe())
    return tip
