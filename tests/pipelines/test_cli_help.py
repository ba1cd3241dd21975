"""`devmetrics --help` is complete: every command, subcommand and option says what it does."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from pipelines.cli import main


def _commands(group: click.Group, path: tuple[str, ...] = ()):
    """(path, command) for every command under `group`, the group itself first."""
    yield path, group
    context = click.Context(group, info_name="devmetrics")
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        if isinstance(command, click.Group):
            yield from _commands(command, (*path, name))
        else:
            yield (*path, name), command


COMMANDS = list(_commands(main))


@pytest.mark.parametrize(
    ("path", "command"), COMMANDS, ids=[" ".join(p) or "devmetrics" for p, _ in COMMANDS]
)
def test_every_command_and_option_has_help_text(path, command):
    assert (command.help or "").strip(), f"devmetrics {' '.join(path)} has no help text"
    undocumented = [
        param.opts[0]
        for param in command.params
        if isinstance(param, click.Option) and not (param.help or "").strip()
    ]
    assert not undocumented, f"devmetrics {' '.join(path)}: options without help: {undocumented}"


@pytest.mark.parametrize(
    "path", [p for p, _ in COMMANDS], ids=[" ".join(p) or "devmetrics" for p, _ in COMMANDS]
)
def test_help_renders_for_every_command_without_error(path):
    outcome = CliRunner().invoke(main, [*path, "--help"], prog_name="devmetrics")
    assert outcome.exit_code == 0, outcome.output
    assert "Usage: devmetrics" in outcome.output and "Show this message and exit." in outcome.output


def test_top_level_help_lists_every_command():
    outcome = CliRunner().invoke(main, ["--help"], prog_name="devmetrics")
    listed = outcome.output.split("Commands:", 1)[1]
    names = {line.split()[0] for line in listed.splitlines() if line.startswith("  ")}
    assert names == set(main.list_commands(click.Context(main)))
