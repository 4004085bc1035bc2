#!/usr/bin/env bash
# Proves that the notebooks' stored outputs do not depend on the machine: runs nbval
# over notebooks/ with the newest and the oldest NumPy that requirements.txt allows,
# each with 1 and with 2 BLAS threads. Takes a few minutes (it makes two venvs).
#
#   bash tools/check_stability.sh            # venvs in .stability/ (git-ignored)
set -euo pipefail
cd "$(dirname "$0")/.."
oldest_numpy="1.26.4"  # keep in step with the lower bound in requirements.txt
for which in newest oldest; do
    venv=".stability/$which"
    if [ ! -x "$venv/bin/python" ]; then
        python3 -m venv "$venv"
        extra=()
        [ "$which" = oldest ] && extra=("numpy==$oldest_numpy")
        "$venv/bin/pip" install -q -r requirements.txt "${extra[@]}"
    fi
    version=$("$venv/bin/python" -c "import numpy; print(numpy.__version__)")
    for threads in 1 2; do
        echo "== NumPy $version, $threads BLAS thread(s)"
        OPENBLAS_NUM_THREADS=$threads OMP_NUM_THREADS=$threads MKL_NUM_THREADS=$threads \
            "$venv/bin/python" -m pytest -q notebooks | tail -n 1
    done
done
