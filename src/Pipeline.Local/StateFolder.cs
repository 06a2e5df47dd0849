namespace YouthJustice.Pipeline.Local;

/// <summary>
/// The state folder (<c>.pipeline</c>) holds raw drops inside Azurite's data, the development keys and the demo's
/// synthetic files: it is the user's alone. Folders are 0700 and the files the runner writes 0600, whatever the umask;
/// folders made by an older runner are tightened on the next command.
/// </summary>
public static class StateFolder
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates (or tightens) a folder of the state: the state folder itself and each one given under it.</summary>
    public static string Ensure(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return path;
        }
        Directory.CreateDirectory(path, Private);
        if (File.GetUnixFileMode(path) != Private) File.SetUnixFileMode(path, Private);
        return path;
    }

    /// <summary>Makes a folder of the state and everything in it the user's alone (files written by code that knows nothing of
    /// modes).</summary>
    public static void Tighten(string folder)
    {
        if (OperatingSystem.IsWindows() || !Directory.Exists(folder)) return;
        Ensure(folder);
        foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
            entry.UnixFileMode = entry is DirectoryInfo ? Private : PrivateFile;
    }

    /// <summary>Writes a file only the user can read, replacing any previous one in one step (write aside, then rename).</summary>
    public static void WritePrivateFile(string path, string content)
    {
        var temp = $"{path}.{Environment.ProcessId}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = PrivateFile;
        using (var stream = new FileStream(temp, options))
        using (var writer = new StreamWriter(stream))
            writer.Write(content);
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>
    /// A secret kept in the state folder (a development key): read if it exists, otherwise created by whichever of two
    /// commands starting at once gets there first, so both use the same one.
    /// </summary>
    public static string GetOrCreateSecret(string path, Func<string> create)
    {
        if (File.Exists(path)) return File.ReadAllText(path).Trim();
        Ensure(Path.GetDirectoryName(path)!);
        var temp = $"{path}.{Environment.ProcessId}.tmp";
        WritePrivateFile(temp, create());
        try
        {
            File.Move(temp, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temp);
        }
        return File.ReadAllText(path).Trim();
    }

    /// <summary>Opens (creating if need be) a file only the user can read, e.g. a lock file.</summary>
    public static FileStream OpenPrivate(string path, FileMode mode, FileAccess access, FileShare share)
    {
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = share };
        if (!OperatingSystem.IsWindows() && mode is FileMode.Create or FileMode.CreateNew or FileMode.OpenOrCreate) options.UnixCreateMode =
            PrivateFile;
        return new FileStream(path, options);
    }
}
