#!/usr/bin/env bash
# Debian packages the tests and trainers need. As root: installs what is missing. Otherwise: prints the
# exact apt-get line and stops (exit 1). `npm test` and .ci/run call this first.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
compgen -G '/usr/lib/*/libxgboost.so*' >/dev/null || compgen -G '/usr/lib/libxgboost.so*' >/dev/null || need+=(libxgboost0)
[ -d /usr/share/datasets/fashion-mnist ] || need+=(dataset-fashion-mnist)
# the XGBoost snippet is run as it is, by Python's xgboost (test/integration/gbdtSnippet.test.ts)
/usr/bin/python3 -c 'import xgboost, sklearn' >/dev/null 2>&1 || need+=(python3-xgboost python3-sklearn)
/usr/bin/python3 -c 'import optuna' 2>/dev/null || need+=(python3-optuna)
/usr/bin/python3 -c 'import venv, ensurepip' 2>/dev/null || need+=(python3-venv)
# The Slurm executor's tests start a one-node cluster (scripts/slurmCluster.sh).
command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v srun >/dev/null ||
  need+=(slurm-wlm)
command -v munged >/dev/null && command -v mungekey >/dev/null || need+=(munge)
if [ ${#need[@]} -eq 0 ]; then
  echo "system packages: chromium, libxgboost0, dataset-fashion-mnist, python3-xgboost, python3-sklearn, python3-optuna, python3-venv, slurm-wlm, munge present"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "missing Debian packages: ${need[*]}" >&2
  echo "install them with: sudo apt-get update && sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
echo "installing Debian packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
echo "installed: ${need[*]}"
