"""Test helpers shared by the test suite and the benchmarks (not shipped): records fixtures, a running server."""
