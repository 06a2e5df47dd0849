using YouthJustice.Pipeline.Cli.Output;
using YouthJustice.Pipeline.Kpis;

namespace YouthJustice.Pipeline.Tests.Cli;

/// <summary>How <c>pipeline kpis</c> prints a value, worked without storage.</summary>
public sealed class KpiPrinterTests
{
    [Fact]
    public void A_scaled_rate_prints_per_its_scale_and_tiny_values_as_low()
    {
        var rate = KpiCatalogue.Units("kpi9-serious-violence");
        var children = KpiUnits.Children;
        Assert.Equal("12.5 per 10,000", KpiPrinter.Value(12.5, rate, 10_000, false));
        Assert.Equal("low", KpiPrinter.Value(0.0001, children, 1, false));
        Assert.Equal("0.0%", KpiPrinter.Value(0, children, 1, false));
        Assert.Equal("x", KpiPrinter.Value(null, children, 1, false));
        Assert.Equal("c", KpiPrinter.Value(null, children, 1, true));
    }
}
