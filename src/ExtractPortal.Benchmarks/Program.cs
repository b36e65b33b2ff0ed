using ExtractPortal.Benchmarks.Engine;
using ExtractPortal.Benchmarks.Portal;

// Benchmarks whose figures go into docs/benchmarks.md; not part of the test suite.
//   engine --postgres "<connection string>" [--loans 10000000] [--work <folder>]
//       builds the synthetic ODS sets and measures every engine scenario, each in a fresh process
//   engine-scenario ...   one measurement (used by "engine"; prints one JSON line)
//   portal [--runs 10000] [--csv-gb 1] [--work <folder>] [--portal <ExtractPortal.dll>]
//       the runs page with N runs, the preview and the download of a large extract
return args.FirstOrDefault() switch
{
    "engine" => await EngineBenchmark.RunAsync(args[1..]),
    "engine-scenario" => await EngineScenario.RunAsync(args[1..]),
    "portal" => await PortalBenchmark.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: ExtractPortal.Benchmarks engine --postgres \"<Npgsql connection string>\" [--loans N] [--work <folder>]\n" +
                            "       ExtractPortal.Benchmarks portal [--runs N] [--csv-gb N] [--work <folder>] [--portal <ExtractPortal.dll>]");
    return 2;
}
