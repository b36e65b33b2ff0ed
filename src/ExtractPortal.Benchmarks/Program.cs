using ExtractPortal.Benchmarks.Engine;

// Benchmarks whose figures go into docs/benchmarks.md; not part of the test suite.
//   engine --postgres "<connection string>" [--loans 10000000] [--work <folder>]
//       builds the synthetic ODS sets and measures every engine scenario, each in a fresh process
//   engine-scenario ...   one measurement (used by "engine"; prints one JSON line)
return args.FirstOrDefault() switch
{
    "engine" => await EngineBenchmark.RunAsync(args[1..]),
    "engine-scenario" => await EngineScenario.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: ExtractPortal.Benchmarks engine --postgres \"<Npgsql connection string>\" [--loans N] [--work <folder>]");
    return 2;
}
