"""Ground truth: a slow, independent, obviously correct reference for both statistics.

It reads only what the generator wrote (population, delivery files) and the packaged
reference data, and applies the SPEC's rules row by row in plain Python, so the production
SQL can be tested against it (R-SYN-3, R-TAB-4).
"""
