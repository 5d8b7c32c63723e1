"""The definition: canonical statements, JSON round trips, the fingerprint's documented rule."""
import hashlib
import json
import pickle

import pytest

import living_well as lw


def test_canonical_statements_frame():
    d = lw.Definition.living_well()
    assert d == lw.Definition()
    s = d.statements
    assert list(s.columns) == ["id", "force", "perspective", "orientation", "text", "weight"]
    assert len(s) == len(d) == 27
    assert s["id"].tolist() == d.statement_ids
    assert s.iloc[0]["id"] == "purpose.people.relational.1"
    # Canonical ids are {force}.{perspective}.{orientation}.{n}.
    for row in s.itertuples():
        assert row.id.startswith(f"{row.force}.{row.perspective}.{row.orientation}.")
    assert (s["weight"] == 1.0).all()
    assert s.groupby(["force", "perspective", "orientation"]).size().min() >= 1
    assert d.id == "living-well-uk"


def test_fingerprint_follows_the_documented_rule():
    # SHA-256 of the sorted lines `id TAB force TAB perspective TAB orientation TAB weight LF`.
    d = lw.Definition()
    lines = sorted(
        f"{r.id}\t{r.force}\t{r.perspective}\t{r.orientation}\t{int(r.weight) if r.weight == int(r.weight) else r.weight}\n".encode()
        for r in d.statements.itertuples()
    )
    assert d.fingerprint == hashlib.sha256(b"".join(lines)).hexdigest()


def test_json_round_trip_and_files(tmp_path):
    d = lw.Definition()
    again = lw.Definition.from_json(d.to_json())
    assert again == d and again.fingerprint == d.fingerprint
    path = tmp_path / "definition.json"
    d.save(path)
    assert lw.Definition.load(path) == d
    assert pickle.loads(pickle.dumps(d)) == d
    with pytest.raises(FileNotFoundError, match="missing.json"):
        lw.Definition.load(tmp_path / "missing.json")


def test_a_reworded_definition_scores_alike_and_a_reweighted_one_does_not():
    doc = json.loads(lw.Definition().to_json())
    doc["statements"][0]["text"] = "Reworded."
    reworded = lw.Definition.from_json(json.dumps(doc))
    assert reworded.scores_alike(lw.Definition()) and reworded != lw.Definition()
    doc["statements"][0]["weight"] = 2
    reweighted = lw.Definition.from_json(json.dumps(doc))
    assert not reweighted.scores_alike(lw.Definition())
    assert reweighted.statements["weight"].iloc[0] == 2.0


def test_definition_errors():
    with pytest.raises(lw.DefinitionError) as e:
        lw.Definition.from_json("{}")
    assert e.value.kind == "json"
    assert str(e.value).startswith("definition JSON is invalid at line 1, column 2: missing field `schema`")
    doc = json.loads(lw.Definition().to_json())
    doc["statements"][0]["wieght"] = 2
    with pytest.raises(lw.DefinitionError, match="unknown field `wieght`"):
        lw.Definition.from_json(json.dumps(doc))
    doc = json.loads(lw.Definition().to_json())
    doc["statements"] = [s for s in doc["statements"] if not s["id"].startswith("purpose.people.relational")]
    with pytest.raises(lw.DefinitionError) as e:
        lw.Definition.from_json(json.dumps(doc))
    assert e.value.kind == "empty_cell"
    assert str(e.value) == "cell `purpose.people.relational` has no statement; every cell needs at least one"
    assert isinstance(e.value, lw.LivingWellError)


def test_scorer_settings_and_pickle():
    s = lw.Scorer(scale="0..10", coverage=1.0, threshold=0.6)
    assert s.scale == (0, 10) and s.coverage == 1.0 and s.threshold == 0.6
    assert lw.Scorer(scale=(0, 10)).scale == (0, 10)
    back = pickle.loads(pickle.dumps(s))
    assert (back.scale, back.coverage, back.threshold) == (s.scale, s.coverage, s.threshold)
    assert back.definition == s.definition


def test_languages_texts_and_reports_in_a_language():
    root = __import__("pathlib").Path(__file__).resolve().parents[2]
    two = lw.Definition.load(root / "tests" / "data" / "definition_two_languages.json")
    assert two.languages == ["en", "cy"]
    assert two.fingerprint == lw.Definition().fingerprint
    welsh = two.texts("cy")
    assert len(welsh) == 27
    assert list(welsh) == two.statement_ids
    assert welsh["purpose.people.mechanistic.1"] == (
        "[cy test] People with mental health needs are defined by diagnosis of condition"
    )
    assert two.texts() == lw.Definition().texts()
    with pytest.raises(lw.DefinitionError, match="no texts in `gd`"):
        two.texts("gd")
    with pytest.raises(lw.DefinitionError, match="not a BCP 47 language tag"):
        two.texts("c_y")
    cohort = lw.read_csv(root / "examples" / "data" / "sample.csv")
    report = json.loads(cohort.summarise(definition=two, language="cy").to_json())
    assert report["language"] == "cy"
    assert "statements in language cy" in cohort.summarise(definition=two, language="cy").to_markdown()
    plain = json.loads(cohort.summarise().to_json())
    assert "language" not in plain and report["groups"] == plain["groups"]
    with pytest.raises(ValueError, match="needs the definition"):
        cohort.summarise(language="cy")
