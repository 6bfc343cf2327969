"""Allow ``python -m impact``."""

from impact.cli import main

raise SystemExit(main())
