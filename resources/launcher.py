"""PyInstaller entry script for the WeightStudio bundle (see resources/weightstudio.spec).

Same behaviour as the `weightstudio` console script (`weightstudio.__main__:main`); the only addition is
`multiprocessing.freeze_support()`, first thing, so that a child process started by the frozen binary (spawn,
or torch/pyqtgraph helpers) runs its task instead of opening a second studio.
"""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()

    from weightstudio.__main__ import main

    sys.exit(main())
