using CreditExchange.Server.Hosting;

if (args.Contains(DevCertificatesCommand.Name))
{
    return DevCertificatesCommand.Run(args);
}

var app = await HubApp.BuildAsync(args);
await app.RunAsync();
return 0;
