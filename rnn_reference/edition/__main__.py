"""python -m rnn_utils.edition OUTDIR ...: see rnn_utils.edition."""

import sys

from rnn_utils.edition import main

sys.exit(main())
