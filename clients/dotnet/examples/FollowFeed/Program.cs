// Follows the joint-punishment feed as the organization department on a named subscription: a restart continues after
// the last acknowledged event. Run from the repository root while the hub runs (Ctrl+C stops):
//   dotnet run --project clients/dotnet/examples/FollowFeed
using CreditExchange.Client;
using CreditExchange.Contracts.Feed.V1;

using var hub = CreditExchangeClient.Create(new Uri("https://localhost:5443"), "organization",
    "certs-dev/agencies/organization.crt", "certs-dev/agencies/organization.key", "certs-dev/ca.crt");
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
var follower = hub.FollowFeed(new SubscribeRequest { Subscription = "punishments" }, new FeedFollowerOptions
    { OnReconnect = r => Console.WriteLine($"reconnecting in {r.Delay.TotalSeconds:0.#} s: {r.Error?.Message ?? "the stream ended"}") });
await follower.RunAsync(e =>
{
    var todo = e.Action switch
    {
        PunishmentAction.Impose => "impose punishments for",
        PunishmentAction.Update => "review punishments of",
        PunishmentAction.Lift => "lift punishments of",
        _ => "nothing to do for",
    };
    Console.WriteLine($"#{e.Sequence} {e.Change}: {todo} record {e.RecordId} ({e.Record?.Content.Category.ToString() ?? "content withheld"})");
    return Task.CompletedTask;
}, stop.Token);
Console.WriteLine($"stopped after sequence {follower.Position}, acknowledged {follower.AcknowledgedSequence}");
