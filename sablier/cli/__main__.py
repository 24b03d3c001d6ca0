"""`python -m sablier.cli …`, the same as the `sablier` command."""

from sablier.cli import main

raise SystemExit(main())
