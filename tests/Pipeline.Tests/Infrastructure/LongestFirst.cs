using Xunit.Abstractions;
using Xunit.Sdk;
using YouthJustice.Pipeline.Tests.Api;
using YouthJustice.Pipeline.Tests.Api.Pages;
using YouthJustice.Pipeline.Tests.Cli;
using YouthJustice.Pipeline.Tests.Consistency;
using YouthJustice.Pipeline.Tests.Drops.Reading;
using YouthJustice.Pipeline.Tests.Infrastructure;
using YouthJustice.Pipeline.Tests.Kpis.Data;
using YouthJustice.Pipeline.Tests.Reporting;
using YouthJustice.Pipeline.Tests.Submissions;

// The classes whose tests take tens of seconds together, longest first (each class is a collection of its own, run in
// parallel with the others on maxParallelThreads threads, see xunit.runner.json). Started first, they run beside the
// many short classes; started last, as xunit's own order might, one of them alone would be the end of the run.
[assembly: TestCollectionOrderer("YouthJustice.Pipeline.Tests.Infrastructure.LongestFirst", "Pipeline.Tests")]
[assembly: LongestFirst.Classes(
    typeof(CurrentViewTests), typeof(FaultInjectionTests), typeof(DemoTests), typeof(BoardPagesTests), typeof(SharedStorageTests),
    typeof(ProviderPagesTests), typeof(QuarterlyReturnsTests), typeof(YjbPagesTests), typeof(ApiTests), typeof(DropCommitTests),
    typeof(AnalystPagesTests), typeof(UploadPageTests), typeof(HostileInputTests), typeof(ConcurrencyTests), typeof(BoardPackTests),
    typeof(DemoOutputsTests))]

namespace YouthJustice.Pipeline.Tests.Infrastructure;

/// <summary>
/// Runs the test classes named in <see cref="ClassesAttribute"/> first, in the order named, then the rest in xunit's
/// own order: the run's critical path is then its longest class, not its longest class plus whatever went before it.
/// </summary>
public sealed class LongestFirst : ITestCollectionOrderer
{
    // xunit names the collection it makes for a class without one of its own this way.
    private const string ClassCollection = "Test collection for ";

    private static readonly List<string> Named =
        [.. typeof(LongestFirst).Assembly.GetCustomAttributes(typeof(ClassesAttribute), false)
            .Cast<ClassesAttribute>().SelectMany(a => a.Types).Select(t => t.FullName!)];

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections.Select((c, i) => (Collection: c, Given: i)).OrderBy(x => Rank(x.Collection)).ThenBy(x => x.Given)
            .Select(x => x.Collection);

    private static int Rank(ITestCollection collection)
    {
        var name = collection.DisplayName.StartsWith(ClassCollection, StringComparison.Ordinal)
            ? collection.DisplayName[ClassCollection.Length..]
            : collection.DisplayName;
        var rank = Named.IndexOf(name);
        return rank < 0 ? Named.Count : rank;
    }

    /// <summary>The test classes to start first, longest first.</summary>
    [AttributeUsage(AttributeTargets.Assembly)]
    public sealed class ClassesAttribute(params Type[] types) : Attribute
    {
        public IReadOnlyList<Type> Types { get; } = types;
    }
}
