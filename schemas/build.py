"""Builds schemas/asl.schema.json, the JSON Schema of the Amazon States Language.

Run `python schemas/build.py` after editing; tests/test_schema_source.py fails when the
committed JSON differs from what this script writes. Structure: per query language one
definition per state type (`JSONPath.Task`, `JSONata.Map`, ...); per machine query
language a "family" (`JSONPathMachine.*`, `JSONataMachine.*`) that dispatches each state
on its own QueryLanguage and Type, so nested scopes default to the machine's language.
`x-context`, `x-expected`, `x-message`, `x-rule` and `x-anchor` annotate subschemas for
asl-lint's messages (asl_lint/rules/schema/validate.py).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OUTPUT = Path(__file__).resolve().parent / "asl.schema.json"

def ref(name): return {"$ref": f"#/$defs/{name}"}
def intr(lo, hi=None):
    s = {"type": "integer", "minimum": lo}
    if hi is not None: s["maximum"] = hi
    return s
def int_or_jsonata(lo, hi, what):
    return {"anyOf": [intr(lo, hi), ref("jsonata")], "x-expected": f"{what} or a JSONata expression", "x-rule": "ASL104"}
def exclusive(a, b):
    return {"dependentSchemas": {a: {"not": {"required": [b]}, "x-message": f"'{a}' and '{b}' cannot be used together: keep one", "x-rule": "ASL106"}}}

STR = {"type": "string"}
STR_OR_NULL = {"type": ["string", "null"]}
OBJ = {"type": "object"}
ANY = True
SECONDS_MAX = 99999999

defs = {}
defs["jsonata"] = {"type": "string", "pattern": "^\\{%[\\s\\S]*%\\}$", "x-expected": "a JSONata expression '{% ... %}'"}
defs["stateName"] = {"type": "string", "minLength": 1, "maxLength": 80}
defs["errorEquals"] = {"type": "array", "minItems": 1, "items": STR}
defs["assign"] = {"type": "object"}
defs["retrier"] = {
    "type": "object", "required": ["ErrorEquals"], "additionalProperties": False, "x-context": "a Retrier",
    "properties": {
        "ErrorEquals": ref("errorEquals"), "Comment": STR,
        "IntervalSeconds": intr(1, SECONDS_MAX), "MaxAttempts": intr(0, SECONDS_MAX),
        "BackoffRate": {"type": "number", "minimum": 1}, "MaxDelaySeconds": intr(1, 31622400),
        "JitterStrategy": {"enum": ["FULL", "NONE"]},
    },
}
defs["retry"] = {"type": "array", "items": ref("retrier")}
defs["catcherJSONPath"] = {
    "type": "object", "required": ["ErrorEquals", "Next"], "additionalProperties": False,
    "x-context": "a JSONPath Catcher", "x-language": "JSONPath",
    "properties": {"ErrorEquals": ref("errorEquals"), "Next": STR, "Comment": STR,
                   "ResultPath": STR_OR_NULL, "Assign": ref("assign")},
}
defs["catcherJSONata"] = {
    "type": "object", "required": ["ErrorEquals", "Next"], "additionalProperties": False,
    "x-context": "a JSONata Catcher", "x-language": "JSONata",
    "properties": {"ErrorEquals": ref("errorEquals"), "Next": STR, "Comment": STR,
                   "Output": ANY, "Assign": ref("assign")},
}

# ---- Choice rules (JSONPath)
ops = {}
for op in ["StringEquals", "StringLessThan", "StringGreaterThan", "StringLessThanEquals", "StringGreaterThanEquals", "StringMatches"]:
    ops[op] = STR
for op in ["NumericEquals", "NumericLessThan", "NumericGreaterThan", "NumericLessThanEquals", "NumericGreaterThanEquals"]:
    ops[op] = {"type": "number"}
ops["BooleanEquals"] = {"type": "boolean"}
for op in ["TimestampEquals", "TimestampLessThan", "TimestampGreaterThan", "TimestampLessThanEquals", "TimestampGreaterThanEquals"]:
    ops[op] = STR
for op in list(ops):
    if op != "StringMatches":
        ops[op + "Path"] = STR
for op in ["IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp"]:
    ops[op] = {"type": "boolean"}
nested_props = {"Variable": STR, "Comment": STR, "Assign": ref("assign"),
                "And": {"type": "array", "minItems": 1, "items": ref("choiceRuleNested")},
                "Or": {"type": "array", "minItems": 1, "items": ref("choiceRuleNested")},
                "Not": ref("choiceRuleNested"), **ops}
defs["choiceRuleNested"] = {"type": "object", "additionalProperties": False, "properties": nested_props,
                            "x-context": "a nested Choice rule (inside And, Or or Not)", "x-language": "JSONPath"}
defs["choiceRuleJSONPath"] = {"type": "object", "required": ["Next"], "additionalProperties": False,
                              "properties": {**nested_props, "Next": STR},
                              "x-context": "a JSONPath Choice rule", "x-language": "JSONPath"}
defs["choiceRuleJSONata"] = {"type": "object", "required": ["Condition", "Next"], "additionalProperties": False,
                             "properties": {"Condition": {"anyOf": [{"type": "boolean"}, ref("jsonata")], "x-expected": "a boolean or a JSONata expression", "x-rule": "ASL104"},
                                            "Next": STR, "Comment": STR, "Output": ANY, "Assign": ref("assign")},
                             "x-context": "a JSONata Choice rule", "x-language": "JSONata"}

# ---- Map parts
defs["credentialsJSONPath"] = {"type": "object", "additionalProperties": False, "x-context": "Credentials",
    "properties": {"RoleArn": STR, "RoleArn.$": STR},
    "allOf": [{"oneOf": [{"required": ["RoleArn"]}, {"required": ["RoleArn.$"]}], "x-rule": "ASL101", "x-anchor": "key",
               "x-message": "Credentials needs exactly one of RoleArn and RoleArn.$"}]}
defs["credentialsJSONata"] = {"anyOf": [
    {"type": "object", "additionalProperties": False, "required": ["RoleArn"], "properties": {"RoleArn": STR}},
    ref("jsonata")], "x-expected": "an object with RoleArn, or a JSONata expression", "x-rule": "ASL104"}
defs["processorConfig"] = {"type": "object", "additionalProperties": False, "x-context": "ProcessorConfig",
                           "properties": {"Mode": {"enum": ["INLINE", "DISTRIBUTED"]}, "ExecutionType": {"enum": ["STANDARD", "EXPRESS"]}},
                           "if": {"type": "object", "properties": {"Mode": {"const": "DISTRIBUTED"}}, "required": ["Mode"]},
                           "then": {"required": ["ExecutionType"]},
                           "else": {"allOf": [{"not": {"required": ["ExecutionType"]}, "x-rule": "ASL106",
                                               "x-message": "ExecutionType applies only to a Map whose ProcessorConfig Mode is DISTRIBUTED"}]}}
defs["readerConfig"] = {"type": "object", "additionalProperties": False, "x-context": "ReaderConfig",
    "properties": {
        "InputType": {"enum": ["CSV", "JSON", "JSONL", "PARQUET", "MANIFEST"]},
        "CSVHeaderLocation": {"enum": ["FIRST_ROW", "GIVEN"]},
        "CSVHeaders": {"type": "array", "minItems": 1, "items": STR},
        "CSVDelimiter": {"enum": ["COMMA", "PIPE", "SEMICOLON", "SPACE", "TAB"]},
        # The docs say 1..100000000, but deployed AWS samples use 0 (no limit, as MaxConcurrency).
        "MaxItems": int_or_jsonata(0, 100000000, "an integer from 0 to 100000000"),
        "MaxItemsPath": STR,
        "ManifestType": {"enum": ["ATHENA_DATA", "S3_INVENTORY"]},
        "Transformation": {"enum": ["NONE", "LOAD_AND_FLATTEN"]},
        "ItemsPointer": STR,
    }, "allOf": [exclusive("MaxItems", "MaxItemsPath")]}
defs["itemReader"] = {"type": "object", "required": ["Resource"], "additionalProperties": False, "x-context": "ItemReader",
    "properties": {"Resource": STR, "Parameters": OBJ, "Arguments": ANY, "ReaderConfig": ref("readerConfig")}}
defs["itemBatcher"] = {"type": "object", "additionalProperties": False, "x-context": "ItemBatcher",
    "properties": {"MaxItemsPerBatch": int_or_jsonata(1, None, "a positive integer"), "MaxItemsPerBatchPath": STR,
                   "MaxInputBytesPerBatch": int_or_jsonata(1, 262144, "an integer from 1 to 262144"), "MaxInputBytesPerBatchPath": STR,
                   "BatchInput": ANY},
    "allOf": [{"anyOf": [{"required": [k]} for k in ["MaxItemsPerBatch", "MaxItemsPerBatchPath", "MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath"]],
               "x-message": "ItemBatcher needs MaxItemsPerBatch(Path) or MaxInputBytesPerBatch(Path)", "x-rule": "ASL101", "x-anchor": "key"},
              exclusive("MaxItemsPerBatch", "MaxItemsPerBatchPath"), exclusive("MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath")]}
defs["resultWriter"] = {"type": "object", "minProperties": 1, "additionalProperties": False, "x-context": "ResultWriter",
    "properties": {"Resource": STR, "Parameters": OBJ, "Arguments": ANY,
                   "WriterConfig": {"type": "object", "additionalProperties": False, "x-context": "WriterConfig",
                                    "required": ["OutputType", "Transformation"],
                                    "properties": {"OutputType": {"enum": ["JSON", "JSONL"]}, "Transformation": {"enum": ["NONE", "COMPACT", "FLATTEN"]}}}}}

# ---- state field sets
common = {"Type": ANY, "Comment": STR, "QueryLanguage": ANY}
jp_io = {"InputPath": STR_OR_NULL, "OutputPath": STR_OR_NULL}
jp_result = {"Parameters": ANY, "ResultSelector": OBJ, "ResultPath": STR_OR_NULL}
flow = {"Next": STR, "End": {"type": "boolean"}}
errs_jp = {"Retry": ref("retry"), "Catch": {"type": "array", "items": ref("catcherJSONPath")}}
errs_ja = {"Retry": ref("retry"), "Catch": {"type": "array", "items": ref("catcherJSONata")}}
assign = {"Assign": ref("assign")}
ja_out = {"Output": ANY}

def state(lang, typ, props, required=(), extra=()):
    s = {"type": "object", "additionalProperties": False, "properties": {**common, **props},
         "x-context": f"a {lang} {typ} state", "x-language": lang}
    if required: s["required"] = list(required)
    if extra: s["allOf"] = list(extra)
    return s

task_timeouts_jp = {"TimeoutSeconds": intr(1, SECONDS_MAX), "TimeoutSecondsPath": STR,
                    "HeartbeatSeconds": intr(1, SECONDS_MAX), "HeartbeatSecondsPath": STR}
defs["JSONPath.Task"] = state("JSONPath", "Task", {**jp_io, **jp_result, **assign, **flow, **errs_jp, "Resource": STR,
    **task_timeouts_jp, "Credentials": ref("credentialsJSONPath")}, ["Resource"],
    [exclusive("TimeoutSeconds", "TimeoutSecondsPath"), exclusive("HeartbeatSeconds", "HeartbeatSecondsPath")])
defs["JSONata.Task"] = state("JSONata", "Task", {**ja_out, **assign, **flow, **errs_ja, "Resource": STR, "Arguments": ANY,
    "TimeoutSeconds": int_or_jsonata(1, SECONDS_MAX, "a positive integer"),
    "HeartbeatSeconds": int_or_jsonata(1, SECONDS_MAX, "a positive integer"),
    "Credentials": ref("credentialsJSONata")}, ["Resource"])
defs["JSONPath.Parallel"] = state("JSONPath", "Parallel", {**jp_io, **jp_result, **assign, **flow, **errs_jp, "Branches": ANY}, ["Branches"])
defs["JSONata.Parallel"] = state("JSONata", "Parallel", {**ja_out, **assign, **flow, **errs_ja, "Arguments": ANY, "Branches": ANY}, ["Branches"])
processor_choice = {"if": {"type": "object", "required": ["Iterator"]},
                    "then": {"allOf": [{"not": {"required": ["ItemProcessor"]}, "x-message": "a Map state takes ItemProcessor or the older Iterator, not both", "x-rule": "ASL106"}]},
                    "else": {"required": ["ItemProcessor"]}}
map_common = {"ItemSelector": ANY, "ItemReader": ref("itemReader"), "ItemBatcher": ref("itemBatcher"),
              "ResultWriter": ref("resultWriter"), "Label": {"type": "string", "maxLength": 40}}
defs["JSONPath.Map"] = state("JSONPath", "Map", {**jp_io, **jp_result, **assign, **flow, **errs_jp,
    "ItemProcessor": ANY, "Iterator": ANY, "ItemsPath": STR, **map_common,
    "MaxConcurrency": intr(0), "MaxConcurrencyPath": STR,
    "ToleratedFailureCount": intr(0), "ToleratedFailureCountPath": STR,
    "ToleratedFailurePercentage": {"type": "number", "minimum": 0, "maximum": 100}, "ToleratedFailurePercentagePath": STR},
    (), [processor_choice, exclusive("MaxConcurrency", "MaxConcurrencyPath"),
         exclusive("ToleratedFailureCount", "ToleratedFailureCountPath"),
         exclusive("ToleratedFailurePercentage", "ToleratedFailurePercentagePath"),
         exclusive("ItemSelector", "Parameters")])
defs["JSONPath.Map"]["properties"]["ItemSelector"] = OBJ
defs["JSONata.Map"] = state("JSONata", "Map", {**ja_out, **assign, **flow, **errs_ja, "ItemProcessor": ANY,
    "Items": {"anyOf": [{"type": "array"}, ref("jsonata")], "x-expected": "an array or a JSONata expression", "x-rule": "ASL104"},
    **map_common,
    "MaxConcurrency": int_or_jsonata(0, None, "a non-negative integer"),
    "ToleratedFailureCount": int_or_jsonata(0, None, "a non-negative integer"),
    "ToleratedFailurePercentage": {"anyOf": [{"type": "number", "minimum": 0, "maximum": 100}, ref("jsonata")], "x-expected": "a number from 0 to 100 or a JSONata expression", "x-rule": "ASL104"}},
    ["ItemProcessor"])
defs["JSONPath.Pass"] = state("JSONPath", "Pass", {**jp_io, "Parameters": ANY, "Result": ANY, "ResultPath": STR_OR_NULL, **assign, **flow})
defs["JSONata.Pass"] = state("JSONata", "Pass", {**ja_out, **assign, **flow})
wait_jp = {"allOf": [{"oneOf": [{"required": [k]} for k in ["Seconds", "SecondsPath", "Timestamp", "TimestampPath"]],
                      "x-message": "a Wait state needs exactly one of Seconds, SecondsPath, Timestamp and TimestampPath", "x-rule": "ASL106", "x-anchor": "key"}]}
wait_ja = {"allOf": [{"oneOf": [{"required": [k]} for k in ["Seconds", "Timestamp"]],
                      "x-message": "a JSONata Wait state needs exactly one of Seconds and Timestamp", "x-rule": "ASL106", "x-anchor": "key"}]}
defs["JSONPath.Wait"] = state("JSONPath", "Wait", {**jp_io, **assign, **flow, "Seconds": intr(0, SECONDS_MAX), "SecondsPath": STR,
    "Timestamp": STR, "TimestampPath": STR}, (), wait_jp["allOf"])
defs["JSONata.Wait"] = state("JSONata", "Wait", {**ja_out, **assign, **flow,
    "Seconds": int_or_jsonata(0, SECONDS_MAX, "an integer from 0 to 99999999"), "Timestamp": STR}, (), wait_ja["allOf"])
defs["JSONPath.Choice"] = state("JSONPath", "Choice", {**jp_io, **assign, "Default": STR,
    "Choices": {"type": "array", "minItems": 1, "items": ref("choiceRuleJSONPath")}}, ["Choices"])
defs["JSONata.Choice"] = state("JSONata", "Choice", {**ja_out, **assign, "Default": STR,
    "Choices": {"type": "array", "minItems": 1, "items": ref("choiceRuleJSONata")}}, ["Choices"])
defs["JSONPath.Succeed"] = state("JSONPath", "Succeed", {**jp_io})
defs["JSONata.Succeed"] = state("JSONata", "Succeed", {**ja_out})
defs["JSONPath.Fail"] = state("JSONPath", "Fail", {"Error": STR, "ErrorPath": STR, "Cause": STR, "CausePath": STR}, (),
    [exclusive("Error", "ErrorPath"), exclusive("Cause", "CausePath")])
defs["JSONata.Fail"] = state("JSONata", "Fail", {"Error": STR, "Cause": STR})

TYPES = ["Task", "Parallel", "Map", "Pass", "Wait", "Choice", "Succeed", "Fail"]
for lang in ["JSONPath", "JSONata"]:
    defs[f"{lang}.state"] = {"allOf": [
        {"if": {"type": "object", "properties": {"Type": {"const": t}}, "required": ["Type"]}, "then": ref(f"{lang}.{t}")} for t in TYPES]}

# Families: nested scopes default to the machine's query language, whatever their parent's.
for family, other in [("JSONPath", "JSONata"), ("JSONata", "JSONPath")]:
    defs[f"{family}Machine.state"] = {
        "type": "object", "required": ["Type"], "x-context": "a state",
        "properties": {"Type": {"enum": TYPES}, "QueryLanguage": {"enum": ["JSONPath", "JSONata"]}},
        "allOf": [
            {"if": {"type": "object", "properties": {"QueryLanguage": {"const": other}}, "required": ["QueryLanguage"]},
             "then": ref(f"{other}.state"), "else": ref(f"{family}.state")},
            {"if": {"type": "object", "properties": {"Type": {"const": "Parallel"}}, "required": ["Type"]},
             "then": {"properties": {"Branches": {"type": "array", "minItems": 1, "items": ref(f"{family}Machine.branch")}}}},
            {"if": {"type": "object", "properties": {"Type": {"const": "Map"}}, "required": ["Type"]},
             "then": {"properties": {"ItemProcessor": ref(f"{family}Machine.itemProcessor"), "Iterator": ref(f"{family}Machine.iterator")}}},
        ]}
    states = {"type": "object", "minProperties": 1, "propertyNames": ref("stateName"),
              "additionalProperties": ref(f"{family}Machine.state")}
    defs[f"{family}Machine.states"] = states
    # Branches may carry other keys (Comment is common); a separate rule warns about them.
    defs[f"{family}Machine.branch"] = {"type": "object", "required": ["StartAt", "States"], "x-context": "a Parallel branch",
        "properties": {"StartAt": STR, "States": ref(f"{family}Machine.states"), "Comment": STR}}
    defs[f"{family}Machine.itemProcessor"] = {"type": "object", "required": ["StartAt", "States"], "additionalProperties": False,
        "x-context": "an ItemProcessor",
        "properties": {"StartAt": STR, "States": ref(f"{family}Machine.states"), "Comment": STR, "ProcessorConfig": ref("processorConfig")}}
    defs[f"{family}Machine.iterator"] = {"type": "object", "required": ["StartAt", "States"], "additionalProperties": False,
        "x-context": "an Iterator",
        "properties": {"StartAt": STR, "States": ref(f"{family}Machine.states"), "Comment": STR, "ProcessorConfig": ref("processorConfig")}}
    defs[f"{family}Machine"] = {"type": "object", "required": ["StartAt", "States"], "additionalProperties": False,
        "x-context": "the top level of a state machine",
        "properties": {"StartAt": STR, "States": ref(f"{family}Machine.states"), "Comment": STR,
                       "Version": {"enum": ["1.0"]}, "TimeoutSeconds": intr(0, SECONDS_MAX),
                       "QueryLanguage": {"enum": ["JSONPath", "JSONata"]}}}

schema = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://asl-lint.dev/schemas/asl.schema.json",
    "title": "Amazon States Language state machine",
    "description": "The whole current Amazon States Language (JSONPath and JSONata, variables, Distributed Map). x-context, x-expected, x-message, x-rule and x-anchor annotate subschemas for asl-lint's messages.",
    "if": {"type": "object", "properties": {"QueryLanguage": {"const": "JSONata"}}, "required": ["QueryLanguage"]},
    "then": ref("JSONataMachine"),
    "else": ref("JSONPathMachine"),
    "$defs": defs,
}


def render() -> str:
    return json.dumps(schema, indent=2) + "\n"


if __name__ == "__main__":
    if "--check" in sys.argv:
        sys.exit(0 if OUTPUT.read_text(encoding="utf-8") == render() else 1)
    OUTPUT.write_text(render(), encoding="utf-8")
