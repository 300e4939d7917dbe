"""Synthetic data (R-SYN): a deterministic population register, HANDBU and GENBRUG
deliveries, and the ground truth to test the pipeline against.

``generate(scale, seed, out, history=False)`` writes under ``out``::

    population/personer.csv, population/bopael.csv     the register (R-CPR-1)
    deliveries/handbu/{seq:05d}_{kommune}_{date}.csv     HANDBU deliveries, in name order
    deliveries/genbrug/{kommune}_{kildesystem}_{date}.csv GENBRUG full loads
    hmi_katalog.csv, systemskifter.csv                   HMI catalogue, the vendor switch
    truth/                                               episodes, loans, tables, summaries

The truth (``handistat.synth.truth``) is computed from those files alone by a slow,
independent reference of the SPEC's rules; for HANDBU it is also checked against the
episodes the generator planned. Imports nothing of handistat outside `synth`; imported
only by the CLI (and the tests).
"""

from handistat.synth.generate import SynthSummary, generate

__all__ = ["SynthSummary", "generate"]
