using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using YouthJustice.Pipeline.Local;

namespace YouthJustice.Pipeline.Tests.Deployment;

/// <summary>
/// infra/ compiled to ARM JSON and linted with the Bicep CLI from the NuGet package
/// <c>Azure.Bicep.CommandLine.linux-x64</c> (the test project downloads it; its folder is baked into this assembly).
/// A class fixture: one compile and one lint (a few seconds) for all the template tests.
/// </summary>
public sealed class CompiledInfra
{
    public CompiledInfra()
    {
        Bicep = FindBicep();
        var build = Run(Bicep, "build", "infra/main.bicep", "--stdout", "--no-restore");
        BuildExitCode = build.ExitCode;
        BuildDiagnostics = build.Stderr.Trim();
        Template = build.ExitCode == 0 ? JsonNode.Parse(build.Stdout)!.AsObject() : new JsonObject();
        // Every .bicep file, so a module that main.bicep stops using is still held to the rules.
        var lint = Run(Bicep, "lint", "--pattern", "infra/**/*.bicep", "--no-restore");
        LintExitCode = lint.ExitCode;
        LintDiagnostics = (lint.Stdout + lint.Stderr).Trim();
    }

    public string Bicep { get; }
    public int BuildExitCode { get; }
    public string BuildDiagnostics { get; }
    public int LintExitCode { get; }
    public string LintDiagnostics { get; }
    public JsonObject Template { get; }

    /// <summary>Every resource of the template and of its nested (module) templates, with the template it sits in.</summary>
    public IReadOnlyList<ArmResource> Resources => _resources ??= Walk(Template).ToList();
    private IReadOnlyList<ArmResource>? _resources;

    private static IEnumerable<ArmResource> Walk(JsonObject template)
    {
        // Plain ARM has an array of resources; languageVersion 2.0 (symbolic names) an object of them.
        var resources = template["resources"] switch
        {
            JsonArray array => array.OfType<JsonObject>(),
            JsonObject map => map.Select(p => p.Value).OfType<JsonObject>(),
            _ => [],
        };
        foreach (var resource in resources)
        {
            if (resource["existing"]?.GetValue<bool>() == true) continue;
            yield return new ArmResource((string)resource["type"]!, (string)resource["name"]!, resource, template);
            if ((string?)resource["type"] == "Microsoft.Resources/deployments" && resource["properties"]?["template"] is JsonObject nested)
                foreach (var inner in Walk(nested)) yield return inner;
        }
    }

    private static string FindBicep()
    {
        var folder = typeof(CompiledInfra).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == "BicepPackageDirectory")?.Value;
        if (string.IsNullOrEmpty(folder))
            throw new InvalidOperationException(
                "The Bicep CLI package path was not baked in: restore tests/Pipeline.Tests (Azure.Bicep.CommandLine.linux-x64).");
        var path = Path.Combine(folder, "tools", "bicep");
        if (!File.Exists(path)) throw new FileNotFoundException($"No Bicep CLI at {path}: is the package restored?", path);
        // NuGet does not always keep the executable bit when it extracts a package.
        if (!OperatingSystem.IsWindows() && !File.GetUnixFileMode(path).HasFlag(UnixFileMode.UserExecute))
            File.SetUnixFileMode(path,
                File.GetUnixFileMode(path) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        return path;
    }

    private static (int ExitCode, string Stdout, string Stderr) Run(string executable, params string[] args)
    {
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = RepositoryPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {executable}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', args)} did not finish in 3 minutes.");
        }
        return (process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }
}

/// <summary>One resource of the compiled template; <see cref="Template"/> is the (module) template declaring it.</summary>
public sealed record ArmResource(string Type, string Name, JsonObject Json, JsonObject Template)
{
    public JsonNode? Properties => Json["properties"];
}
