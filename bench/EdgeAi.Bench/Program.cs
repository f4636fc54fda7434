using EdgeAi.Bench;

// dotnet run -c Release --project bench/EdgeAi.Bench -- <decode|inference> [options]
return args.FirstOrDefault() switch
{
    "decode" => await DecodeRatio.RunAsync(args[1..]),
    "inference" => InferenceRatio.Run(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: EdgeAi.Bench decode [--clip FILE] [--runs N] | inference [--manifest FILE] [--frames N] [--threads N]");
    return 2;
}
