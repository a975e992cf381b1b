using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace SelfSim.Tests.Runner;

/// <summary>
/// A small JSON Schema (draft 4) validator covering the keywords nbformat.v4.5.schema.json uses:
/// $ref (local), type, enum, not, oneOf, required, properties, patternProperties, additionalProperties,
/// items, uniqueItems, pattern, minLength, maxLength, minimum, maximum. Returns the violations found.
/// </summary>
public sealed class JsonSchemaCheck
{
    readonly JsonObject _root;
    public JsonSchemaCheck(JsonObject schema) => _root = schema;

    public List<string> Validate(JsonNode? instance)
    {
        var errors = new List<string>();
        Check(_root, instance, "$", errors);
        return errors;
    }

    JsonObject Resolve(JsonObject schema)
    {
        while (schema["$ref"] is JsonValue r)
        {
            var path = ((string)r!).TrimStart('#', '/').Split('/');
            JsonNode node = _root;
            foreach (var part in path) node = node[part] ?? throw new InvalidOperationException($"bad $ref {(string)r!}");
            schema = (JsonObject)node;
        }
        return schema;
    }

    bool Valid(JsonObject schema, JsonNode? instance, string at)
    {
        var e = new List<string>();
        Check(schema, instance, at, e);
        return e.Count == 0;
    }

    static string TypeOf(JsonNode? n) => n switch
    {
        null => "null",
        JsonObject => "object",
        JsonArray => "array",
        JsonValue v when v.TryGetValue<string>(out _) => "string",
        JsonValue v when v.TryGetValue<bool>(out _) => "boolean",
        JsonValue v when v.TryGetValue<long>(out _) => "integer",
        JsonValue v when v.TryGetValue<double>(out var d) => d == Math.Floor(d) ? "integer" : "number",
        _ => "unknown",
    };

    static bool TypeMatches(string wanted, string actual) => wanted == actual || wanted == "number" && actual == "integer";

    void Check(JsonObject schema, JsonNode? instance, string at, List<string> errors)
    {
        schema = Resolve(schema);
        var type = TypeOf(instance);

        if (schema["type"] is JsonNode t)
        {
            var allowed = t is JsonArray a ? a.Select(x => (string)x!).ToList() : new List<string> { (string)t! };
            if (!allowed.Any(w => TypeMatches(w, type))) { errors.Add($"{at}: is {type}, schema wants {string.Join("|", allowed)}"); return; }
        }
        if (schema["enum"] is JsonArray en && !en.Any(x => JsonNode.DeepEquals(x, instance)))
            errors.Add($"{at}: {instance?.ToJsonString()} is not one of {en.ToJsonString()}");
        if (schema["not"] is JsonObject not && Valid(not, instance, at))
            errors.Add($"{at}: matches a schema it must not match");
        if (schema["oneOf"] is JsonArray one)
        {
            int matches = one.Count(s => Valid((JsonObject)s!, instance, at));
            if (matches != 1)
            {
                errors.Add($"{at}: matches {matches} of the oneOf schemas, needs exactly 1");
                if (matches == 0)
                    foreach (var s in one) { var sub = new List<string>(); Check((JsonObject)s!, instance, at, sub); errors.AddRange(sub.Take(3).Select(x => "    " + x)); }
            }
        }

        if (instance is JsonObject obj)
        {
            if (schema["required"] is JsonArray req)
                foreach (var r in req) if (!obj.ContainsKey((string)r!)) errors.Add($"{at}: missing required \"{(string)r!}\"");
            var props = schema["properties"] as JsonObject;
            var patterns = schema["patternProperties"] as JsonObject;
            foreach (var (key, value) in obj)
            {
                bool matched = false;
                if (props != null && props[key] is JsonObject ps) { matched = true; Check(ps, value, $"{at}.{key}", errors); }
                if (patterns != null)
                    foreach (var (pat, psch) in patterns)
                        if (Regex.IsMatch(key, pat)) { matched = true; Check((JsonObject)psch!, value, $"{at}.{key}", errors); }
                if (matched) continue;
                switch (schema["additionalProperties"])
                {
                    case JsonValue v when v.TryGetValue<bool>(out var allowedExtra) && !allowedExtra:
                        errors.Add($"{at}: property \"{key}\" is not allowed"); break;
                    case JsonObject extra:
                        Check(extra, value, $"{at}.{key}", errors); break;
                }
            }
        }
        if (instance is JsonArray arr)
        {
            if (schema["items"] is JsonObject items)
                for (int i = 0; i < arr.Count; i++) Check(items, arr[i], $"{at}[{i}]", errors);
            if (schema["uniqueItems"] is JsonValue u && (bool)u!)
                for (int i = 0; i < arr.Count; i++)
                    for (int j = i + 1; j < arr.Count; j++)
                        if (JsonNode.DeepEquals(arr[i], arr[j])) errors.Add($"{at}: items {i} and {j} are equal");
        }
        if (type == "string")
        {
            var s = (string)instance!;
            if (schema["pattern"] is JsonValue p && !Regex.IsMatch(s, (string)p!)) errors.Add($"{at}: \"{s}\" does not match {(string)p!}");
            if (schema["minLength"] is JsonValue mn && s.Length < (int)mn) errors.Add($"{at}: shorter than {(int)mn}");
            if (schema["maxLength"] is JsonValue mx && s.Length > (int)mx) errors.Add($"{at}: longer than {(int)mx}");
        }
        if (type is "integer" or "number")
        {
            var d = instance!.GetValue<double>();
            if (schema["minimum"] is JsonValue mn && d < mn.GetValue<double>()) errors.Add($"{at}: {d} < minimum {mn}");
            if (schema["maximum"] is JsonValue mx && d > mx.GetValue<double>()) errors.Add($"{at}: {d} > maximum {mx}");
        }
    }
}
