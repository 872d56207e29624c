using CreditExchange.Contracts.Records.V1;
using CreditExchange.Server.Privacy;
using CreditExchange.Storage.Entities;
using Google.Protobuf.WellKnownTypes;

namespace CreditExchange.Server.Records;

internal static class RecordMapping
{
    public static Record ToProto(RecordEntity row, PersonalDataProtector protector) => new()
    {
        RecordId = row.Id.ToString(),
        AgencyId = row.AgencyId,
        SourceRecordId = row.SourceRecordId,
        Content = RecordContent.Parser.ParseFrom(protector.Open(row.Content)),
        Status = (RecordStatus)row.Status,
        Version = row.Version,
        AcceptedAt = Timestamp.FromDateTimeOffset(row.AcceptedAt),
        ContentSha256 = Convert.ToHexStringLower(row.ContentHash),
        DisclosurePeriod = new DisclosurePeriod
        {
            PolicyVersion = row.PolicyVersion,
            PublishedByDefault = row.PublishedByDefault,
            MinimumEndDate = Date(row.DisclosureMinimumEnd),
            MaximumEndDate = Date(row.DisclosureMaximumEnd),
        },
    };

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
