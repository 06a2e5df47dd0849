namespace YouthJustice.Pipeline.Local;

/// <summary>Where the repository's tooling and the runner's local state live.</summary>
public static class RepositoryPaths
{
    /// <summary>
    /// The repository root: <c>PIPELINE_HOME</c> if set (the <c>./pipeline</c> script sets it), otherwise the first
    /// folder above the working directory or the executable that holds package.json and Pipeline.sln.
    /// </summary>
    public static string Root
    {
        get
        {
            if (Environment.GetEnvironmentVariable("PIPELINE_HOME") is { Length: > 0 } home) return Path.GetFullPath(home);
            foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
                for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                    if (File.Exists(Path.Combine(dir.FullName, "package.json")) && File.Exists(Path.Combine(dir.FullName, "Pipeline.sln")))
                        return dir.FullName;
            throw new InvalidOperationException("Cannot find the repository root (package.json and Pipeline.sln); set PIPELINE_HOME.");
        }
    }

    /// <summary>The git-ignored folder of local state: Azurite's data, the development key, demo files.</summary>
    public static string State => Path.Combine(Root, ".pipeline");
}
