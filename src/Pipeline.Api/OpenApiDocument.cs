using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace YouthJustice.Pipeline.Api;

/// <summary>The API's OpenAPI 3 document, built from the same endpoint table the hosts route with, so it cannot miss a route.</summary>
public static partial class OpenApiDocument
{
    public static JsonObject Build(IEnumerable<ApiEndpoint> endpoints)
    {
        var paths = new JsonObject();
        foreach (var e in endpoints)
        {
            var parameters = new JsonArray();
            foreach (Match m in RouteParameter().Matches(e.Route))
                parameters.Add(new JsonObject { ["name"] = m.Groups[1].Value, ["in"] = "path", ["required"] = true,
                    ["schema"] = new JsonObject { ["type"] = "string" } });
            foreach (var q in e.QueryParameters)
                parameters.Add(new JsonObject { ["name"] = q.Name, ["in"] = "query", ["required"] = q.Required,
                    ["description"] = q.Description, ["schema"] = new JsonObject { ["type"] = q.Type } });
            var operation = new JsonObject
            {
                ["operationId"] = e.Name,
                ["summary"] = e.Summary,
                ["description"] = e.Anonymous ? "No token needed." : $"Roles: {string.Join(", ", e.Roles)}.",
                ["parameters"] = parameters,
                ["responses"] = new JsonObject
                {
                    ["200"] = new JsonObject { ["description"] = "OK",
                        ["content"] =
                        new JsonObject { ["application/json"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "object" } } } },
                    ["400"] =
                        new JsonObject { ["description"] =
                        "A parameter is malformed: an id that is not 1–64 lowercase letters, digits and hyphens, a drop id that is not " +
                        "64 hex characters, a quarter not written YYYY-Qn or outside 2000 to next year." },
                    ["401"] = new JsonObject { ["description"] = "No valid bearer token." },
                    ["403"] = new JsonObject { ["description"] = "The token's role, YOT or provider does not cover this." },
                    ["404"] =
                        new JsonObject { ["description"] =
                        "Nothing there (e.g. a YOT no agreement names, or no results computed for that quarter)." },
                    ["500"] = new JsonObject { ["description"] = "The request failed; it is in the audit trail." },
                    ["503"] =
                        new JsonObject { ["description"] =
                        "The request could not be recorded in the audit trail, so it was not answered." },
                },
            };
            if (e.Anonymous) operation["security"] = new JsonArray();
            paths[e.Route] = new JsonObject { ["get"] = operation };
        }
        return new JsonObject
        {
            ["openapi"] = "3.0.3",
            ["info"] = new JsonObject
            {
                ["title"] = "Youth justice pipeline: analysts' API",
                ["version"] = "1",
                ["description"] =
                    "KPI results (the KPI results contract in the README), trends, child-level rows (own YOT's analysts), drops and " +
                    "receipts. Paged lists answer a continuationToken: pass it back for the next page.",
            },
            ["components"] =
                new JsonObject { ["securitySchemes"] =
                new JsonObject { ["bearer"] = new JsonObject { ["type"] = "http", ["scheme"] = "bearer", ["bearerFormat"] = "JWT" } } },
            ["security"] = new JsonArray(new JsonObject { ["bearer"] = new JsonArray() }),
            ["paths"] = paths,
        };
    }

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex RouteParameter();
}
