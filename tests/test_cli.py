import subprocess
import sys

from planning.cli import COMMANDS, build_parser, main


def test_help_lists_the_subcommands_and_an_example(capsys):
    parser = build_parser()
    text = parser.format_help()
    assert "wfm ingest" in text and "Run `wfm COMMAND --help`" in text


def test_every_subcommand_help_has_an_example():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    assert set(sub.choices) <= set(COMMANDS)
    assert "ingest" in sub.choices
    for name, p in sub.choices.items():
        assert "Example" in p.format_help(), f"`wfm {name} --help` has no example"


def test_no_subcommand_prints_help_and_fails(capsys):
    assert main([]) == 2
    assert "COMMAND" in capsys.readouterr().out


def test_console_script_runs_without_traceback():
    out = subprocess.run([sys.executable, "-m", "planning.cli", "--help"],
                         capture_output=True, text=True, check=True)
    assert "usage: wfm" in out.stdout
