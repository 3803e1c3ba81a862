"""``python -m bot``: the same as the ``docbot`` command."""

from bot.cli import main

raise SystemExit(main())
