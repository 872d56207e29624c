using CreditExchange.Server.Calls;

namespace CreditExchange.Server.Limits;

/// <summary>
/// A feature's word that one call of a method the contract does not mark bulk will read many records all the same
/// (a check of a subject with thousands of records): the call then waits in the bulk lane like the bulk methods'
/// calls (<see cref="CallGate"/>). Asked before the call takes a turn, from the request as it arrived (not validated
/// yet): a hint must be cheap and must not throw. It names a subject's stored key through the call
/// (<see cref="CallContext.StoredKey"/>), whose memo of the keyed hash the handler then finds filled.
/// </summary>
public interface IBulkCallHint
{
    bool IsBulk(HubMethod method, object? request, CallContext call);
}
