"""Synthetic data (R-SYN): a deterministic population register, HANDBU and GENBRUG deliveries
and the ground truth to test the pipeline against."""

from handistat.synth.generate import SynthSummary, generate

__all__ = ["SynthSummary", "generate"]
