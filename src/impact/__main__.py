"""Allow ``python -m impact``.

The study fits many small models: one BLAS thread per process is faster than several
(they contend with the joblib workers of the checks), so it is the default here unless the
environment sets it. Set before numpy is imported.
"""

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

from impact.cli import main  # noqa: E402

raise SystemExit(main())
