#!/usr/bin/python3
"""Runs every grpcurl line of the README's ```sh blocks, as grpcurl would.

Like grpcurl, it learns every type from the servers' reflection alone and
reads and writes JSON by protojson's rules (google.protobuf.json_format).
It understands what the README's blocks use: variable assignments (also
`X=$(grpcurl ... | jq -r .field)`), $X and "$X", -plaintext, -H, -d, and the
verbs list, describe and Service/Method. A line may end with a comment that
says what it shows:
    # fails with PERMISSION_DENIED    the call must fail with that code
    # streams until interrupted       a stream read for a moment, then closed
Every other line must succeed (told RESOURCE_EXHAUSTED, it waits and
tries again, as a person would). Exits 1 naming each line that did not behave
as written, 0 when all did.

    run_grpcurl_lines.py --readme README.md --protoc protoc \
        --address 127.0.0.1:50050=127.0.0.1:41234 ...
"""

import argparse
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory

REFLECTION_PROTO = "grpc/reflection/v1alpha/reflection.proto"
REFLECTION_METHOD = "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo"
CALL_TIMEOUT_SECONDS = 20
STREAM_GLANCE_SECONDS = 2


def reflection_messages(protoc, include_dir):
    """The reflection request and response classes, built from the .proto."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "reflection.desc")
        subprocess.run([protoc, "-I", include_dir, "--descriptor_set_out", out, REFLECTION_PROTO],
                       check=True)
        with open(out, "rb") as f:
            files = descriptor_pb2.FileDescriptorSet.FromString(f.read())
    pool = descriptor_pool.DescriptorPool()
    for file in files.file:
        pool.Add(file)
    factory = message_factory.MessageFactory(pool)
    request = factory.GetPrototype(
        pool.FindMessageTypeByName("grpc.reflection.v1alpha.ServerReflectionRequest"))
    response = factory.GetPrototype(
        pool.FindMessageTypeByName("grpc.reflection.v1alpha.ServerReflectionResponse"))
    return request, response


class Reflection:
    """What one server's reflection says, as a descriptor pool."""

    def __init__(self, channel, request_class, response_class):
        self._call = channel.stream_stream(REFLECTION_METHOD,
                                           request_serializer=lambda m: m.SerializeToString(),
                                           response_deserializer=response_class.FromString)
        self._request_class = request_class
        self.pool = descriptor_pool.DescriptorPool()
        self._files = {}  # name -> FileDescriptorProto
        self._added = set()

    def _ask(self, **field):
        request = self._request_class(**field)
        [response] = list(self._call(iter([request]), timeout=CALL_TIMEOUT_SECONDS))
        if response.HasField("error_response"):
            raise LookupError(response.error_response.error_message)
        return response

    def services(self):
        return [s.name for s in self._ask(list_services="").list_services_response.service]

    def _take(self, response):
        for raw in response.file_descriptor_response.file_descriptor_proto:
            file = descriptor_pb2.FileDescriptorProto.FromString(raw)
            self._files.setdefault(file.name, file)

    def _add(self, name):
        if name in self._added:
            return
        if name not in self._files:
            self._take(self._ask(file_by_filename=name))
        file = self._files[name]
        for dependency in file.dependency:
            self._add(dependency)
        self.pool.Add(file)
        self._added.add(name)

    def load_symbol(self, symbol):
        response = self._ask(file_containing_symbol=symbol)
        self._take(response)
        for raw in response.file_descriptor_response.file_descriptor_proto:
            self._add(descriptor_pb2.FileDescriptorProto.FromString(raw).name)


def expand(text, variables):
    """$X and ${X} outside single quotes, as the shell expands them."""
    out, quoted = [], False
    i = 0
    while i < len(text):
        c = text[i]
        if c == "'":
            quoted = not quoted
        if c == "$" and not quoted:
            m = re.match(r"\$(\w+)|\$\{(\w+)\}", text[i:])
            if m:
                out.append(variables.get(m.group(1) or m.group(2), ""))
                i += m.end()
                continue
        out.append(c)
        i += 1
    return "".join(out)


def commands(readme):
    """(line number, text) of each line in the README's ```sh blocks."""
    in_block = False
    with open(readme, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            stripped = line.strip()
            if stripped.startswith("```"):
                in_block = stripped == "```sh"
                continue
            if in_block:
                yield number, line.rstrip("\n")


class Runner:
    def __init__(self, addresses, request_class, response_class):
        self._addresses = addresses
        self._reflection_classes = (request_class, response_class)
        self._channels = {}
        self._reflections = {}

    def _target(self, address):
        return self._addresses.get(address, address)

    def _channel(self, address):
        target = self._target(address)
        if target not in self._channels:
            self._channels[target] = grpc.insecure_channel(target)
        return self._channels[target]

    def _reflection(self, address):
        target = self._target(address)
        if target not in self._reflections:
            self._reflections[target] = Reflection(self._channel(address),
                                                   *self._reflection_classes)
        return self._reflections[target]

    def run(self, argv, streams):
        """Runs one grpcurl command line; returns its JSON output."""
        headers, data, rest = [], None, []
        args = iter(argv[1:])
        for arg in args:
            if arg == "-plaintext":
                continue
            if arg == "-H":
                key, _, value = next(args).partition(":")
                headers.append((key.strip().lower(), value.strip()))
            elif arg == "-d":
                data = next(args)
            elif arg.startswith("-"):
                raise ValueError(f"unknown grpcurl option {arg}")
            else:
                rest.append(arg)
        address, verb, symbol = rest[0], rest[1], (rest[2] if len(rest) > 2 else None)
        reflection = self._reflection(address)
        if verb == "list":
            return "\n".join(reflection.services())
        if verb == "describe":
            symbols = [symbol] if symbol else reflection.services()
            described = []
            for name in symbols:
                reflection.load_symbol(name)
                described.append(describe(reflection.pool, name))
            return "\n".join(described)
        return self._call(reflection, address, verb, data, headers, streams)

    def _call(self, reflection, address, path, data, headers, streams):
        service_name, _, method_name = path.rpartition("/")
        reflection.load_symbol(service_name)
        method = reflection.pool.FindServiceByName(service_name).FindMethodByName(method_name)
        factory = message_factory.MessageFactory(reflection.pool)
        request = factory.GetPrototype(method.input_type)()
        json_format.Parse(data or "{}", request, descriptor_pool=reflection.pool)
        response_class = factory.GetPrototype(method.output_type)
        kwargs = dict(request_serializer=lambda m: m.SerializeToString(),
                      response_deserializer=response_class.FromString)
        full = f"/{service_name}/{method_name}"
        channel = self._channel(address)
        if method.client_streaming:
            raise ValueError("client-streaming calls are not in the README")
        to_json = lambda m: json_format.MessageToJson(m, descriptor_pool=reflection.pool)
        if not method.server_streaming:
            reply = channel.unary_unary(full, **kwargs)(request, metadata=headers,
                                                        timeout=CALL_TIMEOUT_SECONDS)
            return to_json(reply)
        stream = channel.unary_stream(full, **kwargs)(
            request, metadata=headers,
            timeout=STREAM_GLANCE_SECONDS if streams else CALL_TIMEOUT_SECONDS)
        replies = []
        try:
            for reply in stream:
                replies.append(to_json(reply))
        except grpc.RpcError as error:
            # A stream that runs until interrupted ends here by our deadline.
            if not (streams and replies and error.code() == grpc.StatusCode.DEADLINE_EXCEEDED):
                raise
        return "\n".join(replies)


def run_as_a_person_would(runner, argv, streams):
    """Told to slow down (a burst of aggregate calls spends the principal's
    rate), a person waits a moment and runs the line again."""
    for attempt in range(4):
        try:
            return runner.run(argv, streams)
        except grpc.RpcError as error:
            if error.code() != grpc.StatusCode.RESOURCE_EXHAUSTED or attempt == 3:
                raise
            time.sleep(1.5)


def describe(pool, name):
    try:
        service = pool.FindServiceByName(name)
        lines = [f"{name} is a service:"]
        for method in service.methods:
            lines.append(f"  rpc {method.name}({method.input_type.full_name})"
                         f" returns ({method.output_type.full_name})")
        return "\n".join(lines)
    except KeyError:
        message = pool.FindMessageTypeByName(name)
        return f"{name} is a message with fields " + ", ".join(f.name for f in message.fields)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--readme", required=True)
    parser.add_argument("--protoc", default="protoc")
    parser.add_argument("--proto_include", default="/usr/share/grpc-proto")
    parser.add_argument("--address", action="append", default=[],
                        help="README_ADDRESS=ACTUAL_ADDRESS")
    options = parser.parse_args()
    addresses = dict(pair.split("=", 1) for pair in options.address)
    runner = Runner(addresses, *reflection_messages(options.protoc, options.proto_include))

    variables, ran, failed = {}, 0, []
    for number, line in commands(options.readme):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        captured = re.match(r"^(\w+)=\$\((grpcurl .*?)\s*\|\s*jq -r \.(\w+)\)$", stripped)
        assignment = re.match(r"^(\w+)=(.*)$", stripped)
        if captured:
            name, command, field = captured.groups()
        elif assignment and not stripped.startswith("grpcurl"):
            value = shlex.split(expand(assignment.group(2), variables))
            variables[assignment.group(1)] = value[0] if value else ""
            continue
        elif stripped.startswith("grpcurl"):
            name, command, field = None, stripped, None
        else:
            continue
        expected = re.search(r"#\s*fails with ([A-Z_]+)\s*$", command)
        streams = re.search(r"#\s*streams until interrupted\s*$", command) is not None
        argv = shlex.split(expand(command, variables), comments=True)
        ran += 1
        try:
            output = run_as_a_person_would(runner, argv, streams)
        except grpc.RpcError as error:
            code = error.code().name
            if expected and code == expected.group(1):
                print(f"README:{number}: {code}, as the README says")
                continue
            failed.append(f"README:{number}: {code}: {error.details()}\n    {stripped}")
            continue
        except Exception as error:  # a malformed line, an unknown symbol
            failed.append(f"README:{number}: {type(error).__name__}: {error}\n    {stripped}")
            continue
        if expected:
            failed.append(f"README:{number}: succeeded, but the README says it fails with "
                          f"{expected.group(1)}\n    {stripped}")
            continue
        if name:
            variables[name] = str(json.loads(output).get(field, ""))
        print(f"README:{number}: OK ({len(output)} bytes)")
    print(f"{ran} grpcurl lines run, {len(failed)} not as written")
    for failure in failed:
        print(failure)
    return 1 if failed or ran == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
