"""python -m rnn_reference.edition OUTDIR ...: see rnn_reference.edition."""

import sys

from rnn_reference.edition import main

sys.exit(main())
