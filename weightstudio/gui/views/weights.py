"""One line per weight over the epochs: the view the seed scripts drew with matplotlib after training. A parameter of
many weights is summarised by a band (median and 10–90 % of its weights) unless the user asks for every line;
compared runs are drawn as bands in their colours beside the bound run's lines."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import QT_TRANSLATE_NOOP

from weightstudio.core.run_log import module_group
from weightstudio.core.series import BufferMirror, decimate, envelope_for, flatten_lines, spread

from .base import RunView, is_growing
from .layout import Folding, header_row, label_x_ends, make_layout_widget, small_label, view_layout
from .overlays import Overlay, overlays_of, short_labels
from .ranges import RangeKeeper, plot_width_px, zoom_window
from .style import (FOREGROUND, MUTED, curve, epoch_text, group_colors, marker_line, outside_legend, param_colors,
                    place_markers, set_title, shape_text, style_plot)
from .weight_bands import BandItems, band_columns, derived_for, quantiles

if TYPE_CHECKING:  # torch-free at import: the window paints before torch has loaded
    from weightstudio.core.run_data import RunData

PER_WEIGHT_LIMIT = 8  # small multiples are offered up to this many weights (the seed's 5×1 figure)
HOVER_PIXELS = 10  # a line within this many pixels of the mouse is named
GROUP_ABOVE = 8  # with more parameters than this, the chooser and the legend go by module (layer1, layer2, fc)
BAND_ABOVE = 32  # a parameter (a module, when grouped) with more lines than this is drawn as a band by default;
# while comparing, the bound run's grey lines of such a parameter are capped at this many (spread over it)
COMPARED_LINES = (150, 150, 150)  # the bound run's lines while comparing: grey, so every hue on show is a run's
GREY_ALPHA = 90  # and faint, under the bands
INITIAL_DASH = 0.03  # epochs: how long the dash of each initial weight is before the first step
# Pixels of plot area under which the plot drops its title (the dock's title says much the same). One plot needs
# less room than the loss view's two: at 1024×640 (221 px) it keeps its title, and a legend of more than a third of
# the area folds away (`Folding`).
TITLE_BELOW = 180


class _StayOpenMenu(QtWidgets.QMenu):
    """A menu of check boxes that stays open while the user ticks several of them."""

    def mouseReleaseEvent(self, event):
        action = self.activeAction()
        if action is not None and action.isCheckable() and action.isEnabled():
            action.trigger()
            return
        super().mouseReleaseEvent(event)


@dataclass
class SmallPlot:
    """One plot of "Small plots" mode and what belongs to it."""

    plot: pg.PlotItem
    curve: pg.PlotCurveItem
    column: int  # the weight's column in the drawn rows
    marker: pg.InfiniteLine
    keeper: RangeKeeper


class WeightsView(RunView):
    """Every traced weight as a line over the epochs, one `PlotCurveItem` (with a `connect` array) per parameter.

    Owns: the parameter chooser (a QToolButton with a menu of check boxes, objectName `weightsLayerChooser`; for
    nets of more than `GROUP_ABOVE` parameters one collapsed sub-menu per top-level module, and one legend entry
    and one colour family per module, as `groups()` gives them), the
    "Small plots" check box (objectName `perWeightCheck`, enabled when the chosen parameters hold at most
    8 traced weights) that switches to small multiples, a note saying when only a sample of the weights is traced
    or drawn, and the hover read-out naming the line or band nearest the mouse. Biases are drawn dashed, so a
    layer's bias reads apart from its weights.

    A parameter (a module's curve, when grouped) of more than `BAND_ABOVE` chosen lines is drawn as a band in its
    colour: a translucent fill between the 10th and 90th percentile of its weights at each step and its median as
    a line (`weight_bands()`), computed once per recorded step and reduced to the screen like the lines. The
    "All lines" check box (objectName `weightsAllLinesCheck`, kept across runs) draws every line instead.

    Compared runs (`set_overlays`) are drawn as bands too: at each step, the 10–90 % range of their traced weights
    of the chosen parameters, and the median, in the run's colour, the bound run's among them. The bound run's own
    lines then go grey, and a large parameter keeps `BAND_ABOVE` of them (spread over it) unless All lines is
    ticked: its band already says where its weights lie, the grey lines only show their texture.
    Refreshed by the main window (~10 Hz).

    At most `max_lines` lines are drawn (spread over the parameters) and at most `vertex_budget` points in all
    (`banded_vertex_budget` beside bands), each series reduced to about two points per pixel column.
    """

    title = QT_TRANSLATE_NOOP("Views", "Weights")
    max_lines = 800
    vertex_budget = 100_000
    # With bands on show, the lines left beside them share fewer points, and a band has about one per pixel column:
    # painting costs about half a microsecond per point, and the default view must paint in a few milliseconds.
    banded_vertex_budget = 12_000

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.chooser = QtWidgets.QToolButton()
        self.chooser.setObjectName("weightsLayerChooser")
        self.chooser.setText(self.tr("Parameters"))
        self.chooser.setToolTip(self.tr("Choose which parameters' weights are drawn"))
        self.chooser.setPopupMode(QtWidgets.QToolButton.ToolButtonPopupMode.InstantPopup)
        self.chooser.setToolButtonStyle(QtCore.Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.menu = _StayOpenMenu(self.chooser)
        self.chooser.setMenu(self.menu)
        self.per_weight_check = QtWidgets.QCheckBox(self.tr("Small plots"))
        self.per_weight_check.setObjectName("perWeightCheck")
        self.per_weight_check.toggled.connect(self._per_weight_toggled)
        self.all_lines_check = QtWidgets.QCheckBox(self.tr("All lines"))
        self.all_lines_check.setObjectName("weightsAllLinesCheck")
        self.all_lines_check.setToolTip(self.tr(
            "Draw every weight as its own line. Unticked, a parameter of more than {0} weights is drawn as a band: "
            "its median and the range of its middle 80 % (10th to 90th percentile) at each step, which reads "
            "better and draws much faster").format(BAND_ABOVE))
        self.all_lines_check.toggled.connect(self._all_lines_toggled)
        self.note = small_label()
        self.note.setObjectName("weightsNote")
        self._note_text = self._hover = ""  # one read-out: the hovered weight, else the note
        self.lines_widget = make_layout_widget()
        self.folding = Folding(self.lines_widget, TITLE_BELOW)
        self.small_widget = make_layout_widget()
        self.stack = QtWidgets.QStackedWidget()
        self.stack.addWidget(self.lines_widget)
        self.stack.addWidget(self.small_widget)
        lay = view_layout(self)
        lay.addLayout(header_row(self.chooser, self.all_lines_check, self.per_weight_check, fill=self.note))
        lay.addWidget(self.stack, 1)
        self.lines_widget.scene().sigMouseMoved.connect(self._mouse_moved)
        self.plot: pg.PlotItem | None = None
        self._actions: dict[str, QtWidgets.QAction] = {}
        self._small_plots: list[SmallPlot] = []
        self._overlays: list[Overlay] = []
        self._run_colour, self._run_label = None, ""
        self._bands: list[_Band] = []
        self._build(None)

    def set_overlays(self, colour, overlays, label: str = "") -> None:
        """Compare runs: each of `overlays` ((run, colour, label) or `Overlay`) as a band in its colour beside the
        bound run's lines (`colour` and `label` name those in the legend). An empty list: the one-run view."""
        self._overlays = overlays_of(overlays)
        self._run_colour, self._run_label = colour, label
        self._build_bands()
        self._redraw()

    def bands(self) -> dict[int, tuple[np.ndarray, np.ndarray]]:
        """{id(run): (epoch[rows], [rows, 3] of the 10th percentile, median and 90th percentile)} of each
        compared run's band over the chosen parameters, as computed (before decimation). Keyed by the run, as
        the studio's model keys its runs: two runs may share a label."""
        return {id(b.overlay.run): b.values for b in self._bands}

    def refresh(self, force: bool = False) -> bool:
        changed = any(b.overlay.run.history.version != b.overlay.drawn_version for b in self._bands)
        return super().refresh(force or changed)

    # ---- public API ----
    def visible_params(self) -> list[str]:
        return [n for n, a in self._actions.items() if a.isChecked()]

    def set_visible_params(self, names) -> None:
        names = set(names)
        for n, a in self._actions.items():
            a.blockSignals(True)
            a.setChecked(n in names)
            a.blockSignals(False)
        self._selection_changed()

    def groups(self) -> dict[str, list[str]]:
        """{top-level module ("layer1"; "" for the root's own parameters): its parameters}, in table order."""
        return {g: list(names) for g, names in self._groups.items()}

    def is_grouped(self) -> bool:
        """Whether the chooser and legend go by module (more than GROUP_ABOVE parameters) rather than by parameter."""
        return self._grouped

    def set_visible_groups(self, groups) -> None:
        """Show the parameters of these modules only."""
        self.set_visible_params([n for g in groups for n in self._groups[g]])

    def legend_labels(self) -> list[str]:
        return [label.text for _, label in self.legend.items] if self.legend is not None else []

    def per_weight(self) -> bool:
        return self.per_weight_check.isChecked()

    def set_per_weight(self, on: bool) -> None:
        self.per_weight_check.setChecked(on)

    def per_weight_plots(self) -> list[pg.PlotItem]:
        """The small plots of "Small plots" mode (empty when off)."""
        return [small.plot for small in self.small_plots()]

    def small_plots(self) -> list[SmallPlot]:
        """The small plots of "Small plots" mode with their curves and columns (empty when off)."""
        return list(self._small_plots) if self.per_weight() else []

    def per_weight_plot_count(self) -> int:
        return len(self.per_weight_plots())

    def all_lines(self) -> bool:
        return self.all_lines_check.isChecked()

    def set_all_lines(self, on: bool) -> None:
        self.all_lines_check.setChecked(on)

    def banded_params(self) -> list[str]:
        """The visible parameters drawn as a band rather than as lines."""
        return [n for key in self._banded for n in self._members[key] if self._actions[n].isChecked()]

    def weight_bands(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """{curve key (the parameter; its module when grouped): (epoch[rows], [rows, 3] of the 10th percentile,
        median and 90th percentile of its visible weights)} of each band drawn, BEFORE decimation, up to the step
        drawn last."""
        if self._band_raw is None:
            return {}
        x, q, extra = self._band_raw
        if extra is not None:
            x, q = np.append(x, extra[0]), np.concatenate([q, extra[1][None]])
        return {key: (x, q[:, 3 * b:3 * b + 3]) for b, key in enumerate(self._banded)}

    def drawn_band(self, key: str) -> tuple[np.ndarray, np.ndarray]:
        """(x[P], [P, 3] low, median, high) handed to a band's items (after decimation); empty when not banded."""
        return self._band_drawn.get(key, (np.empty(0), np.empty((0, 3), np.float32)))

    def band_items(self) -> dict[str, BandItems]:
        """{curve key: the items of its band}, for every key large enough to be banded (hidden when not)."""
        return dict(self._weight_bands)

    def lines(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """{parameter: (epoch[rows], values[rows, k])} of the weights the view holds of each visible parameter (its
        lines, or what its band summarises), BEFORE decimation (recorded values)."""
        if self._mirror is None:
            return {}
        x = self._x_all()
        rows = self._mirror.all_rows()
        return {n: (x, rows[:, self._offsets[n]]) for n in self.visible_params()}

    def line_labels(self) -> dict[str, list[str]]:
        """{parameter: the labels of the weights `lines()` holds, e.g. '0.weight[0, 3]'} (all traced ones unless
        capped)."""
        return {n: list(self._labels[n]) for n in self.visible_params()}

    def line_count(self) -> int:
        """Lines on show: weights drawn as lines (a banded parameter's are not), small plots in per-weight mode."""
        return len(self._small_plots) if self.per_weight() else self._lines_drawn()

    def _lines_drawn(self) -> int:
        return sum(len(j) for j in self._line_picks.values())

    def drawn_curve(self, name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(x, y, connect) handed to the parameter's PlotCurveItem (after decimation); empty when it is banded."""
        return self._drawn.get(self._curve_of.get(name, name), (np.empty(0), np.empty(0), np.empty(0, bool)))

    def curve_items(self) -> dict[str, pg.PlotCurveItem]:
        """{parameter: the curve drawing its lines} (one per module, shared by its parameters, when grouped)."""
        return {name: self._curves[key] for name, key in self._curve_of.items()}

    def note_text(self) -> str:
        return self._note_text

    def describe_point(self, x: float, y: float, tolerance: float | None = None) -> str | None:
        """Name the drawn line nearest (x, y) in data space, e.g. '0.weight[0, 3] = 0.1234 at epoch 12',
        or None when none is within `tolerance` (data units; default: HOVER_PIXELS on screen)."""
        hit = self._nearest(x, y, tolerance)
        return None if hit is None else hit[0]

    def marker_epoch(self) -> float | None:
        return self._marker.value() if self._marker is not None and self._marker.isVisible() else None

    # ---- building ----
    def _build(self, run: RunData | None) -> None:
        self._clear()
        self.plot = style_plot(self.lines_widget.addPlot(), "", self.tr("epoch"), self.tr("weight value"),
                               self.show_grid)
        self.folding.set_title(self.plot, self.tr("Weights over training") if run else self.tr("Weights (no run)"))
        label_x_ends(self.plot)
        self._keeper = RangeKeeper(self.plot)
        self.plot.vb.sigXRangeChanged.connect(self._range_changed)
        if run is None:
            self._set_note("")
            self.per_weight_check.setEnabled(False)
            self.all_lines_check.setEnabled(False)
            return
        self._choose_columns(run)
        self._build_curves(run)
        self._build_hover()
        self._marker = marker_line(self.plot)
        self._update_chooser_text()
        self._update_per_weight_enabled()
        self._build_bands()

    def _build_bands(self) -> None:
        """One band per compared run on the lines plot, listed in the legend by the run's label."""
        for band in self._bands:
            band.items.remove(self.plot)
            if self.legend is not None:
                self.legend.removeItem(band.items.median)
        self._bands = []
        if self._run is None or self.plot is None:
            return
        runs = [Overlay(self._run, self._run_colour or COMPARED_LINES, self._run_label or self.tr("this run"))] + \
            self._overlays if self._overlays else []
        for o, short in zip(runs, short_labels([o.label for o in runs])):
            # over the bound run's faint grey lines (z 1 to 2)
            items = BandItems(self.plot, o.colour, 5, pg.mkPen(o.colour, width=2))
            if self.legend is not None:
                self.legend.addItem(items.median, self._band_label(short))
            self._bands.append(_Band(o, items))
        self.folding.set_title(self.plot, self.tr("Weights over training") if not self._bands else
                               self.tr("Weights: each run's median and 10–90 % band"))
        self._update_layout()

    def _band_label(self, name: str) -> str:
        return self.tr("{0} (median, 10–90 %)").format(name)

    def _update_layout(self) -> None:
        """Decide what each visible parameter draws, from the chosen parameters, All lines and comparing: its lines
        (`_line_picks`: which of its weights, in the order of `_line_cols`, the mirror columns the line envelope
        holds), or, for a large curve key, a band over its visible weights (`_banded`, `_band_groups`). Then the
        legend, the note and the All lines check box follow."""
        visible = set(self.visible_params())
        comparing, every = bool(self._bands), self.all_lines()
        banded, groups, picks, eligible = [], [], {}, False
        for key, members in self._members.items():
            names = [n for n in members if n in visible]
            k = sum(len(self._labels[n]) for n in names)
            large = k > BAND_ABOVE
            eligible |= large
            if large and not every and not comparing:
                banded.append(key)
                groups.append(np.concatenate([self._offsets[n] for n in names]))
                continue
            for n in names:
                kn = len(self._labels[n])
                capped = large and not every  # comparing: a spread sample of grey lines, shared out by size
                picks[n] = spread(kn, max(1, round(BAND_ABOVE * kn / k))) if capped else np.arange(kn)
        summarised = bool(banded) or any(len(j) < len(self._labels[n]) for n, j in picks.items())
        if summarised:  # the envelope holds just the lines drawn
            cols = [self._offsets[n][j] for n, j in picks.items()]
            line_cols = np.concatenate(cols) if cols else np.empty(0, np.intp)
        else:  # every column, chosen or not, as before banding: a selection change does not rebuild the envelope
            line_cols = np.arange(self._n_drawable)
        changed = not (np.array_equal(line_cols, self._line_cols) and banded == self._banded
                       and all(np.array_equal(a, b) for a, b in zip(groups, self._band_groups)))
        if changed:
            self._layout_version += 1
        self._line_cols, self._line_picks = line_cols, picks
        self._line_pos = np.full(self._n_drawable, -1, np.intp)
        self._line_pos[line_cols] = np.arange(len(line_cols))
        self._banded, self._band_groups = banded, groups
        self._band_weights = [self._stands_for[cols] for cols in groups]
        for key, items in self._weight_bands.items():
            items.set_visible(key in banded and not self.per_weight())
        for key in banded:
            self._drawn.pop(key, None)
        self.all_lines_check.setEnabled(eligible)
        self._colour_lines()
        self._update_note(self._run)
        self.folding.fit(force=True)  # the legend's entries may have changed

    def _colour_lines(self) -> None:
        """The bound run's lines in their parameters' colours, each in the legend (a banded one's entry says so);
        or, while comparing, all grey, with two legend entries (weights, biases) in place of one per parameter.
        Biases are dashed."""
        grey = bool(self._bands)
        for key, c in self._curves.items():
            colour, alpha, bias = self._pens[key]
            c.setPen(_line_pen(COMPARED_LINES if grey else colour, min(alpha, GREY_ALPHA) if grey else alpha, 1, bias))
        if self.legend is None:
            return
        for sample, _, _ in self._samples + self._grey_samples:
            self.legend.removeItem(sample)
        self._grey_samples = []
        if grey:
            label = self._run_label or self.tr("this run")
            for bias, text in ((False, self.tr("weights of {0}").format(label)), (True, self.tr("biases (dashed)"))):
                sample = _LegendSample(COMPARED_LINES)
                sample.setPen(_line_pen(COMPARED_LINES, 255, 2, bias))
                self._grey_samples.append((sample, COMPARED_LINES, bias))
                self.legend.addItem(sample, text)
            samples = self._grey_samples
        else:
            samples = self._samples
        for sample, colour, bias in samples:
            sample.setPen(_line_pen(colour, 255, 2, bias))
        if not grey:
            for (sample, _, _), label, (key, name) in zip(self._samples, self._sample_labels, self._sample_keys):
                self.legend.addItem(sample, self._band_label(name) if key in self._banded else label)

    def _draw_bands(self, buckets: int) -> None:
        names = self.visible_params()
        for band in self._bands:
            h = band.overlay.run.history
            key = (h.version, tuple(names))
            band.overlay.drawn_version = h.version
            if key != band.key:
                band.key = key
                band.values = _band_values(h, names)
            x, q = band.values
            visible = len(x) > 0 and not self.per_weight()
            band.items.set_visible(visible)
            if visible:
                band.items.set_data(*decimate(x, q, buckets))

    def _clear(self) -> None:
        self.lines_widget.clear()
        self.folding.reset()
        self.small_widget.clear()
        self.legend = None
        self._small_plots: list[SmallPlot] = []
        self._small_key = None
        self._curves: dict[str, pg.PlotCurveItem] = {}  # by parameter, or by module when grouped
        self._pens: dict[str, tuple] = {}  # key in _curves → (colour, alpha, all biases)
        self._samples: list[tuple] = []  # legend swatches: (item, colour, bias)
        self._sample_labels: list[str] = []
        self._sample_keys: list[tuple[str, str]] = []  # each swatch's (key in _curves, name for its band label)
        self._grey_samples: list[tuple] = []  # while comparing: weights and biases
        self._curve_of: dict[str, str] = {}  # parameter → its key in _curves
        self._members: dict[str, list[str]] = {}  # key in _curves → its parameters
        self._drawn: dict[str, tuple] = {}
        self._labels: dict[str, list[str]] = {}
        self._offsets: dict[str, np.ndarray] = {}
        self._n_drawable = 0
        self._weight_bands: dict[str, BandItems] = {}  # key in _curves → its band, for keys that may be banded
        self._banded: list[str] = []  # keys drawn as a band now
        self._band_groups: list[np.ndarray] = []  # their mirror columns
        self._band_weights: list[np.ndarray] = []  # how many weights each of those columns stands for
        self._stands_for = np.empty(0)  # the same, for every mirror column
        self._line_cols = np.empty(0, np.intp)  # mirror columns the line envelope holds
        self._line_pos = np.empty(0, np.intp)  # mirror column → its column in the envelope's output, or -1
        self._line_picks: dict[str, np.ndarray] = {}  # parameter → which of its weights are drawn as lines
        self._layout_version = 0
        self._line_rows = self._band_rows = None  # DerivedRows: the line columns, the bands' percentiles
        self._band_envelope = None
        self._band_raw = None  # (x, q, tail) of the bands drawn last, before decimation
        self._band_drawn: dict[str, tuple] = {}
        self._mirror = None
        self._envelope = None
        self._out = None
        self._marker = None
        self._hover_text = self._highlight = None
        self.menu.clear()
        for sub in self.menu.findChildren(QtWidgets.QMenu):  # the previous run's module sub-menus
            sub.deleteLater()
        self._actions = {}
        self._groups: dict[str, list[str]] = {}
        self._grouped = False
        self._unit = "epoch"
        self._hover = ""

    def _choose_columns(self, run: RunData) -> None:
        """Which traced weights get a line (at most about `max_lines`, spread over the parameters), their labels
        and their columns in the mirror."""
        h = run.history
        labels = h.trace_labels()
        slices = h.trace_param_slices()
        total_traced = h.n_traced
        cols_all, stands_for, start = [], [], 0  # stands_for: how many of its parameter's weights a column stands for
        for p in h.params:
            sl = slices[p.name]
            cols = np.arange(sl.start, sl.stop)
            k = len(cols)
            if total_traced > self.max_lines and k:
                want = max(min(k, 8), round(self.max_lines * k / total_traced))
                cols = cols[np.unique(np.linspace(0, k - 1, min(k, want)).round().astype(int))]
            self._labels[p.name] = [labels[c] for c in cols]
            self._offsets[p.name] = np.arange(start, start + len(cols))
            start += len(cols)
            cols_all.append(cols)
            stands_for.append(np.full(len(cols), p.count / max(1, len(cols))))
        self._n_drawable = start
        self._stands_for = np.concatenate(stands_for) if stands_for else np.empty(0)
        self._mirror = BufferMirror("traces", np.concatenate(cols_all) if cols_all else None, with_latest=True)

    def _build_curves(self, run: RunData) -> None:
        """One curve per parameter; one legend entry and one chooser entry per parameter, or per module (a
        collapsed sub-menu of its parameters) when there are more than GROUP_ABOVE parameters."""
        params = run.history.params
        groups = self._groups = run.module_groups
        grouped = self._grouped = len(params) > GROUP_ABOVE and len(groups) < len(params)
        # Legend under the plot; names only when there are many parameters, so one row or two fit a narrow dock.
        entries = len(groups) if grouped else len(params)
        self.legend = self.folding.legend = outside_legend(self.lines_widget.ci, 1, min(4, max(2, entries)))
        with_shapes = len(params) <= 4
        colors = self._colors = group_colors(params, groups) if run.is_recorded else param_colors(params)
        menus = {}
        if grouped:
            for g, names in groups.items():
                lines = sum(len(self._labels[n]) for n in names)
                group = g or self.tr("(root)")
                sample = _LegendSample(colors[names[0]])
                self._samples.append((sample, colors[names[0]], False))
                self._sample_labels.append(f"{group} ({len(names)})")
                self._sample_keys.append((module_group(names[0]), group))
                sub = menus[g] = _StayOpenMenu(self.tr("{0}: {1} parameters, {2} lines").format(
                    group, len(names), f"{lines:,}"), self.menu)
                sub.addAction(self.tr("All of {0}").format(group), lambda g=g: self._toggle_group(g))
                sub.addSeparator()
                self.menu.addMenu(sub)
        # One PlotCurveItem per module when grouped: a ResNet's 62 parameters would otherwise cost 62 items to
        # feed and paint on every refresh.
        for p in params:
            key = module_group(p.name) if grouped else p.name
            self._curve_of[p.name] = key
            self._members.setdefault(key, []).append(p.name)
        for key, names in self._members.items():
            k = sum(len(self._labels[n]) for n in names)
            alpha = int(np.clip(255 * (4 / np.sqrt(max(k, 1))), 70, 255))
            self._pens[key] = (colors[names[0]], alpha, all(n.endswith(".bias") for n in names))
            c = curve(colors[names[0]], alpha)
            c.setZValue(1 + 1 / (1 + k))  # parameters with few lines (biases, small layers) on top of dense ones
            self._curves[key] = c
            self.plot.addItem(c)
            if k > BAND_ABOVE:  # over every line (z 1 to 2), under the compared runs' bands (z 5)
                colour, _, bias = self._pens[key]
                self._weight_bands[key] = BandItems(self.plot, colour, 3, _line_pen(colour, 255, 2, bias))
        for p in params:
            k = len(self._labels[p.name])
            if not grouped:
                sample = _LegendSample(colors[p.name])
                self._samples.append((sample, colors[p.name], p.name.endswith(".bias")))
                self._sample_labels.append(f"{p.name} ({shape_text(p.shape)})" if with_shapes else p.name)
                self._sample_keys.append((p.name, p.name))
            menu = menus.get(module_group(p.name), self.menu)
            act = menu.addAction((self.tr("{0} ({1}): 1 line") if k == 1 else self.tr("{0} ({1}): {2} lines")).format(
                p.name, shape_text(p.shape), k))
            act.setCheckable(True)
            act.setChecked(True)
            act.toggled.connect(self._selection_changed)
            self._actions[p.name] = act
        if grouped:
            self.menu.addSeparator()
        weights = [p.name for p in params if p.is_weight]
        self.menu.addSeparator()
        self.menu.addAction(self.tr("Show all"), lambda: self.set_visible_params(self._actions))
        self.menu.addAction(self.tr("Weights only"), lambda: self.set_visible_params(weights))

    def _build_hover(self) -> None:
        """The hovered line's highlight and its read-out beside the mouse."""
        self._highlight = pg.PlotCurveItem(pen=pg.mkPen(FOREGROUND, width=1), antialias=False, skipFiniteCheck=True)
        self._highlight.setZValue(20)
        self.plot.addItem(self._highlight)
        self._hover_text = pg.TextItem("", color=FOREGROUND, fill=pg.mkBrush(255, 255, 255, 230),
                                       border=pg.mkPen(160, 160, 160), anchor=(0, 1))
        self._hover_text.setZValue(30)
        self._hover_text.hide()
        self.plot.addItem(self._hover_text, ignoreBounds=True)

    def _update_note(self, run: RunData) -> None:
        """Say what is sampled and what is summarised: the banded parameters and how many weights their bands
        cover, or, while comparing, how many grey lines a large parameter keeps."""
        h = run.history
        parts = []
        tip = self.tr(". Large nets trace a per-layer sample of their weights every step (the full matrices are kept "
                      "at every epoch: see Heatmaps); very many lines are thinned for drawing.")
        bands_tip = " " + self.tr("A band is the range of the middle 80 % of a parameter's weights at each step "
                                  "(10th to 90th percentile); its line is their median.")
        if h.sampled:
            parts.append(self.tr("showing {0} sampled weights of {1}").format(f"{h.n_traced:,}",
                                                                              f"{h.total_weights:,}"))
        capped = [n for n, j in self._line_picks.items() if len(j) < len(self._labels[n])]
        if self._banded:
            slices = h.trace_param_slices()
            names = ", ".join(self._key_name(key) for key in self._banded)
            held = sum(len(cols) for cols in self._band_groups)
            traced = sum(slices[n].stop - slices[n].start for n in self.banded_params())
            if held == traced:
                parts.append(self.tr("{0}: median and 10–90 % of {1} weights; tick All lines to draw each").format(
                    names, f"{held:,}"))
                tip += bands_tip
            else:
                parts.append(self.tr("{0}: median and 10–90 % of {1} sampled weights; tick All lines to draw "
                                     "each").format(names, f"{held:,}"))
                tip += bands_tip + " " + self.tr("The banded parameters hold {0} traced weights; their bands are "
                                                 "computed over {1} of them, spread evenly.").format(
                    f"{traced:,}", f"{held:,}")
        elif capped:
            shown = sum(len(self._line_picks[n]) for n in capped)
            held = sum(len(self._labels[n]) for n in capped)
            parts.append(self.tr("{0} of {1} grey lines of the large parameters; tick All lines to draw each").format(
                f"{shown:,}", f"{held:,}"))
            tip += bands_tip
        elif self._n_drawable < h.n_traced:
            parts.append(self.tr("drawing {0} of {1} traced").format(f"{self._n_drawable:,}", f"{h.n_traced:,}"))
        self._set_note("; ".join(parts))
        self.note.setToolTip("; ".join(parts) + tip if parts else "")

    def _key_name(self, key: str) -> str:
        """A curve key as the legend names it: the parameter, or the module ("(root)" for the net's own)."""
        return (key or self.tr("(root)")) if self._grouped else key

    def _update_chooser_text(self) -> None:
        n, total = len(self.visible_params()), len(self._actions)
        self.chooser.setText(self.tr("Parameters: all") if n == total else
                             self.tr("Parameters: {0} of {1}").format(n, total))

    def _visible_column_count(self) -> int:
        return sum(len(self._labels[n]) for n in self.visible_params())

    def _update_per_weight_enabled(self) -> None:
        k = self._visible_column_count()
        ok = 0 < k <= PER_WEIGHT_LIMIT
        self.per_weight_check.setEnabled(ok)
        self.per_weight_check.setToolTip(
            self.tr("One small plot per weight") if ok else
            self.tr("Available when the chosen parameters hold at most {0} weights ({1} chosen)").format(
                PER_WEIGHT_LIMIT, k))
        if not ok and self.per_weight_check.isChecked():
            self.per_weight_check.setChecked(False)

    # ---- drawing ----
    def _x_all(self) -> np.ndarray:
        spe = max(1, self._run.history.steps_per_epoch) if self._run is not None else 1
        return self._mirror.all_keys() / spe

    def _draw(self, run: RunData) -> None:
        h = run.history
        m = self._mirror
        m.sync(h)
        spe = max(1, h.steps_per_epoch)
        per_weight = self.per_weight()
        plot = self._small_plots[0].plot if per_weight and self._small_plots else self.plot
        n = self._frame_count(run, m.keys)  # up to the frame's step: what the other views show
        x = m.keys[:n] / spe
        if run.x_unit != self._unit:
            self._unit = run.x_unit
            self.plot.setLabel("bottom", self._unit, color=FOREGROUND)
        rows = m.rows[:n]
        if rows.shape[1] == 0:
            return
        frame = self._live_frame(run)
        tail = None if m.tail is None or (frame is not None and m.tail[0] > frame.step) else m.tail
        extra = None if tail is None else (tail[0] / spe, tail[1])
        self.drawn_step = frame.step if frame is not None else int(tail[0] if tail is not None else
                                                                   (m.keys[-1] if len(m.keys) else 0))
        width = plot_width_px(plot)
        # The reducers are rebuilt when the mirror reloads, an epoch's length is learnt (every x changes) or what
        # is drawn as lines and bands changes; otherwise each refresh folds in only the new rows.
        key = (m.generation, spe, self._layout_version)
        self._out = None
        if len(self._line_cols):
            # About two points per pixel column, fewer when many lines share the vertex budget.
            budget = self.banded_vertex_budget if self._banded else self.vertex_budget
            buckets = max(8, min(width, budget // (2 * max(1, self._lines_drawn()))))
            self._envelope = envelope_for(self._envelope, len(self._line_cols), buckets, key)
            if len(self._line_cols) == m.rows.shape[1]:  # every column: the mirror's rows as they are
                line_rows, line_extra = rows, extra
            else:
                cols = self._line_cols
                self._line_rows = derived_for(self._line_rows, lambda r: r[:, cols], len(cols), key)
                line_rows = self._line_rows.update(rows)
                line_extra = None if extra is None else (extra[0], extra[1][cols])
            self._out = _dashed_start(*self._reduce(self._envelope, x, line_rows, line_extra, buckets))
        bands = None
        if self._banded:
            self._band_rows = derived_for(self._band_rows, band_columns(self._band_groups, self._band_weights),
                                          3 * len(self._banded), key)
            q = self._band_rows.update(rows)
            q_extra = None if extra is None else (extra[0], self._band_rows.fn(extra[1][None])[0])
            half = max(8, width // 2)  # a pair of points per two pixel columns
            self._band_envelope = envelope_for(self._band_envelope, q.shape[1], half, key)
            self._band_raw = (x, q, q_extra)
            bands = _dashed_start(*self._reduce(self._band_envelope, x, q, q_extra, half))
        else:
            self._band_raw = None
        self._draw_bands(width)
        self._draw_lines(bands, is_growing(run), 1.0 if n + (extra is not None) == 1 else 0.0)
        if per_weight and self._out is not None:
            self._draw_small(*self._out, is_growing(run))
        self._place_marker(run)

    def _reduce(self, envelope, x: np.ndarray, v: np.ndarray, extra, buckets: int) -> tuple[np.ndarray, np.ndarray]:
        """`v[n, k]` at `x[n]` (and `extra`, a newest row not stored) reduced to about two points per bucket: by the
        envelope, or, zoomed in, by decimating just the window on show."""
        envelope.feed(x, v)
        window = None if self.per_weight() else zoom_window(self.plot, x, buckets, self._keeper.following)
        if window is None:
            return envelope.output(x, v, None, extra)
        return decimate(x[window], v[window], buckets)

    def _draw_lines(self, bands, growing: bool, min_end: float = 0.0) -> None:
        """Feed each visible parameter's curve its lines, or its band (`bands`: (x, q[P, 3 × banded keys]) after
        decimation); curves are hidden in per-weight mode. Keep the range around all of it and the compared runs'
        bands (at least up to `min_end` on x)."""
        visible = set(self.visible_params())
        banded = set(self._banded)
        ranges = []  # (lo, hi, end) of each thing drawn
        for key, c in self._curves.items():
            names = [n for n in self._members[key] if n in visible and n in self._line_picks]
            on = bool(names) and not self.per_weight() and key not in banded and self._out is not None
            c.setVisible(on)
            if not on:
                self._drawn.pop(key, None)
                continue
            xd, vd = self._out
            cols = self._line_pos[np.concatenate([self._offsets[n][self._line_picks[n]] for n in names])]
            xs, ys, conn = flatten_lines(xd, vd[:, cols])
            self._drawn[key] = (xs, ys, conn)
            c.setData(xs, ys, connect=conn)
            if len(ys):
                ranges.append((ys.min(), ys.max(), xd[-1]))
        self._band_drawn = {}
        if bands is not None and not self.per_weight():
            xq, qd = bands
            for b, key in enumerate(self._banded):
                q = qd[:, 3 * b:3 * b + 3]
                self._weight_bands[key].set_data(xq, q)
                self._band_drawn[key] = (xq, q)
                if len(xq):
                    ranges.append((q[:, 0].min(), q[:, 2].max(), xq[-1]))
        for band in self._bands:  # keep the compared runs' bands in view too
            x, q = band.values
            if len(x) and not self.per_weight():
                ranges.append((q[:, 0].min(), q[:, 2].max(), x[-1]))
        if ranges:
            lo, hi, end = (float(f(r[i] for r in ranges)) for i, f in ((0, min), (1, max), (2, max)))
            self._keeper.update(0.0, max(end, min_end), lo, hi, growing)

    def _build_small(self) -> None:
        """The small plots for the visible weights, two columns when more than three, x axes linked to the first;
        rebuilt only when the selection changed."""
        key = tuple(self.visible_params())
        if key == self._small_key:
            return
        self.small_widget.clear()
        self._small_plots = []
        self._small_key = key
        if self._run is None:
            return
        items = [(n, j) for n in key for j in range(len(self._labels[n]))]
        cols = 1 if len(items) <= 3 else 2
        nrows = -(-len(items) // cols)
        for i, (name, j) in enumerate(items):
            r, c = divmod(i, cols) if cols == 2 else (i, 0)
            bottom = r == nrows - 1 or (cols == 2 and i + cols >= len(items))
            p = self.small_widget.addPlot(row=r, col=c)
            style_plot(p, "", "epoch" if bottom else "", "value" if c == 0 else "", self.show_grid)
            set_title(p, self._labels[name][j], size="9pt")
            item = curve(self._colors[name])
            p.addItem(item)
            keeper = RangeKeeper(p)
            if self._small_plots:
                p.setXLink(self._small_plots[0].plot)
                keeper.fit_x = False  # x follows the first plot through the link
            self._small_plots.append(SmallPlot(p, item, int(self._offsets[name][j]), marker_line(p, label=False),
                                               keeper))

    def _draw_small(self, xd: np.ndarray, vd: np.ndarray, growing: bool) -> None:
        self._build_small()
        for small in self._small_plots:
            y = vd[:, self._line_pos[small.column]]
            small.curve.setData(xd, y)
            if len(xd):
                small.keeper.update(0.0, float(xd[-1]), float(y.min()), float(y.max()), growing)

    def _place_marker(self, run: RunData) -> None:
        place_markers([self._marker] + [small.marker for small in self._small_plots], self._snapshot_epoch(run))

    def _snapshot_changed(self) -> None:
        if self._run is not None:
            self._place_marker(self._run)

    # ---- user actions ----
    def _toggle_group(self, group: str) -> None:
        """A module's "All of …": show all its parameters, or hide them when all are shown."""
        names = self._groups[group]
        visible = set(self.visible_params())
        if all(n in visible for n in names):
            self.set_visible_params(visible - set(names))
        else:
            self.set_visible_params(visible | set(names))

    def _selection_changed(self, *_) -> None:
        self._update_chooser_text()
        self._update_per_weight_enabled()
        if self._run is not None:
            self._update_layout()
        self._hide_hover()
        self._redraw()

    def _all_lines_toggled(self, _on: bool) -> None:
        if self._run is not None:
            self._update_layout()
        self._hide_hover()
        self._redraw()

    def _per_weight_toggled(self, on: bool) -> None:
        self.stack.setCurrentIndex(1 if on else 0)
        self._hide_hover()
        self._redraw()

    def _range_changed(self, *_) -> None:
        # Zoomed or panned by the user: the decimated window must follow.
        if self.plot is not None and not self._keeper.following:
            self._schedule_redraw()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._schedule_redraw()  # decimation follows the plot's width in pixels

    # ---- hover ----
    def _nearest(self, x: float, y: float, tolerance: float | None):
        """(text, x, value, highlight) of the drawn line nearest (x, y) vertically, within tolerance, or of a band
        whose median is that near or whose 10–90 % range holds y (a line that near wins); or None. `highlight`:
        the (x, y) drawn for it, or None."""
        if self._mirror is None or self._run is None or self.plot is None:
            return None
        xs = self._x_all()
        if len(xs) == 0:
            return None
        i = int(np.clip(np.searchsorted(xs, x), 0, len(xs) - 1))
        if i > 0 and abs(xs[i - 1] - x) < abs(xs[i] - x):
            i -= 1
        m = self._mirror
        row = m.tail[1] if (m.tail is not None and i == len(xs) - 1) else m.rows[i]
        if tolerance is None:
            tolerance = HOVER_PIXELS * abs(self.plot.vb.viewPixelSize()[1])
        best = None  # (distance, what, index)
        for name in self.visible_params():
            picks = self._line_picks.get(name)
            if picks is None or not len(picks):
                continue
            d = np.abs(row[self._offsets[name][picks]] - y)
            j = int(np.argmin(d))
            if d[j] <= tolerance and (best is None or d[j] < best[0]):
                best = (float(d[j]), name, int(picks[j]))
        for b, key in enumerate(self._banded):
            lo, med, hi = quantiles(row[self._band_groups[b]][None], self._band_weights[b])[0]
            d = abs(float(med) - y)
            if d > tolerance and lo <= y <= hi:
                d = tolerance * 1.001  # inside the band: named unless a line or a median is within reach
            if d <= tolerance * 1.001 and (best is None or d < best[0]):
                best = (d, key, (float(lo), float(med), float(hi)))
        if best is None:
            return None
        _, what, which = best
        epoch = epoch_text(xs[i])
        if isinstance(which, tuple):
            lo, med, hi = which
            text = self.tr("{0} median = {1} at epoch {2}; 10–90 %: {3} to {4}").format(
                self._key_name(what), f"{med:.4g}", epoch, f"{lo:.4g}", f"{hi:.4g}")
            xq, q = self.drawn_band(what)
            return text, float(xs[i]), med, (xq, q[:, 1]) if len(xq) else None
        col = self._offsets[what][which]
        value = float(row[col])
        text = self.tr("{0} = {1} at epoch {2}").format(self._labels[what][which], f"{value:.4g}", epoch)
        highlight = None
        if self._out is not None and self._line_pos[col] >= 0:
            xd, vd = self._out
            highlight = (xd, vd[:, self._line_pos[col]])
        return text, float(xs[i]), value, highlight

    def _mouse_moved(self, pos) -> None:
        if self.plot is None or self.per_weight() or not self.plot.sceneBoundingRect().contains(pos):
            self._hide_hover()
            return
        pt = self.plot.vb.mapSceneToView(pos)
        hit = self._nearest(pt.x(), pt.y(), None)
        if hit is None:
            self._hide_hover()
            return
        text, hx, hy, highlight = hit
        self._hover_text.setText(text)
        (x0, x1), (y0, y1) = self.plot.vb.viewRange()
        # Keep the read-out inside the plot: left of the point in the right half, below it in the upper half.
        self._hover_text.setAnchor((1 if hx > (x0 + x1) / 2 else 0, 0 if hy > (y0 + y1) / 2 else 1))
        self._hover_text.setPos(hx, hy)
        self._hover_text.show()
        self._hover = text
        self.note.setText(text)
        self.note.setStyleSheet(f"color: {FOREGROUND};")
        if highlight is not None:
            self._highlight.setData(*highlight)
            self._highlight.show()
        else:
            self._highlight.hide()

    def _hide_hover(self) -> None:
        if self._hover_text is not None:
            self._hover_text.hide()
            self._highlight.hide()
        if self._hover:
            self._hover = ""
            self._set_note(self._note_text)

    def hover_text(self) -> str:
        return self._hover

    def _set_note(self, text: str) -> None:
        self._note_text = text
        self.note.setText(text)
        self.note.setStyleSheet(f"color: {MUTED};")


class _LegendSample(pg.PlotDataItem):
    """A legend swatch at full opacity: the curves themselves may be translucent when they hold many lines."""

    def __init__(self, color):
        super().__init__(pen=pg.mkPen(color, width=2))


def _dashed_start(xd: np.ndarray, vd: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The initial weights only: a short dash per series at epoch 0 (a curve of one point draws nothing)."""
    if len(xd) != 1:
        return xd, vd
    return np.array([xd[0], xd[0] + INITIAL_DASH]), np.repeat(vd, 2, axis=0)


def _line_pen(colour, alpha: int, width: int, bias: bool) -> QtGui.QPen:
    """A weight's pen; a bias's is dashed, so it reads apart from its layer's weights in the same hue."""
    return pg.mkPen((*colour[:3], alpha), width=width, style=QtCore.Qt.PenStyle.DashLine if bias else
                    QtCore.Qt.PenStyle.SolidLine)


@dataclass
class _Band:
    """A compared run in the weights view: its band's items, and what was computed for it."""

    overlay: Overlay
    items: BandItems
    key: tuple | None = None  # (history version, parameters) the values were computed for
    values: tuple[np.ndarray, np.ndarray] = (np.empty(0), np.empty((0, 3)))


def _band_values(history, names: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(epoch[rows], [rows, 3] `quantiles`) over the traced weights of `names` in `history`
    (the parameters it has of them), one row per recorded step."""
    slices = history.trace_param_slices()
    counts = {p.name: p.count for p in history.params}
    spans = {n: slices[n] for n in names if n in slices and slices[n].stop > slices[n].start}
    keys, rows = history.trace_data()
    if not spans or len(keys) == 0:
        return np.empty(0), np.empty((0, 3), np.float32)
    cols = np.concatenate([np.arange(sl.start, sl.stop) for sl in spans.values()])
    weights = np.concatenate([np.full(sl.stop - sl.start, counts[n] / (sl.stop - sl.start)) for n, sl in spans.items()])
    return keys / max(1, history.steps_per_epoch), np.ascontiguousarray(quantiles(rows[:, cols], weights))
