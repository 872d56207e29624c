using CreditExchange.Contracts.Records.V1;
using CreditExchange.Domain.Agencies;
using CreditExchange.Domain.Appraisal;
using CreditExchange.Domain.Errors;
using CreditExchange.Domain.Records;
using CreditExchange.Server.Calls;
using CreditExchange.Server.Privacy;
using CreditExchange.Server.Records;
using CreditExchange.Storage;
using CreditExchange.Storage.Entities;

namespace CreditExchange.Server.Appraisal;

/// <summary>One candidate's answer, with the subject key as checked.</summary>
public sealed record CheckedCandidate(SubjectKey Subject, CandidateDecision Decision);

/// <summary>The answer of a check call and the identity of its audit entry.</summary>
public sealed record CheckOutcome(
    Guid CheckId, DateTimeOffset CheckedAt, AppraisalRuleSet RuleSet, AppraisalRule Rule, DateOnly CheckDate, DateOnly LookBackStart, IReadOnlyList<CheckedCandidate> Candidates);

/// <summary>
/// Runs an appraisal check: the rule set in force today, the records of every candidate read
/// set-based, each candidate decided by the domain, the whole check recorded with the call's audit entry
/// before answering.
/// </summary>
public sealed class AppraisalChecks(
    AppraisalRuleBook rules, AppraisalStore store, PersonalDataProtector protector, CallContext call, HotSubjects hot, ILogger<AppraisalChecks> logger)
{
    public async Task<CheckOutcome> CheckAsync(Agency agency, AppraisalType type, string caseReference, IReadOnlyList<SubjectKey> subjects, CancellationToken ct)
    {
        var today = call.Today;
        var ruleSet = rules.InForceOn(today) ?? throw new DomainException(
            ErrorKind.FailedPrecondition, ErrorReason.NoRuleSetInForce, $"No appraisal rule set is in force on {today:yyyy-MM-dd}; the earliest takes effect later.");
        var rule = ruleSet.For(type);
        var lookBackStart = rule.LookBackStart(today);

        var keys = subjects.Select(RecordSubjects.Normalize).ToList();
        var stored = keys.Select(call.StoredKey).ToList();
        // Read and decided a slice of candidates at a time: a call holds the facts of one slice, not of the whole list
        // (10,000 candidates of 20 records each were 200,000 facts in memory at once).
        var candidates = new List<CheckedCandidate>(keys.Count);
        for (var from = 0; from < keys.Count; from += AppraisalStore.KeysPerQuery)
        {
            var slice = stored.GetRange(from, Math.Min(AppraisalStore.KeysPerQuery, keys.Count - from));
            var facts = await store.LoadFactsAsync(slice, ct);
            for (var i = 0; i < slice.Count; i++)
            {
                var records = facts.TryGetValue(slice[i], out var found) ? found : [];
                hot.Saw(slice[i], records.Count);
                candidates.Add(new CheckedCandidate(keys[from + i], AppraisalDecider.Decide(rule, today, records)));
            }
        }

        var checkedAt = call.Now; // UTC, whole microseconds: what PostgreSQL keeps
        var check = new AppraisalCheckEntity
        {
            Id = Guid.CreateVersion7(checkedAt),
            AgencyId = agency.Id,
            CheckedAt = checkedAt,
            AppraisalType = (int)type,
            CaseReference = protector.SealText(caseReference), // free text a clerk types: sealed like every other
            RuleSetVersion = ruleSet.Version,
            CheckDate = today,
            CandidateCount = candidates.Count,
            IneligibleCount = candidates.Count(c => c.Decision.Decision == Decision.Ineligible),
            EligibleCount = candidates.Count(c => c.Decision.Decision == Decision.Eligible),
            PriorityCount = candidates.Count(c => c.Decision.Decision == Decision.Priority),
        };
        check.Candidates.AddRange(candidates.Select((c, i) => new AppraisalCandidateEntity
        {
            CheckId = check.Id,
            Index = i,
            SubjectKey = stored[i], // a civil servant's as its keyed hash, never in clear
            Decision = (int)c.Decision.Decision,
            ObjectionPending = c.Decision.ObjectionPending,
            DecidingRecordIds = string.Join(',', c.Decision.DecidingRecords.Select(r => r.Id)),
        }));
        // The records an answer lists are what the appraising agency received (the recipient ledger); the domain bounds
        // them (AppraisalDecider.MaxListedDecidingRecords), the others it only counts.
        call.Facts.ExpectDeliveries(candidates.Sum(c => c.Decision.DecidingRecords.Count));
        foreach (var record in candidates.SelectMany(c => c.Decision.DecidingRecords))
        {
            call.Facts.Deliver(record.Id, record.Version);
        }

        // Recorded with the call's audit entry, before the answer.
        await store.RecordCheckAsync(check, ct);

        Log.AppraisalChecked(logger, check.Id, agency.Id, type.ToString(), ruleSet.Version, check.CandidateCount, check.IneligibleCount, check.EligibleCount, check.PriorityCount);
        return new CheckOutcome(check.Id, checkedAt, ruleSet, rule, today, lookBackStart, candidates);
    }
}
