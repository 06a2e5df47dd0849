using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

namespace YouthJustice.Pipeline.Functions;

/// <summary>
/// The isolated worker's entry point (Flex Consumption). A class rather than top-level statements, so the tests can
/// reference this assembly next to the local runner's without two global <c>Program</c> types.
/// </summary>
public static class Program
{
    public static void Main(string[] args) => FunctionsApp.Configure(FunctionsApplication.CreateBuilder(args)).Build().Run();
}
