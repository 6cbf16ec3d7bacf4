"""``python -m secnews.cli``: the same as the ``secnews`` console script."""

import sys

from secnews.cli.main import main

sys.exit(main())
