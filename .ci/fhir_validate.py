"""Validates FHIR R4 JSON made by `living-well definition --format fhir` and responses to it.

Usage: fhir_validate.py QUESTIONNAIRE.json... [--responses FILE.ndjson|FILE.json]...

Each file is parsed with fhir.resources (6.4.0: the FHIR R4 4.0.1 models; pydantic 1),
which checks every element's name, type and cardinality and refuses unknown elements.
On top, the rules it does not check: the required bindings (status, item.type), the
Questionnaire invariants que-1 (a group has items, a display none), que-2 (linkIds unique)
and que-5 (answerOption only on choice items), the ordinalValue extension's shape; and
that each response names one of the questionnaires given (url|version) and answers each
item with one of that item's options. Exits 1 with one line per problem.
"""

import json
import sys

from fhir.resources import __version__ as fhir_resources_version
from fhir.resources.bundle import Bundle
from fhir.resources.questionnaire import Questionnaire
from fhir.resources.questionnaireresponse import QuestionnaireResponse

ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
QUESTIONNAIRE_STATUS = {"draft", "active", "retired", "unknown"}
RESPONSE_STATUS = {"in-progress", "completed", "amended", "entered-in-error", "stopped"}
ITEM_TYPES = {
    "group", "display", "boolean", "decimal", "integer", "date", "dateTime", "time",
    "string", "text", "url", "choice", "open-choice", "attachment", "reference", "quantity",
}

problems = []


def problem(where, what):
    what = " ".join(str(what).split())
    problems.append(f"{where}: {what[:400]}{'...' if len(what) > 400 else ''}")


def items(tree):
    for item in tree.get("item", []):
        yield item
        yield from items(item)


def check_questionnaire(path, data):
    Questionnaire.parse_obj(data)
    if data.get("status") not in QUESTIONNAIRE_STATUS:
        problem(path, f"status {data.get('status')!r} is not a Questionnaire status")
    seen = set()
    options = {}
    for item in items(data):
        link_id = item["linkId"]
        where = f"{path}, item {link_id!r}"
        if link_id in seen:
            problem(where, "linkId is not unique (que-2)")
        seen.add(link_id)
        kind = item.get("type")
        if kind not in ITEM_TYPES:
            problem(where, f"type {kind!r} is not an item type")
        if kind == "group" and not item.get("item"):
            problem(where, "a group without items (que-1)")
        if kind == "display" and item.get("item"):
            problem(where, "a display item with items (que-1)")
        if "answerOption" in item and kind not in ("choice", "open-choice"):
            problem(where, "answerOption on a non-choice item (que-5)")
        if kind == "choice":
            if not item.get("answerOption"):
                problem(where, "a choice item without answerOption")
            codes = set()
            for option in item.get("answerOption", []):
                coding = option.get("valueCoding", {})
                if not coding.get("system") or not coding.get("code"):
                    problem(where, f"an option without system and code: {option}")
                codes.add((coding.get("system"), coding.get("code")))
                for ext in coding.get("extension", []):
                    if ext.get("url") == ORDINAL_VALUE and not isinstance(
                        ext.get("valueDecimal"), (int, float)
                    ):
                        problem(where, f"ordinalValue without a valueDecimal: {ext}")
            options[link_id] = codes
    return f"{data['url']}|{data['version']}", options


def check_response(where, data, questionnaires):
    QuestionnaireResponse.parse_obj(data)
    if data.get("status") not in RESPONSE_STATUS:
        problem(where, f"status {data.get('status')!r} is not a QuestionnaireResponse status")
    options = questionnaires.get(data.get("questionnaire"))
    if options is None:
        problem(where, f"questionnaire {data.get('questionnaire')!r} is none of those given")
        return
    for item in items(data):
        for answer in item.get("answer", []):
            coding = answer.get("valueCoding", {})
            if (coding.get("system"), coding.get("code")) not in options.get(item["linkId"], ()):
                problem(f"{where}, item {item['linkId']!r}", f"answer {coding} is not an option")


def main(argv):
    questionnaires = {}  # by url|version: the languages of one definition share it
    files = 0
    responses = []
    args = iter(argv)
    for arg in args:
        if arg == "--responses":
            responses.append(next(args))
            continue
        with open(arg, encoding="utf-8") as f:
            data = json.load(f)
        files += 1
        try:
            canonical, options = check_questionnaire(arg, data)
            questionnaires[canonical] = options
        except Exception as e:  # pydantic's ValidationError, a missing element
            problem(arg, e)
    checked = 0
    for path in responses:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        if path.endswith(".ndjson"):
            resources = [(f"{path}, line {n}", json.loads(line))
                         for n, line in enumerate(text.splitlines(), 1) if line.strip()]
        else:
            data = json.loads(text)
            if data.get("resourceType") == "Bundle":
                try:
                    Bundle.parse_obj(data)
                except Exception as e:
                    problem(path, e)
                resources = [(f"{path}, entry {i}", e["resource"])
                             for i, e in enumerate(data.get("entry", []))
                             if e.get("resource", {}).get("resourceType") == "QuestionnaireResponse"]
            else:
                resources = [(path, data)]
        for where, data in resources:
            try:
                check_response(where, data, questionnaires)
            except Exception as e:
                problem(where, e)
            checked += 1
    for line in problems:
        print(line, file=sys.stderr)
    print(f"fhir.resources {fhir_resources_version} (FHIR R4): {files} questionnaires "
          f"({len(questionnaires)} canonicals), "
          f"{checked} responses, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
