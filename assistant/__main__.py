"""`python -m assistant` works as the `assistant` command does."""

import sys

from .cli import main

sys.exit(main())
