using EdgeAi.Worker.Cli;

return await EdgeAiCommandLine.Build().Parse(args).InvokeAsync();
