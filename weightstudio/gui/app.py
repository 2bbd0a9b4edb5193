"""Starts the studio: the QApplication, the window, and `--smoke-test` (used by CI on the packaged binary)."""

from __future__ import annotations

import argparse
import os
import sys
import threading
from pathlib import Path

from .. import __version__

SMOKE_TIMEOUT_S = 120


def _parse(argv: list[str]) -> argparse.Namespace:
    from ..core.messages import _, localise_argparse

    localise_argparse()
    p = argparse.ArgumentParser(prog="weightstudio", description=_("WeightStudio: watch a neural network learn."))
    p.add_argument("run", nargs="?", type=Path, help=_("a run folder (or its run.json) to open"))
    p.add_argument("--preset", help=_("preset to open (see `weightstudio presets`)"))
    p.add_argument("--smoke-test", action="store_true",
                   help=_("open the window, train a preset briefly, check every view drew something, then exit"))
    return p.parse_args(argv)


def no_display(env=None, platform: str | None = None) -> str | None:
    """Why no window can open here (one line pointing at what works instead), or None. Without it, Qt aborts with
    a misleading hint about libxcb-cursor0 on a Linux machine that has no display at all."""
    env = os.environ if env is None else env
    if not (platform or sys.platform).startswith("linux") or env.get("QT_QPA_PLATFORM") or env.get("DISPLAY") \
            or env.get("WAYLAND_DISPLAY"):
        return None
    from ..core.messages import _

    return _("weightstudio: no display here (DISPLAY and WAYLAND_DISPLAY are unset), so the window cannot open: "
             "run it under a virtual screen with `xvfb-run -a weightstudio`, or train without a window with "
             "`weightstudio train --preset NAME --out DIR`")


def run_app(argv: list[str]) -> int:
    args = _parse(argv)
    if args.run is not None and not args.run.exists():
        from ..core.messages import _

        print(_("weightstudio: error: {path}: no such run folder or file", path=args.run), file=sys.stderr)
        return 2
    reason = no_display()
    if reason:
        print(reason, file=sys.stderr)
        return 2
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0]])
    window = open_studio(app, args.preset, args.run)
    if args.smoke_test:
        return _smoke_test(app, window)
    return app.exec()


def open_studio(app, preset: str | None = None, run_path: Path | None = None):
    """Name the app, show a splash at once (importing torch takes seconds), then the window; the first run loads
    after the window has painted. Shared by `run_app` and the start-up benchmark."""
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtWidgets import QSplashScreen

    from ..core.messages import set_language
    from .resources import app_icon
    from .settings import app_settings
    from .translation import LANGUAGE_KEY, install_translators

    app.setApplicationName("WeightStudio")
    app.setOrganizationName("WeightStudio")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("weightstudio")  # lets Wayland match the window to weightstudio.desktop
    app.setWindowIcon(app_icon())
    chosen = str(app_settings().value(LANGUAGE_KEY, "") or "")  # View ▸ Language; '' follows the locale
    if chosen:
        set_language(chosen)
    set_language(install_translators(app))  # English everywhere when no font can draw the chosen language
    splash = QSplashScreen(app_icon().pixmap(256, 256))
    splash.showMessage(QCoreApplication.translate("Splash", "WeightStudio {0}\nloading PyTorch…").format(__version__),
                       Qt.AlignBottom | Qt.AlignHCenter)
    splash.show()
    app.processEvents()
    from ..core.remote import prestart, training_backend

    if training_backend() == "process":
        prestart()

    from ..core.presets import DEFAULT_PRESET
    from .main_window import MainWindow

    window = MainWindow(preset or DEFAULT_PRESET, defer_load=True, run_path=run_path)
    window.show()
    splash.finish(window)
    return window


def _smoke_test(app, window) -> int:
    """Train a few epochs, let every view redraw, and check each rendered view is not blank."""
    from PySide6.QtCore import Qt, QTimer

    from ..core.remote import training_backend

    # A watchdog outside Qt: if the event loop hangs, the process still ends with a reason.
    watchdog = threading.Timer(SMOKE_TIMEOUT_S, lambda: (print(f"SMOKE FAILED: no result after {SMOKE_TIMEOUT_S} s",
                                                               flush=True), os._exit(3)))
    watchdog.daemon = True
    watchdog.start()
    result = {"code": 1}

    def check(state: str) -> None:
        app.processEvents()
        problems = [] if state == "finished" else [f"training ended as '{state}': {window.state_label.text()}"]
        backend = window.controller.backend
        if backend != training_backend():  # a bundle that cannot start its training process must not pass
            problems.append(f"training fell back to the {backend} backend")
        docks = {dock.widget(): dock for dock in window.docks.values()}
        for view in window.views:
            docks[view].raise_()  # views share tab areas: each is looked at on screen, as a user would
            app.processEvents()
            view.refresh(force=True)
            app.processEvents()
            image = view.grab().toImage()
            colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
            if image.isNull() or len(colours) < 3:
                problems.append(f"the {view.title} view rendered blank")
        if problems:
            print("SMOKE FAILED: " + "; ".join(problems), flush=True)
        else:
            print(f"SMOKE OK: {window.controller.trainer.epoch} epochs trained (in a {backend}), "
                  f"{len(window.views)} views drawn", flush=True)
            result["code"] = 0
        window.close()
        app.quit()

    def start() -> None:
        window.controller.set_epochs(5)
        QTimer.singleShot(300, window.controller.start)

    window.run_finished.connect(check)
    window.run_loaded.connect(start, Qt.SingleShotConnection)
    app.exec()
    watchdog.cancel()
    return result["code"]
