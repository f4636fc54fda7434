// edgeai-central: see Hosting/CentralCommandLine.cs for the commands and Hosting/CentralApp.cs for the service.
return await EdgeAi.Central.Hosting.CentralCommandLine.RunAsync(args);
