import pytest


@pytest.fixture(scope="session")
def app():
    """The root CLI app; if the root CLI cannot import (another capability mid-change), eval's own commands."""
    try:
        from wenforge.cli import app as root
    except ImportError:  # pragma: no cover - keeps eval's CLI tests meaningful while the root is broken
        import typer

        from wenforge.eval.commands import register

        root = typer.Typer()
        register(root)
    return root


FACTS = {
    "reference_date": "2024-06-01",
    "subject": "李明",
    "aliases": {"李明": ["我", "李老师"], "清华大学": ["清华"]},
    "facts": [
        {"subject": "李明", "relation": "studied_at", "object": "清华大学", "start": 2005, "end": 2009},
        {"subject": "李明", "relation": "worked_at", "object": "华为", "start": 2009},
        {"subject": "李明", "relation": "born", "start": 1987},
        {"subject": "王芳", "relation": "died", "start": 2015},
        {"subject": "王芳", "relation": "born", "start": 1950},
    ],
}


@pytest.fixture
def facts_dict():
    return FACTS


@pytest.fixture
def sheet():
    from wenforge.eval.detectors.facts import load_facts

    return load_facts(FACTS)
