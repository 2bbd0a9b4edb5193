"""The data panel: pick a built-in data set or import a file, set its parameters, and see what was loaded.

The main window owns one `DataPanel` in a dock. It loads data with `set_data_spec(spec, seed)` (a preset, a saved
run) and listens to `data_changed(spec, dataset)` to re-size the network and reset the run; `error_occurred(str)`
is for the status bar. Loading happens on the GUI thread (the built-ins take milliseconds, MNIST about a second)
under a busy cursor. A file that cannot be loaded leaves the current data untouched and says why inline: never a
modal dialog.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from weightstudio.core.data import (DATASETS, FILE_SOURCES, Dataset, DataError, csv_columns, default_data_spec,
                                    load_dataset)
from weightstudio.core.messages import translate as core_text
from weightstudio.core.tasks import Task

from ..translation import TranslatedTable
from .widgets import ERROR_STYLE, HINT_STYLE, ElidingComboBox, FloatSpinBox

SOURCE_TITLES = TranslatedTable("DataPanel", {
    "random-regression": QT_TRANSLATE_NOOP("DataPanel", "Random regression (noise only)"),
    "quadratic": QT_TRANSLATE_NOOP("DataPanel", "Quadratic: y = x² + noise"),
    "line": QT_TRANSLATE_NOOP("DataPanel", "Line: y = slope·x + intercept"),
    "blobs": QT_TRANSLATE_NOOP("DataPanel", "Blobs (2-D, k classes)"),
    "circles": QT_TRANSLATE_NOOP("DataPanel", "Circles (2-D, 2 classes)"),
    "xor": QT_TRANSLATE_NOOP("DataPanel", "XOR (2-D, 2 classes)"),
    "spiral": QT_TRANSLATE_NOOP("DataPanel", "Spiral (2-D, k classes)"),
    "digits": QT_TRANSLATE_NOOP("DataPanel", "Digits 8×8 (10 classes)"),
})
FILE_TITLES = TranslatedTable("DataPanel", {
    "csv": QT_TRANSLATE_NOOP("DataPanel", "CSV file"), "npz": QT_TRANSLATE_NOOP("DataPanel", "NPZ file"),
    "mnist": QT_TRANSLATE_NOOP("DataPanel", "MNIST folder"),
    "cifar10": QT_TRANSLATE_NOOP("DataPanel", "CIFAR-10 folder")})
IMPORT_BUTTONS = (  # (kind, object name, text, tip): the texts translated at use
    ("csv", "importCsvButton", QT_TRANSLATE_NOOP("DataPanel", "Import CSV…"),
     QT_TRANSLATE_NOOP("DataPanel", "Load a CSV file: one sample per row, one column is the target "
                                    "(header row optional; choose the target column after loading)")),
    ("npz", "importNpzButton", QT_TRANSLATE_NOOP("DataPanel", "Import NPZ…"),
     QT_TRANSLATE_NOOP("DataPanel", "Load a NumPy .npz archive holding arrays 'x' (inputs) and "
                                    "'y' (targets or class labels); nothing is unpickled")),
    ("mnist", "importMnistButton", QT_TRANSLATE_NOOP("DataPanel", "MNIST folder…"),
     QT_TRANSLATE_NOOP("DataPanel", "Load a folder of MNIST-format IDX files "
                                    "(train-images-idx3-ubyte, train-labels-idx1-ubyte, "
                                    "optionally t10k-* as validation; .gz is fine)")),
    ("cifar10", "importCifarButton", QT_TRANSLATE_NOOP("DataPanel", "CIFAR-10 folder…"),
     QT_TRANSLATE_NOOP("DataPanel", "Load the CIFAR-10 binary version "
                                    "(data_batch_1.bin … data_batch_5.bin, test_batch.bin)")),
)
FILE_FOLDER = {"csv": False, "npz": False, "mnist": True, "cifar10": True}
FILE_FILTERS = TranslatedTable("DataPanel", {
    "csv": QT_TRANSLATE_NOOP("DataPanel", "CSV files (*.csv *.txt *.tsv);;All files (*)"),
    "npz": QT_TRANSLATE_NOOP("DataPanel", "NumPy archives (*.npz);;All files (*)")})
PARAM_LABELS = TranslatedTable("DataPanel", {
    "n": QT_TRANSLATE_NOOP("DataPanel", "Samples"),
    "features": QT_TRANSLATE_NOOP("DataPanel", "Features"),
    "classes": QT_TRANSLATE_NOOP("DataPanel", "Classes"),
    "noise": QT_TRANSLATE_NOOP("DataPanel", "Noise"),
    "slope": QT_TRANSLATE_NOOP("DataPanel", "Slope"),
    "intercept": QT_TRANSLATE_NOOP("DataPanel", "Intercept"),
    "val_fraction": QT_TRANSLATE_NOOP("DataPanel", "Validation fraction"),
    "shape": QT_TRANSLATE_NOOP("DataPanel", "Input shape"),
    "limit": QT_TRANSLATE_NOOP("DataPanel", "Use at most"),
    "path": QT_TRANSLATE_NOOP("DataPanel", "File"),
    "target": QT_TRANSLATE_NOOP("DataPanel", "Target column"),
    "task": QT_TRANSLATE_NOOP("DataPanel", "Task"),
})
PARAM_TIPS = TranslatedTable("DataPanel", {
    "n": QT_TRANSLATE_NOOP("DataPanel", "Number of samples to generate (training and validation together)"),
    "features": QT_TRANSLATE_NOOP("DataPanel", "Number of input features per sample"),
    "classes": QT_TRANSLATE_NOOP("DataPanel", "Number of classes"),
    "noise": QT_TRANSLATE_NOOP("DataPanel", "Amount of noise added (the scale of the random part)"),
    "slope": QT_TRANSLATE_NOOP("DataPanel", "Slope of the true line"),
    "intercept": QT_TRANSLATE_NOOP("DataPanel", "Intercept of the true line"),
    "val_fraction": QT_TRANSLATE_NOOP("DataPanel", "Fraction of the samples held out for validation (never trained "
                                                   "on); 0 = no validation"),
    "shape": QT_TRANSLATE_NOOP("DataPanel", "Flat: one vector per sample (for Linear layers). Image: "
                                            "channels×height×width (for Conv2d layers)"),
    "limit": QT_TRANSLATE_NOOP("DataPanel", "Use only the first N training samples (faster to train and to record)"),
    "path": QT_TRANSLATE_NOOP("DataPanel", "The imported file or folder"),
    "target": QT_TRANSLATE_NOOP("DataPanel", "Which column holds the target (regression value or class label); the "
                                             "others are the inputs"),
    "task": QT_TRANSLATE_NOOP("DataPanel", "auto: whole-number or text targets with at most 20 distinct values are "
                                           "classes, others regression"),
})
# (minimum, maximum) of the integer parameters.
INT_FIELDS = {"n": (2, 1_000_000), "features": (1, 10_000), "classes": (2, 100), "limit": (0, 10_000_000)}
SHAPES = TranslatedTable("DataPanel", {"flat": QT_TRANSLATE_NOOP("DataPanel", "flat vector"),
                                       "image": QT_TRANSLATE_NOOP("DataPanel", "image (C×H×W)")})
TASKS = TranslatedTable("DataPanel", {"auto": QT_TRANSLATE_NOOP("DataPanel", "auto (decide from the targets)"),
                                      Task.REGRESSION.value: QT_TRANSLATE_NOOP("DataPanel", "regression"),
                                      Task.CLASSIFICATION.value: QT_TRANSLATE_NOOP("DataPanel", "classification")})
translate = QCoreApplication.translate  # plain functions: lupdate reads translate("DataPanel", "...")
_FILE_ITEM = "__file__"
_LAST_COLUMN = "__last__"  # the target combo's item for "no target given: the last column"
_RELOAD_DELAY_MS = 250  # lets a burst of arrow clicks settle into one reload


def describe_dataset(ds: Dataset) -> str:
    """The summary the panel shows, one fact a line."""
    lines = [f"{ds.name} · {TASKS.get(ds.task, ds.task)}",
             translate("DataPanel", "Samples: {0} train / {1} validation").format(f"{len(ds.x_train):,}",
                                                                                  f"{len(ds.x_val):,}")]
    shape = ds.feature_shape
    if len(shape) == 1:
        one = ds.n_features == 1
        lines.append((translate("DataPanel", "Input: {0} feature") if one else
                      translate("DataPanel", "Input: {0} features")).format(f"{ds.n_features:,}"))
    else:
        lines.append(translate("DataPanel", "Input: {0} image ({1} values)").format(
            "×".join(str(d) for d in shape), f"{ds.n_features:,}"))
    if ds.task == Task.CLASSIFICATION:
        names = ds.class_names
        preview = ", ".join(names[:6]) + (", …" if len(names) > 6 else "")
        lines.append(translate("DataPanel", "Output: {0} classes ({1})").format(ds.n_classes, preview))
    else:
        lines.append((translate("DataPanel", "Output: {0} value per sample") if ds.n_outputs == 1 else
                      translate("DataPanel", "Output: {0} values per sample")).format(ds.n_outputs))
    return "\n".join(lines)


class DataPanel(QWidget):
    """Chooses, loads and summarises the data set.

    Owns the current data spec (a dict, see `weightstudio.core.data`) and the `Dataset` it produced. Every
    successful load, including one asked for by `set_data_spec`, emits `data_changed(spec, dataset)`; a failed one
    emits `error_occurred(message)`, shows the message in `dataErrorLabel` and keeps the previous data.
    """

    data_changed = Signal(object, object)
    error_occurred = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("dataPanel")
        self._spec: dict | None = None
        self._dataset: Dataset | None = None
        self._seed = 0
        self._file_spec: dict | None = None  # the last file loaded, so the combo can go back to it
        self._form_source: tuple | None = None  # what the parameter form was built for
        self._fields: dict[str, QWidget] = {}
        self._editable = True
        self._last_dir = str(Path.home())

        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 6, 6, 6)
        outer.setSpacing(6)
        outer.addWidget(self._build_source_box())
        outer.addWidget(self._build_import_box())
        self.error_label = self._build_error_label()
        outer.addWidget(self.error_label)
        outer.addWidget(self._build_summary_box())
        outer.addStretch(1)

        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(_RELOAD_DELAY_MS)
        self._reload_timer.timeout.connect(self.apply)

    # ------------------------------------------------------------------ building
    def _build_source_box(self) -> QGroupBox:
        """The built-in data sets, the chosen one's description and its parameter form."""
        box = QGroupBox(self.tr("Data set"), self)
        layout = QVBoxLayout(box)
        layout.setSpacing(4)
        self.source_combo = self._build_source_combo(box)
        layout.addWidget(self.source_combo)
        self.description_label = QLabel(box)
        self.description_label.setObjectName("dataDescriptionLabel")
        self.description_label.setWordWrap(True)
        self.description_label.setStyleSheet(HINT_STYLE)
        layout.addWidget(self.description_label)
        self.form_host = QWidget(box)
        self.form = QFormLayout(self.form_host)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.form_host)
        return box

    def _build_source_combo(self, parent: QWidget) -> ElidingComboBox:
        combo = ElidingComboBox(parent)
        combo.setObjectName("dataSourceCombo")
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(12)
        combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        for name, info in DATASETS.items():
            combo.addItem(SOURCE_TITLES.get(name, name), name)
            combo.setItemData(combo.count() - 1, core_text(info.description), Qt.ItemDataRole.ToolTipRole)
        combo.setToolTip(self.tr("A built-in data set; choosing one loads it with its default parameters"))
        combo.activated.connect(self._source_chosen)
        return combo

    def _build_import_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Your own data"), self)
        grid = QGridLayout(box)
        grid.setSpacing(4)
        self.import_buttons: dict[str, QPushButton] = {}
        icons = {False: QStyle.StandardPixmap.SP_FileIcon, True: QStyle.StandardPixmap.SP_DirIcon}
        for i, (kind, object_name, text, tip) in enumerate(IMPORT_BUTTONS):
            button = QPushButton(self.style().standardIcon(icons[FILE_FOLDER[kind]]), self.tr(text), box)
            button.setObjectName(object_name)
            button.setToolTip(self.tr(tip))
            button.clicked.connect(lambda _checked=False, k=kind: self.import_file(k))
            grid.addWidget(button, i // 2, i % 2)
            self.import_buttons[kind] = button
        return box

    def _build_error_label(self) -> QLabel:
        label = QLabel(self)
        label.setObjectName("dataErrorLabel")
        label.setWordWrap(True)
        label.setStyleSheet(ERROR_STYLE)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setToolTip(self.tr("Why the last load failed; the data below is still the one in use"))
        label.setVisible(False)
        return label

    def _build_summary_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Loaded"), self)
        layout = QVBoxLayout(box)
        self.summary_label = QLabel(self.tr("No data loaded."), box)
        self.summary_label.setObjectName("dataSummaryLabel")
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextFormat(Qt.TextFormat.PlainText)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary_label.setToolTip(self.tr("The data set the next run trains on"))
        layout.addWidget(self.summary_label)
        return box

    # ------------------------------------------------------------------ public API
    def set_data_spec(self, spec: dict, seed: int) -> bool:
        """Load `spec` with `seed`. True on success (and `data_changed` is emitted); on failure the message is
        shown, `error_occurred` is emitted and the current data stays."""
        self._reload_timer.stop()
        if not isinstance(spec, dict):
            return self._fail(f"a data spec must be a dict with a 'source', not {spec!r}")
        return self._load(dict(spec), int(seed))

    def data_spec(self) -> dict:
        """A copy of the spec of the loaded data (every parameter filled in); empty when nothing is loaded."""
        return dict(self._spec) if self._spec else {}

    def dataset(self) -> Dataset | None:
        return self._dataset

    def set_seed(self, seed: int) -> bool:
        """Reload the current data with another seed (random draws and the validation split depend on it)."""
        if self._spec is None or int(seed) == self._seed:
            self._seed = int(seed)
            return True
        return self._load(dict(self._spec), int(seed))

    def import_file(self, kind: str, path: str | Path | None = None) -> bool:
        """Load a "csv", "npz", "mnist" or "cifar10" file/folder. Without `path` a file dialog asks for one."""
        if kind not in FILE_SOURCES:
            raise ValueError(f"unknown file kind {kind!r}; known: {', '.join(FILE_SOURCES)}")
        if path is None:
            path = self._ask_path(kind)
            if not path:
                return False
        spec = default_data_spec(kind)
        spec["path"] = str(path)
        self._last_dir = str(Path(path).parent if not FILE_FOLDER[kind] else Path(path))
        return self._load(spec, self._seed)

    def apply(self) -> bool:
        """Load what the parameter form says now (the form reloads by itself shortly after each edit)."""
        self._reload_timer.stop()
        if self._spec is None:
            return False
        spec = self._form_spec()
        if spec == self._spec:
            return True
        return self._load(spec, self._seed)

    def set_editable(self, editable: bool) -> None:
        """Lock (False) while a run trains: the data cannot change under it."""
        self._editable = bool(editable)
        for w in (self.source_combo, self.form_host, *self.import_buttons.values()):
            w.setEnabled(self._editable)
        tip = "" if self._editable else self.tr("Locked while training runs: stop or reset to change the data")
        self.form_host.setToolTip(tip)

    # ------------------------------------------------------------------ loading
    def _load(self, spec: dict, seed: int) -> bool:
        source = spec.get("source")
        try:
            full = {**default_data_spec(source), **spec}
        except (DataError, TypeError):
            full = spec
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            dataset = load_dataset(full, seed)
        except DataError as e:
            return self._fail(str(e))
        except (OSError, ValueError, MemoryError) as e:  # a bug or a resource problem: say it, keep the GUI alive
            return self._fail(f"{spec.get('path', source)}: {type(e).__name__}: {e}")
        finally:
            QApplication.restoreOverrideCursor()
        self._spec, self._dataset, self._seed = full, dataset, seed
        if source in FILE_SOURCES:
            self._file_spec = dict(full)
        self.error_label.clear()
        self.error_label.setVisible(False)
        self._sync_combo()
        self._sync_form()
        self.summary_label.setText(describe_dataset(dataset))
        self.data_changed.emit(dict(full), dataset)
        return True

    def _fail(self, message: str) -> bool:
        text = self.tr("Could not load the data.\n{0}").format(message)
        if self._dataset is not None:
            text += self.tr("\nStill using: {0}.").format(self._dataset.name)
        self.error_label.setText(text)
        self.error_label.setVisible(True)
        if self._spec is not None:
            self._show_values()  # the form goes back to what is loaded, so it never describes data we lack
        self.error_occurred.emit(message)
        return False

    def _ask_path(self, kind: str) -> str | None:
        title = self.tr(dict((k, t) for k, _o, t, _tip in IMPORT_BUTTONS)[kind]).rstrip("…")
        if FILE_FOLDER[kind]:
            path = QFileDialog.getExistingDirectory(self, title, self._last_dir)
        else:
            path, _filter = QFileDialog.getOpenFileName(self, title, self._last_dir, FILE_FILTERS[kind])
        return path or None

    # ------------------------------------------------------------------ the source combo and the form
    def _sync_combo(self) -> None:
        source = self._spec["source"]
        with QSignalBlocker(self.source_combo):
            file_index = self.source_combo.findData(_FILE_ITEM)
            if self._file_spec is not None:
                kind = self._file_spec["source"]
                name = Path(str(self._file_spec.get("path", ""))).name or kind
                text = f"{FILE_TITLES[kind]}: {name}"
                if file_index < 0:
                    self.source_combo.insertSeparator(self.source_combo.count())
                    self.source_combo.addItem(self.style().standardIcon(
                        QStyle.StandardPixmap.SP_DirIcon if FILE_FOLDER[kind] else QStyle.StandardPixmap.SP_FileIcon),
                        text, _FILE_ITEM)
                    file_index = self.source_combo.count() - 1
                else:
                    self.source_combo.setItemText(file_index, text)
                self.source_combo.setItemData(file_index, str(self._file_spec.get("path", "")),
                                              Qt.ItemDataRole.ToolTipRole)
            index = file_index if source in FILE_SOURCES else self.source_combo.findData(source)
            self.source_combo.setCurrentIndex(index)
        info = FILE_SOURCES.get(source) or DATASETS.get(source)
        self.description_label.setText(core_text(info.description) if info else "")
        self.source_combo.setToolTip(
            (core_text(info.description) + "\n\n" if info else "")
            + self.tr("Choose a built-in data set; it loads at once"))

    def _source_chosen(self, index: int) -> None:
        data = self.source_combo.itemData(index)
        if data == _FILE_ITEM:
            if self._file_spec is not None and self._spec.get("source") not in FILE_SOURCES:
                self._load(dict(self._file_spec), self._seed)
            return
        if self._spec is not None and self._spec.get("source") == data:
            return
        if not self._load(default_data_spec(data), self._seed):
            self._sync_combo()  # show the data that is still loaded

    def _sync_form(self) -> None:
        """Rebuild the form when the source (or file) changed; otherwise just show the loaded values."""
        key = (self._spec["source"], self._spec.get("path"))
        if key != self._form_source:
            self._build_form()
            self._form_source = key
        else:
            self._show_values()

    def _build_form(self) -> None:
        while self.form.rowCount():
            row = self.form.takeRow(0)  # deleted later: a field's own signal may be running
            for item in (row.labelItem, row.fieldItem):
                if item is not None and item.widget() is not None:
                    item.widget().hide()
                    item.widget().deleteLater()
        self._fields = {}
        spec = self._spec
        for name, value in spec.items():
            if name == "source":
                continue
            widget = self._make_field(name, value, spec["source"])
            widget.setObjectName(f"param_{name}")
            widget.setToolTip(widget.toolTip() or PARAM_TIPS.get(name, name))
            label = QLabel(PARAM_LABELS.get(name, name), self.form_host)
            label.setBuddy(widget)
            label.setToolTip(widget.toolTip())
            self.form.addRow(label, widget)
            self._fields[name] = widget
        self._show_values()

    def _make_field(self, name: str, value, source: str) -> QWidget:
        """The editor of one spec parameter; a parameter this panel does not know is shown read-only."""
        if name in INT_FIELDS:
            w = self._int_field(name)
        elif name == "val_fraction":
            w = self._val_fraction_field(source)
        elif name in ("noise", "slope", "intercept"):
            lo = 0.0 if name == "noise" else -1e4
            w = FloatSpinBox(self.form_host, minimum=lo, maximum=1e4, step=0.05 if name == "noise" else 0.5)
            w.valueChanged.connect(self._schedule_reload)
        elif name in ("shape", "task"):
            w = self._choice_field(SHAPES if name == "shape" else TASKS)
        elif name == "target":
            w = self._target_field()
        else:
            w = QLineEdit(self.form_host)
            w.setReadOnly(True)
            if name == "path":
                w.setToolTip(str(value))
        return w

    def _int_field(self, name: str) -> QSpinBox:
        w = QSpinBox(self.form_host)
        w.setKeyboardTracking(False)
        w.setAccelerated(True)
        w.setGroupSeparatorShown(True)
        w.setRange(*INT_FIELDS[name])
        if name == "limit":
            w.setSpecialValueText(self.tr("all samples"))
            w.setSuffix(self.tr(" samples"))
        w.valueChanged.connect(self._schedule_reload)
        return w

    def _val_fraction_field(self, source: str) -> FloatSpinBox:
        w = FloatSpinBox(self.form_host, minimum=0.0, maximum=0.9, step=0.05)
        if source in ("mnist", "cifar10"):
            w.setSpecialValueText(self.tr("the folder's test files"))
            w.setToolTip(self.tr("0 = use the folder's test files (t10k-* / test_batch.bin) as validation, or none if "
                                 "it has none; otherwise hold out this fraction of the training files"))
        w.valueChanged.connect(self._schedule_reload)
        return w

    def _choice_field(self, choices: dict[str, str]) -> QComboBox:
        w = QComboBox(self.form_host)
        for key, text in choices.items():
            w.addItem(text, key)
        w.activated.connect(self._schedule_reload)
        return w

    def _target_field(self) -> QComboBox:
        """The CSV's columns by their header names (or numbers); the last one stands for "no target given"."""
        w = QComboBox(self.form_host)
        found = csv_columns(self._spec.get("path", ""))
        names, has_header = found if found else ([], False)
        for i, col in enumerate(names):
            is_last = i == len(names) - 1
            key = _LAST_COLUMN if is_last else (col if has_header else i)
            w.addItem(col + (self.tr("  (last)") if is_last else ""), key)
        if not names:
            w.addItem(self.tr("last column"), _LAST_COLUMN)
        w.activated.connect(self._schedule_reload)
        return w

    def _show_values(self) -> None:
        for name, w in self._fields.items():
            value = self._spec.get(name)
            with QSignalBlocker(w):
                if isinstance(w, QSpinBox):
                    w.setValue(0 if value is None else int(value))
                elif isinstance(w, QDoubleSpinBox):
                    w.setValue(0.0 if value is None else float(value))
                elif isinstance(w, QComboBox):
                    i = w.findData(_LAST_COLUMN if value is None else value)
                    if i < 0 and name == "target" and isinstance(value, int) and value in (-1, w.count() - 1):
                        i = w.findData(_LAST_COLUMN)
                    if i < 0 and value is not None:  # a target given by a spec the header does not list
                        w.addItem(str(value), value)
                        i = w.count() - 1
                    w.setCurrentIndex(max(i, 0))
                elif isinstance(w, QLineEdit):
                    w.setText("" if value is None else (Path(str(value)).name if name == "path" else str(value)))
                    w.setCursorPosition(0)
                    if name == "path":
                        w.setToolTip(str(value))

    def _form_spec(self) -> dict:
        spec = dict(self._spec)
        source = spec["source"]
        for name, w in self._fields.items():
            if isinstance(w, QSpinBox):
                spec[name] = None if (name == "limit" and w.value() == 0) else w.value()
            elif isinstance(w, QDoubleSpinBox):
                v = w.value()
                spec[name] = None if (name == "val_fraction" and source in ("mnist", "cifar10") and v == 0) else v
            elif isinstance(w, QComboBox):
                data = w.currentData()
                spec[name] = None if data == _LAST_COLUMN else data
        return spec

    def _schedule_reload(self, *_args) -> None:
        if self._editable:
            self._reload_timer.start()
