"""Benchmarks (R-PERF-1, R-PERF-2, R-PERF-3, R-PERF-5): see benchmarks/README.md."""
