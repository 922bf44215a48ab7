"""Generators of labelled text for training and measuring the guard.

Templates are split three ways by index: `train` (i % 4 in 0, 1), `val` (2,
for choosing thresholds) and `test` (3, for the benchmark), so thresholds and
measurements both rest on phrasings the classifier never saw. Every generator
is seeded and deterministic.
"""

from training.synth.core import Sample, generate

__all__ = ["Sample", "generate"]
