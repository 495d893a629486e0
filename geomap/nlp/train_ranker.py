"""The old name of :mod:`geomap.resolve.training`, kept so that ``python -m geomap.nlp.train_ranker``
still fits the ranker and the confidence model."""

from geomap.resolve.training import main

if __name__ == "__main__":
    main()
