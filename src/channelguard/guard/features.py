"""Text features shared by training and inference: hashed character and word n-grams.

Hashing needs no vocabulary file, so the shipped model is a weight matrix and a
few numbers. The configuration is part of the model file; a mismatch fails.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["FEATURE_CONFIG", "Featurizer", "segments"]

FEATURE_CONFIG = {"char_bits": 18, "word_bits": 17, "char_ngrams": [2, 5], "word_ngrams": [1, 2]}
SEGMENT_CHARS = 400
MAX_SEGMENTS = 32
_NUM = re.compile(r"\d")
_SPACES = re.compile(r"[ \t]{2,}")


class Featurizer:
    def __init__(self, config: dict[str, Any] | None = None) -> None:
        self.config = dict(config or FEATURE_CONFIG)
        self._vectorizers: tuple[Any, Any] | None = None

    def load(self) -> Featurizer:
        from sklearn.feature_extraction.text import HashingVectorizer

        c = self.config
        char = HashingVectorizer(
            analyzer="char_wb",
            ngram_range=tuple(c["char_ngrams"]),
            n_features=2 ** c["char_bits"],
            alternate_sign=False,
            norm=None,  # normalised in _l2_rows: sklearn's normalize re-validates per call
            lowercase=True,
        )
        word = HashingVectorizer(
            analyzer="word",
            ngram_range=tuple(c["word_ngrams"]),
            n_features=2 ** c["word_bits"],
            alternate_sign=False,
            norm=None,
            lowercase=True,
            token_pattern=r"(?u)\b\w+\b",
        )
        self._vectorizers = (char, word)
        return self

    @property
    def width(self) -> int:
        return sum(self.widths)

    @property
    def widths(self) -> tuple[int, int]:
        """Columns of the character block and of the word block, in that order."""
        return int(2 ** self.config["char_bits"]), int(2 ** self.config["word_bits"])

    def transform(self, texts: list[str]) -> Any:
        """One CSR row per text: the character block, then the word block."""
        import scipy.sparse as sp

        return sp.hstack(self.transform_blocks(texts), format="csr")

    def transform_blocks(self, texts: list[str]) -> tuple[Any, Any]:
        """The character and the word block apart, each row L2-normalised: scoring
        multiplies each by its own slice of the weights instead of stacking them."""
        if self._vectorizers is None:
            self.load()
        assert self._vectorizers is not None
        # digits carry no meaning, only shape; runs of blanks (removed emoji) none
        prepared = [_SPACES.sub(" ", _NUM.sub("0", t)) for t in texts]
        char, word = self._vectorizers
        from sklearn import config_context

        # the vectorizers are ours and fitted: re-validating their parameters on every
        # call costs more than hashing a short message (config is per thread)
        with config_context(skip_parameter_validation=True):
            return _l2_rows(char.transform(prepared)), _l2_rows(word.transform(prepared))


def _l2_rows(x: Any) -> Any:
    """Each CSR row divided by its Euclidean norm in place (an empty row stays empty),
    as `sklearn.preprocessing.normalize` does, without its input checks on every call."""
    import numpy as np

    if x.nnz:
        counts = np.diff(x.indptr)
        squares = np.add.reduceat(x.data * x.data, x.indptr[:-1][counts > 0])
        norms = np.sqrt(squares)
        x.data /= np.repeat(norms, counts[counts > 0])
    return x


def _is_table(line: str) -> bool:
    return line.count("|") >= 2 or line.count("\t") >= 2


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(\[])")


def _sentences(line: str) -> list[str]:
    """Sentences of a long line; a short one joins the next."""
    out: list[str] = []
    for sentence in _SENTENCE_END.split(line):
        if out and len(out[-1]) < 60:
            out[-1] = f"{out[-1]} {sentence}"
        else:
            out.append(sentence)
    return out if len(out) > 1 else []


def segments(text: str) -> list[str]:
    """The whole text plus windows of whole lines up to SEGMENT_CHARS, so an
    instruction planted in one line of a long document is judged on its own.
    A window also ends where table rows meet prose."""
    if len(text) <= SEGMENT_CHARS and "\n" not in text:
        # a request buried in a long line of noise is judged sentence by sentence
        return [text, *_sentences(text)] if len(text) > 160 else [text]
    out = [text]
    window = ""
    kind = None
    for line in text.splitlines():
        if window and _is_table(line) != kind:
            out.append(window)
            window = ""
        kind = _is_table(line)
        while len(line) > SEGMENT_CHARS:
            cut = line.rfind(" ", 0, SEGMENT_CHARS)
            cut = cut if cut > SEGMENT_CHARS // 2 else SEGMENT_CHARS
            if window:
                out.append(window)
                window = ""
            out.append(line[:cut])
            line = line[cut:]
        if len(window) + len(line) + 1 > SEGMENT_CHARS and window:
            out.append(window)
            window = ""
        window = f"{window}\n{line}" if window else line
    if window:
        out.append(window)
    segs = list(dict.fromkeys(s for s in out if s.strip()))
    return segs[: MAX_SEGMENTS + 1]
