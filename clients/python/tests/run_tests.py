"""Runs the client's unittest suite; with --summary FILE, writes {"passed", "failed", "skipped"} there
(scripts/test.mjs adds them to npm test's summary line). Usage: python3 clients/python/tests/run_tests.py"""

import argparse
import json
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--summary")
    parser.add_argument("pattern", nargs="?", default="test*.py")
    args = parser.parse_args()
    sys.path.insert(0, HERE)
    suite = unittest.defaultTestLoader.discover(HERE, pattern=args.pattern, top_level_dir=HERE)
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    skipped = len(result.skipped) + len(result.expectedFailures)
    summary = {"passed": result.testsRun - failed - skipped, "failed": failed, "skipped": skipped}
    if args.summary:
        with open(args.summary, "w") as f:
            json.dump(summary, f)
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
