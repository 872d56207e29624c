using CreditExchange.Server.Hosting;

if (args.Contains(SettingsTable.CommandName))
{
    return SettingsTable.Print();
}

if (args.Contains(DevCertificatesCommand.Name))
{
    return DevCertificatesCommand.Run(args);
}

if (args.Contains(MintKeyCommand.Name))
{
    return MintKeyCommand.Run(args);
}

if (args.Contains(KeyRotationCommand.Name))
{
    return await KeyRotationCommand.RunAsync(args);
}

WebApplication app;
try
{
    app = await HubApp.BuildAsync(args);
    await app.StartAsync();
}
catch (Exception e)
{
    // One clear line, no stack trace: the operator fixes the setting and starts again.
    var (exitCode, message) = StartupFailure.Describe(e);
    await Console.Error.WriteLineAsync($"CreditExchange hub cannot start: {message}");
    return exitCode;
}

// SIGTERM / Ctrl+C: readiness turns NOT_SERVING, calls in flight finish, then the process exits 0.
await app.WaitForShutdownAsync();
await app.DisposeAsync();
return 0;
