namespace YouthJustice.Pipeline.Local.Demo;

/// <summary>
/// The demo's only source of randomness: a seeded <see cref="Random"/> with the draws the generators need. Each
/// generator (cohort, schools, college, board) has its own, seeded from the demo seed, so changing one part of the
/// demo does not reshuffle the others.
/// </summary>
internal sealed class DemoRandom(int seed)
{
    private readonly Random _rng = new(seed);

    public int Next(int maxExclusive) => _rng.Next(maxExclusive);

    public int Next(int minInclusive, int maxExclusive) => _rng.Next(minInclusive, maxExclusive);

    public double NextDouble() => _rng.NextDouble();

    public bool Chance(double p) => _rng.NextDouble() < p;

    public double Uniform(double from, double to) => from + (to - from) * _rng.NextDouble();

    /// <summary>A day between the two, both included.</summary>
    public DateOnly Between(DateOnly from, DateOnly to) =>
        to < from ? from : from.AddDays(_rng.Next(to.DayNumber - from.DayNumber + 1));

    public T Pick<T>(IReadOnlyList<T> items) => items[_rng.Next(items.Count)];

    public T Weighted<T>(IReadOnlyList<T> items, Func<T, double> weight)
    {
        var r = _rng.NextDouble() * items.Sum(weight);
        foreach (var item in items)
        {
            r -= weight(item);
            if (r < 0) return item;
        }
        return items[^1];
    }

    public string Weighted(IReadOnlyList<(string Code, double Weight)> items) => Weighted(items, i => i.Weight).Code;

    /// <summary>Hours to the half hour, as case workers record them.</summary>
    public double HalfHours(double from, double to) => Math.Round(Uniform(from, to) * 2, MidpointRounding.AwayFromZero) / 2;
}
