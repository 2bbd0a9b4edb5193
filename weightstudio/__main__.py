"""Entry point: `weightstudio [RUN]` and `weightstudio open RUN` open the studio (on a run folder);
`weightstudio train|presets ...` run headless."""

import sys

CLI_COMMANDS = ("train", "compare", "presets", "export-script", "--version", "-h", "--help")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in CLI_COMMANDS:
        from .cli import main as cli_main

        return cli_main(argv)
    from .gui.app import run_app  # Qt is imported only for the GUI

    return run_app(argv[1:] if argv and argv[0] == "open" else argv)


if __name__ == "__main__":
    sys.exit(main())
