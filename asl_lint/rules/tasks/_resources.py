"""What a Task's Resource is: an integration, a Lambda function or an activity."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

PARTITION = r"aws(?:-cn|-us-gov|-iso|-iso-b|-iso-e|-iso-f|-eusc)?"
# Region and account may be written out, as deployed definitions show: states:us-east-1:1234...:aws-sdk:...
_INTEGRATION = re.compile(rf"^arn:{PARTITION}:states:(?:[a-z0-9-]+)?:(?:\d+)?:(?P<service>aws-sdk:[a-z0-9-]+|[a-z0-9-]+):"
                          r"(?P<action>[A-Za-z0-9-]+)(?P<pattern>\.sync(?::2)?|\.waitForTaskToken)?$")
# The shape of the ARN is checked, not the region or account values (documentation uses
# stand-ins such as region-1 or 1234567890).
_LAMBDA = re.compile(rf"^arn:{PARTITION}:lambda:[a-z0-9-]+:\d+:function:[A-Za-z0-9_-]{{1,64}}"
                     r"(:(\$LATEST|[A-Za-z0-9_-]+))?$")
_ACTIVITY = re.compile(rf"^arn:{PARTITION}:states:[a-z0-9-]+:\d+:activity:[A-Za-z0-9_.-]{{1,80}}$")
OPTIMIZED_SERVICES = {
    "lambda", "dynamodb", "sns", "sqs", "events", "states", "athena", "bedrock", "apigateway", "batch",
    "http", "ecs", "eks", "glue", "databrew", "mediaconvert", "elasticmapreduce", "emr-containers",
    "emr-serverless", "codebuild", "sagemaker", "s3",
}


@dataclass(frozen=True)
class Resource:
    kind: str  # "integration" | "lambda" | "activity" | "invalid"
    service: str | None = None
    action: str | None = None
    pattern: str | None = None  # ".sync", ".sync:2", ".waitForTaskToken" or None


@lru_cache(maxsize=4096)  # a machine names few resources, in many states and rules
def classify(resource: str) -> Resource:
    if _ACTIVITY.match(resource):
        return Resource("activity")
    if _LAMBDA.match(resource):
        return Resource("lambda", "lambda")
    match = _INTEGRATION.match(resource)
    if match:
        return Resource("integration", match["service"], match["action"], match["pattern"])
    return Resource("invalid")


def invokes_lambda(resource: Resource) -> bool:
    return resource.kind == "lambda" or (resource.service == "lambda" and resource.action == "invoke")

# Actions of the optimized integrations AWS documents fully; AWS rejects others when the
# machine is created (dynamodb:query is refused, although the SDK has it).
OPTIMIZED_ACTIONS = {
    "lambda": {"invoke"},
    "dynamodb": {"getItem", "putItem", "updateItem", "deleteItem"},
    "sns": {"publish"},
    "sqs": {"sendMessage"},
    "events": {"putEvents"},
    "states": {"startExecution"},
    "glue": {"startJobRun"},
    "databrew": {"startJobRun"},
    "batch": {"submitJob"},
    "ecs": {"runTask"},
    "apigateway": {"invoke"},
    "http": {"invoke"},
    "mediaconvert": {"createJob"},
    "codebuild": {"startBuild", "stopBuild", "batchDeleteBuilds", "batchGetReports", "startBuildBatch"},
    "athena": {"startQueryExecution", "stopQueryExecution", "getQueryExecution", "getQueryResults"},
}
