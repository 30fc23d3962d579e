"""Validates GraphQL documents against the Quilt registry schema, for the C# test registry.

Reads one JSON request per line on stdin and answers one JSON line on stdout:
  {"op": "validate", "query": ..., "variables": {...}, "operationName": ...}
    -> {"errors": [messages], "operation": "query"|"mutation"|null, "fields": [{"name", "args"}]}
  {"op": "execute", "query": ..., "variables": {...}, "operationName": ..., "root": {...}}
    -> {"data": ..., "errors": [{"message", "path"}]}
Validation covers the document (graphql.validate) and the variables (coerced against their declared types).
"execute" projects the root value (plain dicts, unions resolved by "__typename") through the document, so an
answer has exactly the selected fields and non-null violations surface as errors, as a real server's would.
"""
import json
import sys

from graphql import build_schema, execute, parse, validate, GraphQLError, OperationDefinitionNode, FieldNode
from graphql.execution.values import get_argument_values, get_variable_values


def operation_of(document, name):
    ops = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name:
        ops = [o for o in ops if o.name and o.name.value == name]
    return ops[0] if len(ops) == 1 else None


def handle_validate(schema, request):
    try:
        document = parse(request["query"])
    except GraphQLError as e:
        return {"errors": [e.message], "operation": None, "fields": []}
    errors = [e.message for e in validate(schema, document)]
    operation = operation_of(document, request.get("operationName"))
    if operation is None:
        errors.append("The document must contain exactly one operation named by operationName.")
        return {"errors": errors, "operation": None, "fields": []}
    if errors:
        return {"errors": errors, "operation": operation.operation.value, "fields": []}
    coerced = get_variable_values(schema, operation.variable_definitions or [], request.get("variables") or {})
    if isinstance(coerced, list):
        return {"errors": [e.message for e in coerced], "operation": operation.operation.value, "fields": []}
    root = schema.mutation_type if operation.operation.value == "mutation" else schema.query_type
    fields = []
    for selection in operation.selection_set.selections:
        if isinstance(selection, FieldNode) and not selection.name.value.startswith("__"):
            definition = root.fields[selection.name.value]
            fields.append({"name": selection.name.value, "args": get_argument_values(definition, selection, coerced)})
    return {"errors": [], "operation": operation.operation.value, "fields": fields}


def handle_execute(schema, request):
    document = parse(request["query"])
    result = execute(
        schema,
        document,
        root_value=request.get("root") or {},
        variable_values=request.get("variables") or {},
        operation_name=request.get("operationName"),
    )
    errors = [{"message": e.message, "path": e.path} for e in (result.errors or [])]
    return {"data": result.data, "errors": errors}


def main():
    schema = build_schema(open(sys.argv[1], encoding="utf-8").read())
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            request = json.loads(line)
            handler = handle_execute if request.get("op") == "execute" else handle_validate
            answer = handler(schema, request)
        except Exception as e:  # noqa: BLE001 - report every failure to the test
            answer = {"errors": ["validator crashed: %s: %s" % (type(e).__name__, e)], "fatal": True}
        print(json.dumps(answer, default=str), flush=True)


if __name__ == "__main__":
    main()
