"""Accuracy harness: gold corpora, metrics, runner and reports for ``geomap eval``."""

from geomap.eval.corpus import GoldDocument, GoldToponym, read_corpus, select, split_of
from geomap.eval.runner import EvalResult, evaluate, score

__all__ = ["EvalResult", "GoldDocument", "GoldToponym", "evaluate", "read_corpus", "score", "select", "split_of"]
