using CreditExchange.Contracts.Bidding.V1;
using Grpc.Core;

namespace CreditExchange.Server.Bidding;

/// <summary>Thin gRPC surface of the bidding blacklist: <see cref="BlacklistEntries"/> decides and writes.</summary>
public sealed class BiddingBlacklistGrpcService(BlacklistEntries entries) : BiddingBlacklistService.BiddingBlacklistServiceBase
{
    public override async Task<SubmitEntryResponse> SubmitEntry(SubmitEntryRequest request, ServerCallContext context)
    {
        var (entry, duplicate) = await entries.SubmitAsync(request, context.CancellationToken);
        return new SubmitEntryResponse { Entry = entry, Duplicate = duplicate };
    }

    public override async Task<RemoveEntryResponse> RemoveEntry(RemoveEntryRequest request, ServerCallContext context) =>
        new() { Entry = await entries.RemoveAsync(request, context.CancellationToken) };

    public override async Task<GetEntryResponse> GetEntry(GetEntryRequest request, ServerCallContext context) =>
        new() { Entry = await entries.GetAsync(request.EntryId, context.CancellationToken) };

    public override Task<ListPublishedEntriesResponse> ListPublishedEntries(ListPublishedEntriesRequest request, ServerCallContext context) =>
        entries.PublishedAsync(request, context.CancellationToken);

    public override async Task<FileEntryObjectionResponse> FileEntryObjection(FileEntryObjectionRequest request, ServerCallContext context) =>
        new() { Entry = await entries.FileObjectionAsync(request, context.CancellationToken) };

    public override async Task<AnswerEntryObjectionResponse> AnswerEntryObjection(AnswerEntryObjectionRequest request, ServerCallContext context) =>
        new() { Entry = await entries.AnswerObjectionAsync(request, context.CancellationToken) };

    public override async Task<PublishTenderingAgencyResponse> PublishTenderingAgency(PublishTenderingAgencyRequest request, ServerCallContext context) =>
        new() { Profile = await entries.PublishTenderingAgencyAsync(request.Profile, context.CancellationToken) };

    public override Task<GetTenderingAgencyResponse> GetTenderingAgency(GetTenderingAgencyRequest request, ServerCallContext context) =>
        entries.TenderingAgencyAsync(request.CreditCode, context.CancellationToken);
}
