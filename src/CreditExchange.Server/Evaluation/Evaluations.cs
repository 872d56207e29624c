using CreditExchange.Contracts.Evaluation.V1;
using IntegrityStandard = CreditExchange.Domain.Evaluation.IntegrityStandard;
using CreditExchange.Domain.Agencies;
using CreditExchange.Domain.Errors;
using CreditExchange.Domain.Evaluation;
using CreditExchange.Domain.Identifiers;
using CreditExchange.Server.Calls;
using CreditExchange.Storage;
using CreditExchange.Storage.Entities;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Options;
using DomainIndicatorResult = CreditExchange.Domain.Evaluation.IndicatorResult;
using DomainSubjectKind = CreditExchange.Domain.Records.SubjectKind;
using IndicatorResult = CreditExchange.Contracts.Evaluation.V1.IndicatorResult;
using RankedRegion = CreditExchange.Domain.Evaluation.RankedRegion;

namespace CreditExchange.Server.Evaluation;

/// <summary>
/// Evaluates, publishes and ranks: reads the facts from the store, lets the domain score them under the standard, and
/// answers a published evaluation as it was published.
/// </summary>
public sealed class Evaluations(EvaluationStore store, IntegrityStandardBook standards, IOptions<EvaluationOptions> options, CallContext call)
{
    /// <summary>The evaluation of <paramref name="scope"/> for <paramref name="period"/>: the published one when there is one.</summary>
    public async Task<Contracts.Evaluation.V1.Evaluation> EvaluateAsync(EvaluationScope scope, string period, string version, CancellationToken ct)
    {
        var standard = standards.Find(version);
        var target = Target(scope);
        var days = standard.PeriodDays(period);
        if (await store.PublishedAsync(target, period, standard.Version, ct) is { } published)
        {
            return Published(published);
        }

        return ToProto(await ComputeAsync(standard, target, period, days, ct), standard, scope);
    }

    /// <summary>Publishes the evaluation of an ended period (drc only); the second publication returns the first.</summary>
    public async Task<(Contracts.Evaluation.V1.Evaluation Evaluation, bool Added)> PublishAsync(EvaluationScope scope, string period, string version, CancellationToken ct)
    {
        if (!options.Value.EffectivePublishers.Contains(call.Agency.Id))
        {
            throw new DomainException(
                ErrorKind.PermissionDenied,
                ErrorReason.NotEvaluationPublisher,
                $"Agency '{call.Agency.Id}' does not publish evaluations; the regional credit platform does.");
        }

        var standard = standards.Find(version);
        var target = Target(scope);
        var days = standard.PeriodDays(period);
        if (!IntegrityEvaluator.Ended(days, call.Today))
        {
            throw new DomainException(
                ErrorKind.FailedPrecondition,
                ErrorReason.EvaluationPeriodNotEnded,
                $"The period {period} runs until {days.Last:yyyy-MM-dd}; an evaluation is published once its period has ended.");
        }

        var evaluation = ToProto(await ComputeAsync(standard, target, period, days, ct), standard, scope);
        var row = new PublishedEvaluationEntity
        {
            Id = Guid.NewGuid(),
            TargetKind = (int)target.Kind,
            TargetKey = target.Key,
            Period = period,
            StandardVersion = standard.Version,
            ScoreHundredths = evaluation.ScoreHundredths,
            Grade = evaluation.Grade,
            Result = evaluation.ToByteArray(),
            PublishedAt = call.Now,
            PublishedBy = call.Agency.Id,
        };
        var (kept, added) = await store.PublishAsync(row, ct);
        return (Published(kept), added);
    }

    /// <summary>The regions directly below <paramref name="parent"/>, ranked; published scores where they exist.</summary>
    public async Task<(IReadOnlyList<RankedRegion> Regions, string Version)> RankAsync(string parent, string period, string version, CancellationToken ct)
    {
        var standard = standards.Find(version);
        var days = standard.PeriodDays(period);
        var prefix = Domain.Statistics.DivisionRollup.ScopePrefix(parent);
        var children = RegionRanking.Children(
            parent,
            DivisionCodes.InnerMongolia.Where(d => d.IsCurrentOn(days.Last)).Select(d => d.Code),
            await store.DivisionCodesAsync(prefix, ct));
        var published = (await store.PublishedRegionsAsync(prefix, period, standard.Version, ct)).ToDictionary(p => p.TargetKey, StringComparer.Ordinal);
        var scores = new List<(string, int, string, bool)>();
        foreach (var child in children)
        {
            if (published.TryGetValue(child, out var p))
            {
                scores.Add((child, p.ScoreHundredths, p.Grade, true));
                continue;
            }

            var result = await ComputeAsync(standard, new EvaluationTarget(EvaluationTargetKind.Region, child), period, days, ct);
            scores.Add((child, result.ScoreHundredths, result.Grade, false));
        }

        return (RegionRanking.Rank(scores), standard.Version);
    }

    private async Task<EvaluationResult> ComputeAsync(IntegrityStandard standard, EvaluationTarget target, string period, (DateOnly First, DateOnly Last) days, CancellationToken ct)
    {
        var asOf = IntegrityEvaluator.AsOf(days, call.Today);
        var records = await store.RecordsAsync(target, days.First, days.Last, ct);
        var overdue = await store.OverdueAsync(target, asOf, ct);
        return IntegrityEvaluator.Evaluate(standard, target, period, asOf, records, overdue);
    }

    private EvaluationTarget Target(EvaluationScope scope)
    {
        if (scope.KindCase == EvaluationScope.KindOneofCase.GovernmentBodyCode)
        {
            var code = scope.GovernmentBodyCode;
            if (!UnifiedSocialCreditCode.TryValidateGovernmentBody(code, new HashSet<string>(StringComparer.Ordinal), out var error))
            {
                throw DomainException.InvalidArgument(
                    ErrorReason.InvalidRequest,
                    [new FieldViolation("scope.government_body_code", error!.Message, error.Reason)]);
            }

            return new EvaluationTarget(EvaluationTargetKind.GovernmentBody, call.RecordSubjectKey(DomainSubjectKind.GovernmentBody, code));
        }

        return new EvaluationTarget(EvaluationTargetKind.Region, scope.DivisionCode);
    }

    /// <summary>A published evaluation as it was published.</summary>
    public static Contracts.Evaluation.V1.Evaluation Published(PublishedEvaluationEntity row)
    {
        var evaluation = Contracts.Evaluation.V1.Evaluation.Parser.ParseFrom(row.Result);
        evaluation.Published = true;
        evaluation.PublishedAt = Timestamp.FromDateTimeOffset(row.PublishedAt);
        evaluation.PublishedBy = row.PublishedBy;
        return evaluation;
    }

    private static Contracts.Evaluation.V1.Evaluation ToProto(EvaluationResult result, IntegrityStandard standard, EvaluationScope scope)
    {
        var evaluation = new Contracts.Evaluation.V1.Evaluation
        {
            Scope = scope.Clone(),
            Period = result.Period,
            StandardVersion = result.StandardVersion,
            StandardSource = standard.Source,
            ScoreHundredths = result.ScoreHundredths,
            Grade = result.Grade,
            AsOfDate = result.AsOf.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        };
        evaluation.Indicators.AddRange(result.Indicators.Select(ToProto));
        return evaluation;
    }

    private static IndicatorResult ToProto(DomainIndicatorResult i) => new()
    {
        Code = i.Definition.Code,
        Name = i.Definition.Name,
        Value = i.Value,
        Weight = i.Definition.Weight,
        Threshold = i.Definition.Threshold,
        PointsHundredths = i.PointsHundredths,
        RecordIds = { i.RecordIds.Select(id => id.ToString()) },
    };
}
