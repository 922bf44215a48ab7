"""Generators of labelled text for training and measuring the guard.

Templates are split: `split="train"` uses three of every four templates,
`split="test"` only the fourth, so the benchmark measures phrasings the
classifier never saw. Every generator is seeded and deterministic.
"""

from channelguard.guard.synth.core import Sample, generate

__all__ = ["Sample", "generate"]
