"""Run the CLI with python -m dltheory_site."""

import sys

from dltheory_site.cli import main

sys.exit(main())
