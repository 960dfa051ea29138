"""The `somekit` command line: thin click commands over the library.

Each command module in somekit/commands/ defines its commands and registers them here, so that a
command's parsing lives next to its help text and examples, and this file stays a table of contents.
"""

from __future__ import annotations

import click

from . import __version__
from .commands import register_all


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="somekit")
def main() -> None:
    """Build trustworthy benchmark datasets for LLM-based social-media agents.

    \b
    Typical flow:
      somekit init ws && somekit ingest ws --format ced ../raw/ced-weibo
      somekit build ws ubp ucs mcr && somekit verify ws
      somekit review push ws ubp   ...   somekit review pull ws ubp
      somekit freeze ws --version v1 && somekit publish ws --version v1 --to out/
    Or everything at once on the bundled sample: somekit demo
    """


register_all(main)


if __name__ == "__main__":  # pragma: no cover
    main()
