import Foundation

/// `Sources/LatchkeyServer/openapi.yaml` as data, read with PyYAML and checked with
/// jsonschema (Debian's `python3-yaml` and `python3-jsonschema`, which
/// `scripts/install-deps --browser` installs): Swift has no YAML parser, and none is
/// written here.
struct OpenAPIDocument {
    /// One method of one path.
    struct Operation: CustomStringConvertible {
        /// Upper case, as the router spells it (`GET`).
        let method: String
        /// The path template, `{name}` for a path parameter.
        let path: String
        let object: [String: Any]

        var tags: [String] { object["tags"] as? [String] ?? [] }
        /// The `responses` keys: statuses (`"200"`) and `default`.
        var responseKeys: [String] { (object["responses"] as? [String: Any])?.keys.sorted() ?? [] }
        var description: String { "\(method) \(path)" }
    }

    /// A response object with its `$ref` followed, and the JSON pointer it lives at.
    struct ResolvedResponse {
        let pointer: String
        let object: [String: Any]

        /// Media types exactly as documented (`text/html; charset=utf-8`).
        var mediaTypes: [String] { (object["content"] as? [String: Any])?.keys.sorted() ?? [] }
        var headers: [String: Any] { object["headers"] as? [String: Any] ?? [:] }
    }

    /// The repository's copy, found from this file's path.
    static let sourceURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/LatchkeyServer/openapi.yaml")

    /// Debian's interpreter, where `python3-yaml` and `python3-jsonschema` live; another
    /// `python3` earlier on `PATH` may lack them.
    static let python = URL(fileURLWithPath: "/usr/bin/python3")

    /// The whole document.
    let root: [String: Any]

    /// Reads the YAML file, refusing anything PyYAML refuses and, beyond that, a key given
    /// twice in one mapping (which PyYAML would silently resolve to the last one).
    init() throws {
        let result = try Self.runPython(mode: "json")
        guard result.status == 0 else {
            throw HarnessError("openapi.yaml is not well-formed YAML:\n" + result.stderr)
        }
        guard
            let root = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
                as? [String: Any]
        else {
            throw HarnessError("openapi.yaml is not a mapping at the top")
        }
        self.root = root
    }

    static let methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    /// Every operation, in path order.
    var operations: [Operation] {
        let paths = root["paths"] as? [String: Any] ?? [:]
        return paths.keys.sorted().flatMap { path in
            let item = paths[path] as? [String: Any] ?? [:]
            return Self.methods.compactMap { method in
                (item[method] as? [String: Any]).map {
                    Operation(method: method.uppercased(), path: path, object: $0)
                }
            }
        }
    }

    /// The value a local reference (`#/components/...`) points at, or nil.
    func resolve(_ reference: String) -> Any? {
        guard reference.hasPrefix("#/") else { return nil }
        var node: Any = root
        for token in reference.dropFirst(2).split(separator: "/", omittingEmptySubsequences: false)
        {
            let key = token.replacingOccurrences(of: "~1", with: "/")
                .replacingOccurrences(of: "~0", with: "~")
            guard let next = (node as? [String: Any])?[key] else { return nil }
            node = next
        }
        return node
    }

    /// The response `operation` documents for `status`: its own entry, else `default`.
    func response(_ operation: Operation, status: Int) -> ResolvedResponse? {
        let own = String(status)
        return response(operation, key: operation.responseKeys.contains(own) ? own : "default")
    }

    /// The response under `key` (a status, or `default`) of `operation`.
    func response(_ operation: Operation, key: String) -> ResolvedResponse? {
        let responses = operation.object["responses"] as? [String: Any] ?? [:]
        guard let entry = responses[key] as? [String: Any] else { return nil }
        let inPlace =
            "#/paths/" + Self.pointerToken(operation.path) + "/"
            + operation.method.lowercased() + "/responses/" + key
        return resolved(entry, at: inPlace)
    }

    /// Follows `$ref` (responses, headers) to the object it names.
    func resolved(_ object: [String: Any], at pointer: String) -> ResolvedResponse? {
        guard let reference = object["$ref"] as? String else {
            return ResolvedResponse(pointer: pointer, object: object)
        }
        guard let target = resolve(reference) as? [String: Any] else { return nil }
        return resolved(target, at: reference)
    }

    /// Every `$ref` value anywhere in the document.
    var references: [String] {
        var found: [String] = []
        func walk(_ node: Any) {
            if let object = node as? [String: Any] {
                if let reference = object["$ref"] as? String { found.append(reference) }
                object.values.forEach(walk)
            } else if let array = node as? [Any] {
                array.forEach(walk)
            }
        }
        walk(root)
        return found
    }

    static func pointerToken(_ key: String) -> String {
        key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    /// Validates each instance against the schema at its JSON pointer (JSON Schema
    /// 2020-12, the dialect of OpenAPI 3.1) and returns one line per failure.
    func validate(_ instances: [(pointer: String, instance: Any)]) throws -> [String] {
        let input = try JSONSerialization.data(
            withJSONObject: instances.map { [$0.pointer, $0.instance] })
        let result = try Self.runPython(
            mode: "validate", stdin: String(decoding: input, as: UTF8.self))
        guard result.status == 0 else {
            throw HarnessError("the schema check could not run:\n" + result.stderr)
        }
        return result.stdout.split(separator: "\n").map(String.init)
    }

    private static func runPython(mode: String, stdin: String? = nil) throws -> CommandResult {
        guard FileManager.default.isExecutableFile(atPath: python.path) else {
            throw HarnessError(
                "\(python.path) is missing: run scripts/install-deps --browser"
                    + " (python3-yaml, python3-jsonschema)")
        }
        return try CommandRunner.run(
            python, ["-c", script, mode, sourceURL.path], stdin: stdin)
    }

    /// `json`: the YAML file as JSON on standard output. `validate`: reads
    /// `[[pointer, instance], ...]` and prints a line for each instance that does not
    /// match; the document itself is the schema, so every `$ref` in it resolves.
    private static let script = """
        import json, sys
        import yaml

        class StrictLoader(yaml.SafeLoader):
            pass

        def mapping(loader, node):
            seen = set()
            for key_node, _ in node.value:
                key = loader.construct_object(key_node, deep=True)
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, "duplicate key %r" % (key,), key_node.start_mark)
                seen.add(key)
            return loader.construct_mapping(node, deep=True)

        StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
        mode, path = sys.argv[1], sys.argv[2]
        with open(path, encoding="utf-8") as source:
            document = yaml.load(source, Loader=StrictLoader)

        if mode == "json":
            json.dump(document, sys.stdout)
        else:
            import jsonschema
            for index, (pointer, instance) in enumerate(json.load(sys.stdin)):
                schema = dict(document)
                schema["$ref"] = pointer
                validator = jsonschema.Draft202012Validator(schema)
                for error in validator.iter_errors(instance):
                    print("%d %s: %s" % (index, pointer, error.message))
        """
}
