using CreditExchange.Server.Hosting;

var app = await HubApp.BuildAsync(args);
await app.RunAsync();
