using CreditExchange.Server.Calls;
using CreditExchange.Storage;
using CreditExchange.Storage.Entities;
using Grpc.Core;

namespace CreditExchange.Server.Audit;

/// <summary>
/// The audit entry a call's changes commit with (<see cref="UnitOfWork"/>): the call's success entry, with the facts
/// gathered so far and the records the change touches, written in the change's own transaction, so that a committed
/// change without its entry cannot exist. The pipeline then writes no other entry for the call. Outside an audited call
/// (start-up, the expiry sweep) there is none.
/// </summary>
public sealed class CallAudit(CallContext call, AuditWriter writer) : ICallAudit
{
    public AuditEntryEntity? SuccessEntry(IEnumerable<Guid> recordIds)
    {
        if (call.Method is null || call.AuditWritten)
        {
            return null;
        }

        call.Facts.AddRecordIds(recordIds);
        return writer.Entry(call, call.Method.Path, call.Facts, StatusCode.OK, null);
    }

    public Task CommitInGroupAsync(AuditEntryEntity entry, IReadOnlyList<object> rows) => writer.CommitAsync(entry, rows);

    public void Committed(AuditEntryEntity entry) => call.MarkAuditWritten();

    public long? RequestSignatureId => call.RequestSignatureId;
}
