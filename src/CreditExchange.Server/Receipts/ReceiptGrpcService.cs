using CreditExchange.Contracts.Receipts.V1;
using CreditExchange.Domain.Agencies;
using Grpc.Core;

namespace CreditExchange.Server.Receipts;

/// <summary>Publishes the receipt-verification keys.</summary>
public sealed class ReceiptGrpcService(ReceiptSigner signer) : ReceiptService.ReceiptServiceBase
{
    // Every agency holds records.read; the keys are public anyway, the scope only keeps the
    // method behind the same three locks as every other.
    public override Task<GetReceiptKeysResponse> GetReceiptKeys(GetReceiptKeysRequest request, ServerCallContext context) =>
        Task.FromResult(new GetReceiptKeysResponse { Keys = { signer.PublishedKeys() } });
}
