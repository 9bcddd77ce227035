"""Subcommands of `wfm`, one module each; see `planning.cli`."""
