using CreditExchange.Contracts.Publication.V1;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Domain.Records;
using CreditExchange.Server.Privacy;
using CreditExchange.Storage;
using CreditExchange.Storage.Entities;
using RecordDisclosure = CreditExchange.Domain.Records.RecordDisclosure;
using RecordStanding = CreditExchange.Domain.Records.RecordStanding;
using RecordStatus = CreditExchange.Domain.Records.RecordStatus;

namespace CreditExchange.Server.Publication;

/// <summary>
/// The public list as it was at any time, decided from each record's versions (record_versions), the one place
/// that says what the list showed:
/// <list type="bullet">
/// <item>After each version a record is <b>listed</b> when, on the Beijing day the version was made, it could be
/// published (<see cref="RecordStanding.Publishable"/> with that version's status and content: stands, marked
/// public, within its disclosure period) and was decided by then; its public form is that version's content masked.</item>
/// <item>A version <b>changes the list</b> when it lists or unlists the record, or changes its public form. Other
/// versions (an objection filed or dismissed, a repair applied for, the end of the period of effect, any step of a
/// record not on the list, a correction of what the public form does not show) leave the list as it was.</item>
/// <item>The form's record_version is the version of the last change to the list, so that the form of a record is the
/// same in the list of any later day and in the change that put it there.</item>
/// <item>On a day D the list holds the records accepted by D whose last version made by the end of D listed them and
/// that can still be published on D (the disclosure period runs out without a version: the list leaves a record out
/// from its end day, its withdrawal comes with the EXPIRED version).</item>
/// </list>
/// Disclosure periods are the record's current ones (a correction's new periods, a court's removal of a listing).
/// </summary>
public sealed class PublicList(PublicationStore store, PersonalDataProtector protector)
{
    /// <summary>
    /// How far the acceptance sequence may run ahead of acceptance times: a record is numbered when its transaction
    /// inserts it, a little after the call's clock was read. Far beyond any call's deadline.
    /// </summary>
    private static readonly TimeSpan AcceptanceSkew = TimeSpan.FromHours(1);

    /// <summary>What the list showed of a record after one of its versions.</summary>
    /// <param name="Form">The sealed public form while listed; null when not.</param>
    /// <param name="Changed">Whether this version changed the list.</param>
    public sealed record Step(RecordVersionEntity Version, DateOnly DecisionDate, RecordStatus Status, RecordDisclosure Disclosure, PublicRecord? Form, bool Changed);

    /// <summary>The records on the list on <paramref name="asOf"/> after <paramref name="afterSequence"/>, up to <paramref name="limit"/>, with their acceptance sequences.</summary>
    public async Task<List<(long Sequence, PublicRecord Form)>> ListAsync(DateOnly asOf, bool current, long afterSequence, int limit, CancellationToken ct)
    {
        var listed = new List<(long, PublicRecord)>();
        var before = ChinaCalendar.StartOf(asOf.AddDays(1));
        var after = afterSequence;
        while (listed.Count < limit)
        {
            var batch = await store.CandidatesAsync(asOf, current, after, Math.Max(limit - listed.Count, 16), ct);
            if (batch.Count == 0)
            {
                break;
            }

            var versions = await store.VersionsAsync(batch.Select(r => r.Id).ToList(), ct);
            foreach (var row in batch)
            {
                if (row.AcceptedAt >= before + AcceptanceSkew)
                {
                    return listed; // acceptance order: every later record was accepted after the day
                }

                if (On(row, Steps(row, versions[row.Id].Where(v => v.ChangedAt < before)), asOf) is { } form)
                {
                    listed.Add((row.Sequence, form));
                    if (listed.Count == limit)
                    {
                        break;
                    }
                }
            }

            after = batch[^1].Sequence;
        }

        return listed;
    }

    /// <summary>The record's public form on <paramref name="asOf"/>; null when it is not on that day's list.</summary>
    public async Task<PublicRecord?> FindAsync(RecordEntity row, DateOnly asOf, CancellationToken ct)
    {
        var before = ChinaCalendar.StartOf(asOf.AddDays(1));
        var versions = await store.VersionsAsync([row.Id], ct);
        return On(row, Steps(row, versions[row.Id].Where(v => v.ChangedAt < before)), asOf);
    }

    /// <summary>Every version of each record, with what it did to the list.</summary>
    public async Task<Dictionary<Guid, List<Step>>> HistoriesAsync(IReadOnlyDictionary<Guid, RecordEntity> rows, CancellationToken ct)
    {
        var versions = await store.VersionsAsync(rows.Keys.ToList(), ct);
        return rows.ToDictionary(r => r.Key, r => Steps(r.Value, versions[r.Key]));
    }

    private static PublicRecord? On(RecordEntity row, List<Step> steps, DateOnly asOf)
    {
        if (steps.Count == 0 || steps[^1] is not { Form: { } form } last || last.DecisionDate > asOf)
        {
            return null;
        }

        var standing = RecordStanding.Of(new StandingFacts(last.Status, last.DecisionDate, null, last.Disclosure, row.DisclosureMaximumEnd), asOf);
        return standing.Publishable ? form : null;
    }

    private List<Step> Steps(RecordEntity row, IEnumerable<RecordVersionEntity> versions)
    {
        var steps = new List<Step>();
        PublicRecord? shown = null;
        long shownSince = 0;
        foreach (var version in versions)
        {
            var content = RecordContent.Parser.ParseFrom(protector.Open(version.Content));
            var decided = DateOnly.ParseExact(content.DecisionDate, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            var status = (RecordStatus)version.Status;
            var disclosure = (RecordDisclosure)content.Disclosure;
            var day = ChinaCalendar.DateOf(version.ChangedAt);
            var listed = decided <= day && RecordStanding.Of(new StandingFacts(status, decided, null, disclosure, row.DisclosureMaximumEnd), day).Publishable;
            var form = listed ? PublicationMapping.ToPublic(row, content) : null;
            var changed = form is null ? shown is not null : shown is null || !form.Equals(Unsealed(shown));
            if (changed)
            {
                shownSince = version.Version;
                shown = form is null ? null : PublicationMapping.Seal(form, shownSince);
            }

            steps.Add(new Step(version, decided, status, disclosure, shown, changed));
        }

        return steps;
    }

    private static PublicRecord Unsealed(PublicRecord sealedForm)
    {
        var form = sealedForm.Clone();
        form.RecordVersion = 0;
        form.PublicSha256 = "";
        return form;
    }
}
