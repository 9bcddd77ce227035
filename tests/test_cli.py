import importlib
import re
import subprocess
import sys

import pytest

from planning.cli import COMMANDS, build_parser, main

# The subcommands `wfm` offers, written out here rather than read from planning/cli.py,
# so that a subcommand dropped from the code (its module, or its name in COMMANDS)
# fails a test. A new subcommand is added here too.
SUBCOMMANDS = ("ingest", "profile", "forecast", "backtest", "staff", "roster", "project",
               "scenario", "capacity", "users", "intraday")


def _subcommands(parser) -> dict:
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return sub.choices


def test_help_lists_the_subcommands_and_an_example(capsys):
    parser = build_parser()
    text = parser.format_help()
    assert "wfm ingest" in text and "Run `wfm COMMAND --help`" in text


def test_wfm_offers_exactly_the_expected_subcommands():
    # build_parser() skips a name in COMMANDS whose module is missing, so the parser
    # alone would not notice a deleted planning/commands/<name>.py: check both.
    assert sorted(COMMANDS) == sorted(SUBCOMMANDS)
    assert sorted(_subcommands(build_parser())) == sorted(SUBCOMMANDS)


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_each_subcommand_module_imports_and_its_help_exits_0(name, capsys):
    module = importlib.import_module(f"planning.commands.{name}")
    assert callable(module.register)
    with pytest.raises(SystemExit) as exit_:
        main([name, "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: wfm {name}")
    assert "Example" in out, f"`wfm {name} --help` has no example"


def test_every_subcommand_help_has_an_example():
    parser = build_parser()
    for name, p in _subcommands(parser).items():
        assert "Example" in p.format_help(), f"`wfm {name} --help` has no example"


def test_no_subcommand_prints_help_and_fails(capsys):
    assert main([]) == 2
    assert "COMMAND" in capsys.readouterr().out


def test_console_script_runs_without_traceback():
    out = subprocess.run([sys.executable, "-m", "planning.cli", "--help"],
                         capture_output=True, text=True, check=True)
    assert "usage: wfm" in out.stdout
    # The subcommands listed under COMMAND in `wfm --help`, as a planner sees them.
    listed = re.search(r"^  COMMAND\n(.*?)\n\n", out.stdout, re.M | re.S).group(1)
    names = re.findall(r"^    (\S+)", listed, re.M)
    assert sorted(names) == sorted(SUBCOMMANDS)
