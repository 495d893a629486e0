"""geomap's recognizer as a spaCy component: through the config, saved and loaded with the pipeline."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import spacy

from geomap.gazetteer import Gazetteer
from geomap.gazetteer.geonames_import import import_geonames
from geomap.pipeline import DEFAULT_MODEL, load_model

DATA = Path(__file__).parent / "data" / "geonames"


def test_a_saved_pipeline_keeps_its_custom_gazetteer(tmp_path):
    custom = Gazetteer(import_geonames(tmp_path / "custom.sqlite", places=DATA / "places.txt"))
    nlp = load_model(DEFAULT_MODEL, gazetteer=custom)
    assert nlp.config["components"]["geomap_places"]["gazetteer"] == str(custom.path)
    nlp.to_disk(tmp_path / "pipeline")

    loaded = spacy.load(tmp_path / "pipeline")
    recognizer = loaded.get_pipe("geomap_places")
    assert Path(recognizer.gazetteer.path) == custom.path  # not the default gazetteer
    text = "Rockets hit Baghdad."
    before, after = nlp(text), loaded(text)
    assert [s.text for s in after.spans["places"]] == [s.text for s in before.spans["places"]]


def test_the_component_is_found_through_the_entry_point_alone():
    """A fresh interpreter that never imports geomap gets the factory from the package's
    spacy_factories entry point."""
    code = (
        "import spacy; nlp = spacy.blank('en'); nlp.add_pipe('geomap_places'); "
        "import sys; print('geomap' in ' '.join(sys.modules) , nlp.pipe_names)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "['geomap_places']" in out.stdout
