"""The JSON schema of ``dualnum compare --format json`` (stable: version "1"), and a small
validator for it.

Top level::

    {
      "schema_version": "1",
      "summary":    {cases, methods, agreements, kinks, failures, slips, refused, skipped,
                     failed_cases: [name], slowest_case: {name, time} | null, time},
      "tolerances": {method: rtol},
      "methods":    [method names in column order],
      "notes_vs_math": [{case, source, formula, status, max_rel, reason}],
      "cases": [{
          name, group, source, description, n_inputs, out_shape: [int], status,
          hand_label, literal, time,
          methods: [{method, status, reason, reference, max_abs, max_rel, rtol, time,
                     blocks: [{name, max_abs, max_rel}],
                     worst: {output: [int], block, index: [int], value, reference_value} | null}],
          second_order: [same shape as methods; method is "hessian" or "hvp"],
          matrix: {method: {method: max relative difference}},
          kinks: [{op, tape_index, elements: [int], convention}],
          worked: [{label, expected, got, decimals, ok}],
          hand_check?: {reference, blocks: [{block, shape, wrong, size, worst, kind,
                        diagnosis, reference, table}], batch_sizes, layers: [{name, shape,
                        status, diagnosis, …}], first_wrong_layer, delta_problems} | null
                        (user cases: the slip of a hand gradient, see slips.py, layers.py)
          sweep: {steps: [h], forward: [D], central: [D], reference?: number} | null
      }]
    }

``status`` values: see :data:`dualnum.comparisons.results.STATUSES`; a case's status is one of
``agree``, ``kink``, ``slip``, ``fail``. Non-finite numbers are written as strings
(``"inf"``, ``"nan"``) so the file is strict JSON.

>>> validate({"schema_version": "1"}, REPORT_SCHEMA)[0]
"$: missing required key 'summary'"
"""

from __future__ import annotations

from .results import STATUSES

__all__ = ["REPORT_SCHEMA", "validate"]

_NUM = {"type": ["number", "string"]}  # a number, or "inf"/"nan" for non-finite values
_NUM_OR_NULL = {"type": ["number", "string", "null"]}
_INTS = {"type": "array", "items": {"type": "integer"}}
_CASE_STATUS = {"type": "string", "enum": ["agree", "kink", "slip", "fail"]}

_LOCATION = {
    "type": ["object", "null"],
    "required": ["output", "block", "index", "value", "reference_value"],
    "properties": {"output": _INTS, "block": {"type": "string"}, "index": _INTS,
                   "value": _NUM, "reference_value": _NUM},
    "additionalProperties": False,
}
_METHOD = {
    "type": "object",
    "required": ["method", "status", "reason", "reference", "max_abs", "max_rel", "rtol", "time",
                 "blocks", "worst"],
    "properties": {
        "method": {"type": "string"},
        "status": {"type": "string", "enum": list(STATUSES)},
        "reason": {"type": "string"},
        "reference": {"type": "string"},
        "max_abs": _NUM_OR_NULL,
        "max_rel": _NUM_OR_NULL,
        "rtol": {"type": ["number", "null"]},
        "time": {"type": "number", "minimum": 0},
        "blocks": {"type": "array", "items": {
            "type": "object", "required": ["name", "max_abs", "max_rel"],
            "properties": {"name": {"type": "string"}, "max_abs": _NUM, "max_rel": _NUM},
            "additionalProperties": False}},
        "worst": _LOCATION,
    },
    "additionalProperties": False,
}
_ENTRY = {"type": "object", "required": ["entry", "hand", "reference", "ratio"],
          "properties": {"entry": {"type": "string"}, "hand": _NUM, "reference": _NUM,
                         "ratio": _NUM_OR_NULL}}
#: user cases only (optional): the slip of a hand gradient, block by block and layer by layer
_HAND_CHECK = {
    "type": ["object", "null"],
    "required": ["reference", "blocks", "batch_sizes", "layers", "first_wrong_layer",
                 "delta_problems"],
    "properties": {
        "reference": {"type": "string"},
        "blocks": {"type": "array", "items": {
            "type": "object",
            "required": ["block", "shape", "wrong", "size", "worst", "kind", "diagnosis",
                         "reference", "table"],
            "properties": {
                "block": {"type": "string"}, "shape": _INTS, "wrong": {"type": "integer"},
                "size": {"type": "integer"}, "worst": _ENTRY,
                "kind": {"type": "string", "enum": ["zero", "sign", "factor", "transposed",
                                                    "swapped", "copied", "missing-factor",
                                                    "missing-term", "none"]},
                "diagnosis": {"type": "string"}, "reference": {"type": "string"},
                "table": {"type": "array", "items": _ENTRY}}}},
        "batch_sizes": _INTS,
        "layers": {"type": "array", "items": {
            "type": "object", "required": ["name", "shape", "status", "diagnosis"],
            "properties": {"name": {"type": "string"}, "shape": _INTS,
                           "status": {"type": "string",
                                      "enum": ["ok", "wrong", "not given", "constant"]},
                           "diagnosis": {"type": "string"}, "max_rel": _NUM_OR_NULL}}},
        "first_wrong_layer": {"type": ["string", "null"]},
        "delta_problems": {"type": "array", "items": {"type": "string"}},
    },
}
_CASE = {
    "type": "object",
    "required": ["name", "group", "source", "description", "n_inputs", "out_shape", "status",
                 "methods", "matrix", "second_order", "kinks", "worked", "hand_label",
                 "literal", "time", "sweep"],
    "properties": {
        "name": {"type": "string"},
        "group": {"type": "string"},
        "source": {"type": "string"},
        "description": {"type": "string"},
        "n_inputs": {"type": "integer", "minimum": 0},
        "out_shape": _INTS,
        "status": _CASE_STATUS,
        "methods": {"type": "array", "items": _METHOD},
        "second_order": {"type": "array", "items": _METHOD},
        "matrix": {"type": "object",
                   "additionalProperties": {"type": "object", "additionalProperties": _NUM}},
        "kinks": {"type": "array", "items": {
            "type": "object", "required": ["op", "tape_index", "elements", "convention"],
            "properties": {"op": {"type": "string"}, "tape_index": {"type": "integer"},
                           "elements": _INTS, "convention": {"type": "string"}},
            "additionalProperties": False}},
        "worked": {"type": "array", "items": {
            "type": "object", "required": ["label", "expected", "got", "decimals", "ok"],
            "properties": {"label": {"type": "string"}, "expected": {"type": "number"},
                           "got": _NUM_OR_NULL, "decimals": {"type": "integer"},
                           "ok": {"type": "boolean"}},
            "additionalProperties": False}},
        "hand_label": {"type": "string"},
        "literal": {"type": "boolean"},
        "time": {"type": "number", "minimum": 0},
        "hand_check": _HAND_CHECK,
        "sweep": {"type": ["object", "null"], "required": ["steps", "forward", "central"],
                  "properties": {"steps": {"type": "array", "items": _NUM},
                                 "forward": {"type": "array", "items": _NUM},
                                 "central": {"type": "array", "items": _NUM},
                                 "reference": _NUM}},
    },
    "additionalProperties": False,
}

#: JSON Schema (draft 2020-12 subset) of the report
REPORT_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "dualnum compare report",
    "type": "object",
    "required": ["schema_version", "summary", "tolerances", "methods", "notes_vs_math", "cases"],
    "properties": {
        "schema_version": {"type": "string", "enum": ["1"]},
        "summary": {
            "type": "object",
            "required": ["cases", "methods", "agreements", "kinks", "failures", "slips",
                         "refused", "skipped", "failed_cases", "slowest_case", "time"],
            "properties": {
                "cases": {"type": "integer", "minimum": 0},
                "methods": {"type": "integer", "minimum": 0},
                "agreements": {"type": "integer", "minimum": 0},
                "kinks": {"type": "integer", "minimum": 0},
                "failures": {"type": "integer", "minimum": 0},
                "slips": {"type": "integer", "minimum": 0},
                "refused": {"type": "integer", "minimum": 0},
                "skipped": {"type": "integer", "minimum": 0},
                "failed_cases": {"type": "array", "items": {"type": "string"}},
                "slowest_case": {"type": ["object", "null"], "required": ["name", "time"],
                                 "properties": {"name": {"type": "string"},
                                                "time": {"type": "number"}}},
                "time": {"type": "number", "minimum": 0},
            },
            "additionalProperties": False,
        },
        "tolerances": {"type": "object", "additionalProperties": {"type": "number"}},
        "methods": {"type": "array", "items": {"type": "string"}},
        "notes_vs_math": {"type": "array", "items": {
            "type": "object",
            "required": ["case", "source", "formula", "status", "max_rel", "reason"],
            "properties": {"case": {"type": "string"}, "source": {"type": "string"},
                           "formula": {"type": "string"},
                           "status": {"type": "string", "enum": list(STATUSES)},
                           "max_rel": _NUM_OR_NULL, "reason": {"type": "string"}},
            "additionalProperties": False}},
        "cases": {"type": "array", "items": _CASE},
    },
    "additionalProperties": False,
}

_TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def validate(value, schema: dict, path: str = "$") -> list[str]:
    """Errors of ``value`` against ``schema`` (the subset used here: type, enum, required,
    properties, additionalProperties, items, minimum); empty when valid.

    >>> print(validate([1, "a"], {"type": "array", "items": {"type": "integer"}}))
    ['$[1]: expected integer, got str']
    """
    errors: list[str] = []
    types = schema.get("type")
    if types is not None:
        types = [types] if isinstance(types, str) else types
        if not any(_TYPES[t](value) for t in types):
            return [f"{path}: expected {' or '.join(types)}, got {type(value).__name__}"]
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{path}: {value!r} not one of {schema['enum']}")
    if "minimum" in schema and isinstance(value, (int, float)) and value < schema["minimum"]:
        errors.append(f"{path}: {value} < minimum {schema['minimum']}")
    if isinstance(value, dict):
        for key in schema.get("required", []):
            if key not in value:
                errors.append(f"{path}: missing required key {key!r}")
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            if key in props:
                errors += validate(item, props[key], f"{path}.{key}")
            elif extra is False:
                errors.append(f"{path}: unexpected key {key!r}")
            elif isinstance(extra, dict):
                errors += validate(item, extra, f"{path}.{key}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            errors += validate(item, schema["items"], f"{path}[{i}]")
    return errors
