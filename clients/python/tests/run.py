"""Runs the SDK's unittest suite and closes with "python: N passed, N failed, N skipped" (read by ForeignSdkTests)."""

import os
import sys
import unittest

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "src"))

result = unittest.TextTestRunner(verbosity=2).run(unittest.defaultTestLoader.discover(here, pattern="test_*.py"))
failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
skipped = len(result.skipped) + len(result.expectedFailures)
print(f"python: {result.testsRun - failed - skipped} passed, {failed} failed, {skipped} skipped", flush=True)
sys.exit(0 if failed == 0 and result.testsRun > 0 else 1)
