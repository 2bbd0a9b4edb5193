"""Regenerate the desktop icons from the SVG master: resources/icons/weightstudio-<N>.png and weightstudio.ico.

    .venv/bin/python resources/make_icons.py

The master is weightstudio/resources/icons/weightstudio.svg (package data; the running app uses it for its window
icon). PNGs are rendered offline by Qt's QSvgRenderer (PySide6, already a dependency). The multi-size .ico is
assembled by Pillow, which is needed only here, at asset-generation time, not by the app or the bundle
(`pip install pillow` if it is missing). The outputs are committed; run this again after editing the SVG.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MASTER = ROOT / "weightstudio" / "resources" / "icons" / "weightstudio.svg"
OUT = ROOT / "resources" / "icons"
PNG_SIZES = (16, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)  # 256 is the largest size an .ico entry can hold


def render_png(renderer, size: int) -> bytes:
    """The master drawn at size x size (antialiased, transparent corners) as PNG bytes."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter

    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.convertToFormat(QImage.Format.Format_ARGB32).save(buffer, "PNG"):
        raise RuntimeError(f"could not encode the {size}px PNG")
    return bytes(data.data())


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no display needed
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])  # noqa: F841 (Qt wants one for fonts)
    renderer = QSvgRenderer(str(MASTER))
    if not renderer.isValid():
        print(f"error: {MASTER} is not a valid SVG for Qt", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    pngs = {}
    for size in sorted(set(PNG_SIZES) | set(ICO_SIZES)):
        pngs[size] = render_png(renderer, size)
        if size in PNG_SIZES:
            (OUT / f"weightstudio-{size}.png").write_bytes(pngs[size])
            print(f"wrote {OUT / f'weightstudio-{size}.png'}")
    try:
        from PIL import Image
    except ImportError:
        print("error: Pillow is needed to write the .ico (only here, not by the app): pip install pillow",
              file=sys.stderr)
        return 1
    # Pillow writes one .ico entry per size, each resampled from the image given; give it the largest rendering
    # and the exact Qt renderings of the smaller sizes so no entry is a blurry downscale.
    images = [Image.open(io.BytesIO(pngs[s])).convert("RGBA") for s in sorted(ICO_SIZES, reverse=True)]
    ico = OUT / "weightstudio.ico"
    images[0].save(ico, format="ICO", sizes=[(s, s) for s in ICO_SIZES], append_images=images[1:])
    print(f"wrote {ico} ({', '.join(map(str, ICO_SIZES))} px)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
