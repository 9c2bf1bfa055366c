"""Run every benchmark in this folder (each prints its figures and ratios against a baseline
measured in the same run). Usage: python bench/run_all.py [NAME…]"""
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(names: list[str]) -> int:
    scripts = sorted(p for p in HERE.glob("bench_*.py") if not names or p.stem in names)
    status = 0
    for script in scripts:
        print(f"\n== {script.stem} ==", flush=True)
        result = subprocess.run([sys.executable, str(script)], cwd=HERE.parent)
        if result.returncode != 0:
            print(f"{script.stem} failed with exit code {result.returncode}", file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
