using System.CommandLine;
using YouthJustice.Pipeline.Periods;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Cli.Commands;

/// <summary>
/// The command line's side of <see cref="NameRules"/>: a provider, YOT or drop-type option, or a file argument, that
/// breaks the rule is a usage error (exit 2) before any storage is started or written. Case is not judged here, so an
/// id typed in capitals reaches the command, which matches it to a known id or refuses it; an upload path is checked
/// exactly before the upload (<see cref="IngestCommand"/>).
/// </summary>
public static class NameOptions
{
    public static T AsId<T>(this T option, string what) where T : Option
    {
        option.Validators.Add(r => Check(r, what, r.GetValueOrDefault<string?>()));
        return option;
    }

    /// <summary>A period option whose value is not a quarter is a usage error too, so commands take it as parsed.</summary>
    public static Option<T> AsQuarter<T>(this Option<T> option)
    {
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is { } text && !Quarter.TryParse(text, out _)) r.AddError(Quarter.NotAQuarter(text));
        });
        return option;
    }

    public static Argument<FileInfo> AsDropFile(this Argument<FileInfo> argument)
    {
        argument.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<FileInfo>() is { } file && NameRules.FileNameProblem(file.Name) is { } problem) r.AddError(problem);
        });
        return argument;
    }

    private static void Check(System.CommandLine.Parsing.SymbolResult result, string what, string? value)
    {
        if (value is not null && NameRules.IdProblem(what, value.ToLowerInvariant()) is { } problem) result.AddError(problem);
    }
}
