"""The desktop studio (PySide6 + pyqtgraph). Reads core objects; never trains on the GUI thread."""
