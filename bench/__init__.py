"""Benchmarks: each prints measured figures and ratios. Run them all with `make bench`."""
