using CreditExchange.PublicSite;

await PublicSiteApp.Build(args).RunAsync();
