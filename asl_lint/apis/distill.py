"""Distil botocore's service models into asl_lint/apis/models.zip: for each service
Step Functions reaches through `aws-sdk:<service>:<action>`, its actions, the members of
each action's request (nested structures, lists and maps, and which are required) and the
errors each may raise. Run it when botocore's models move on:

    pip install botocore && python -m asl_lint.apis.distill

Of each action's result only its top-level members are kept (what a ResultSelector or
`$states.result` reads first). The archive holds one compressed member per service (a run
reads only the services its Tasks call, and decodes only the request shapes it checks:
see service_text) and `index.json`: the botocore version and date it was made from, and each
service's error prefix. Nothing else is kept (no documentation, no output shapes, no
value constraints), so it stays small.

Step Functions names a service by the SDK's service id, lower case and without spaces
(`SFN` -> `sfn`, `CloudWatch Logs` -> `cloudwatchlogs`, `Bedrock Agent Runtime` ->
`bedrockagentruntime`), as the list of supported services in the Step Functions
Developer Guide shows ("Learning to use AWS service SDK integrations in Step Functions",
supported-services-awssdk); its errors are `ServiceName.ErrorName`, both PascalCase, with
the `Exception` suffix always added (the same page: `S3.BucketAlreadyExistsException`,
`AcmPca.ResourceNotFoundException`).
"""

from __future__ import annotations

import datetime
import json
import re
import zipfile
from pathlib import Path

OUTPUT = Path(__file__).resolve().parent / "models.zip"

# Where the guide's service name is not the service id's: name in Step Functions -> botocore's.
NAME_OVERRIDES = {"config": "config"}


def step_functions_name(service_id: str) -> str:
    return re.sub(r"[^a-z0-9]", "", service_id.lower())


def error_prefix(service_id: str) -> str:
    """The PascalCase service name of `ServiceName.ErrorName`: each word of the service id,
    a run of capitals written as a word (`ACM PCA` -> `AcmPca`, `DynamoDB` -> `DynamoDb`)."""
    words = re.findall(r"[A-Z]+(?![a-z])|[A-Z][a-z]*|[a-z]+|[0-9]+", service_id)
    return "".join(word[:1].upper() + word[1:].lower() for word in words)


def _shape_table(model, operation_inputs) -> dict:
    """The request shapes reachable from the operations' inputs, as compact lists."""
    table: dict = {}
    pending = list(operation_inputs)
    while pending:
        shape = pending.pop()
        if shape is None or shape.name in table:
            continue
        if shape.type_name == "structure":
            members = {}
            for name, member in shape.members.items():
                if member.type_name in ("structure", "list", "map"):
                    members[name] = member.name
                    pending.append(member)
                else:
                    members[name] = 0
            table[shape.name] = [members, sorted(shape.required_members)]
        elif shape.type_name == "list":
            inner = shape.member
            table[shape.name] = ["l", inner.name if inner.type_name in ("structure", "list", "map") else 0]
            pending.append(inner)
        elif shape.type_name == "map":
            inner = shape.value
            table[shape.name] = ["m", inner.name if inner.type_name in ("structure", "list", "map") else 0]
            pending.append(inner)
    return table


def distil() -> dict:
    import botocore
    import botocore.session

    session = botocore.session.get_session()
    services: dict = {}
    for name in session.get_available_services():
        model = session.get_service_model(name)
        service_id = model.metadata.get("serviceId", name)
        key = step_functions_name(service_id)
        if key in services:
            continue  # an older model under another name (sms-voice): the first is kept
        operations, inputs = {}, []
        for operation_name in model.operation_names:
            operation = model.operation_model(operation_name)
            action = operation_name[:1].lower() + operation_name[1:]
            output = operation.output_shape
            operations[action] = [operation.input_shape.name if operation.input_shape is not None else 0,
                                  sorted(error.name for error in operation.error_shapes),
                                  sorted(output.members) if output is not None and output.type_name == "structure"
                                  else []]
            inputs.append(operation.input_shape)
        services[key] = {"n": name, "p": error_prefix(service_id), "o": operations, "s": _shape_table(model, inputs)}
    for alias, botocore_name in NAME_OVERRIDES.items():
        found = next((entry for entry in services.values() if entry["n"] == botocore_name), None)
        if found is not None:
            services.setdefault(alias, found)
    return {"source": {"botocore": botocore.__version__, "date": datetime.date.today().isoformat()},
            "services": services}


def member_name(service: str) -> str:
    return f"services/{service}.txt"


def service_text(operations: dict, shapes: dict) -> str:
    """A service as the archive keeps it: its operations as one line of JSON, then a line
    per request shape, its name, a tab and its JSON. A run decodes the operations and only
    the shapes it reads: the shapes are most of a large service (four fifths of the
    decoding of the 32 services the public corpus calls)."""
    lines = [json.dumps(operations, separators=(",", ":"), sort_keys=True)]
    for name, shape in sorted(shapes.items()):
        if "\t" in name or "\n" in name:
            raise ValueError(f"a shape name the archive cannot hold: {name!r}")
        lines.append(f"{name}\t{json.dumps(shape, separators=(',', ':'), sort_keys=True)}")
    return "\n".join(lines)


def main() -> None:
    data = distil()
    index = {"source": data["source"], "services": {key: entry["p"] for key, entry in sorted(data["services"].items())}}
    fixed = (1980, 1, 1, 0, 0, 0)  # the same bytes from the same models: a reviewable diff
    with zipfile.ZipFile(OUTPUT, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr(zipfile.ZipInfo("index.json", fixed), json.dumps(index, separators=(",", ":")),
                         zipfile.ZIP_DEFLATED, 9)
        for key, entry in sorted(data["services"].items()):
            archive.writestr(zipfile.ZipInfo(member_name(key), fixed), service_text(entry["o"], entry["s"]),
                             zipfile.ZIP_DEFLATED, 9)
    print(f"{len(data['services'])} services from botocore {data['source']['botocore']}:"
          f" {OUTPUT.stat().st_size:,} bytes in {OUTPUT}")


if __name__ == "__main__":
    main()
