using YouthJustice.Pipeline.Local.Demo;

namespace YouthJustice.Pipeline.Tests.Local.Demo;

/// <summary>The demo's files, written without sending them anywhere.</summary>
public sealed class DemoDataTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("demo-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void The_same_seed_writes_the_same_bytes()
    {
        var first = DemoData.Write(Path.Combine(_folder, "a"));
        var second = DemoData.Write(Path.Combine(_folder, "b"));
        Assert.Equal(first.Count, second.Count);
        for (var i = 0; i < first.Count; i++)
            Assert.Equal(File.ReadAllBytes(first[i].Path), File.ReadAllBytes(second[i].Path));
    }
}
