"""Mention roles: a place after a locative preposition is a location whatever the parse says."""

from __future__ import annotations

import pytest


def roles(geoparser, text):
    return {m.text: m.role for m in geoparser.mentions(text)}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("In Port-au-Prince, gang violence caused six deaths on Monday.", "Port-au-Prince"),
        ("Residents of Wajir gather to protest the delay of a sewer project.", "Wajir"),
        ("Gunmen abducted an imam in Buynaksk town, Dagestan republic, Russia.", "Dagestan"),
    ],
)
def test_places_in_locative_frames_are_locations(geoparser, text, name):
    assert roles(geoparser, text)[name] == "location"


@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        ("Washington condemned the attack on Monday.", "Washington", "actor"),
        ("Iraq's parliament voted on Monday.", "Iraq", "modifier"),
    ],
)
def test_metonymy_still_holds(geoparser, text, name, role):
    assert roles(geoparser, text)[name] == role
