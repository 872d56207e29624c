using System.Security.Cryptography;
using CreditExchange.Contracts.Publication.V1;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Domain.Publication;
using CreditExchange.Server.Records;
using CreditExchange.Storage.Entities;
using Google.Protobuf;

namespace CreditExchange.Server.Publication;

/// <summary>
/// The public form of a record: what 信用内蒙古 may show, with personal data masked
/// (<see cref="PublicMasking"/>). Government bodies are public bodies and appear in full; civil
/// servants and responsible persons never by full name or ID number, in any field.
/// </summary>
internal static class PublicationMapping
{
    /// <summary>
    /// The public form of <paramref name="content"/> (one version of the record <paramref name="row"/>), without its
    /// record_version and public_sha256: <see cref="Seal"/> sets those once the version it is shown from is known.
    /// </summary>
    public static PublicRecord ToPublic(RecordEntity row, RecordContent content)
    {
        var mask = PublicMasking.For(PersonsNamed(content));
        string Masked(string text) => mask.Apply(text);

        var subject = new PublicSubject { DivisionCode = content.Subject.DivisionCode };
        if (content.Subject.GovernmentBody is { } body)
        {
            subject.GovernmentBody = body.Clone();
        }
        else if (content.Subject.CivilServant is { } person)
        {
            subject.CivilServant = new MaskedCivilServant
            {
                MaskedName = PublicMasking.Name(person.Name),
                MaskedResidentId = PublicMasking.ResidentId(person.ResidentId),
                Position = Masked(person.Position),
            };
        }

        var published = new PublicRecord
        {
            RecordId = row.Id.ToString(),
            SourceAgencyId = row.AgencyId,
            Subject = subject,
            Category = content.Category,
            Severity = content.Severity,
            Domain = content.Domain,
            DecisionDocumentNumber = Masked(content.DecisionDocumentNumber),
            DecidingAuthority = content.DecidingAuthority,
            DecisionDate = content.DecisionDate,
            Facts = Masked(content.Facts),
            LegalBasis = Masked(content.LegalBasis),
            PenaltyKinds = { content.Penalty.Kinds },
            PenaltyText = Masked(content.Penalty.Text),
            FineFen = content.Penalty.FineFen,
            ConfiscatedFen = content.Penalty.ConfiscatedFen,
            ResponsiblePersonName = content.ResponsiblePerson is { } responsible ? PublicMasking.Name(responsible.Name) : "",
            SanctionKind = content.SanctionKind,
            PublishedUntil = RecordMapping.Date(row.DisclosureMaximumEnd.AddDays(-1)),
        };
        if (content.Project is { } project)
        {
            published.Project = new ProjectReference { Code = project.Code, Name = Masked(project.Name) };
        }

        published.ConductType = Masked(content.ConductType);
        published.ResponsiblePersons.AddRange(content.ResponsiblePersons.Select(p => new PublicResponsiblePerson
        {
            MaskedName = PublicMasking.Name(p.Name),
            Position = Masked(p.Position),
            Role = p.Role,
        }));
        if (content.JudgmentDebtor is { } debtor)
        {
            published.JudgmentDebtor = new PublicJudgmentDebtor
            {
                // Free text a clerk types: masked like the facts (the court is a public body, in full).
                EnforcementCaseNumber = Masked(debtor.EnforcementCaseNumber),
                EnforcingCourt = debtor.EnforcingCourt,
                BasisDocumentNumber = Masked(debtor.BasisDocumentNumber),
                BasisIssuingBody = Masked(debtor.BasisIssuingBody),
                FilingDate = debtor.FilingDate,
                Obligation = Masked(debtor.Obligation),
                Performance = debtor.Performance,
                Conducts = { debtor.Conducts },
                PersonInChargeMaskedName = debtor.PersonInCharge is { } head ? PublicMasking.Name(head.Name) : "",
            };
        }

        return published;
    }

    /// <summary>The public form as shown from <paramref name="version"/> on, with its hash.</summary>
    public static PublicRecord Seal(PublicRecord form, long version)
    {
        var published = form.Clone();
        published.RecordVersion = version;
        published.PublicSha256 = "";
        published.PublicSha256 = Convert.ToHexStringLower(SHA256.HashData(published.ToByteArray()));
        return published;
    }

    /// <summary>The people a record names, to be masked (name and birth date) wherever they appear.</summary>
    private static IEnumerable<NamedPerson> PersonsNamed(RecordContent content)
    {
        if (content.Subject.CivilServant is { } person)
        {
            yield return new NamedPerson(person.Name, person.ResidentId);
        }

        if (content.ResponsiblePerson is { } responsible)
        {
            yield return new NamedPerson(responsible.Name, responsible.ResidentId);
        }

        foreach (var named in content.ResponsiblePersons)
        {
            yield return new NamedPerson(named.Name, named.ResidentId);
        }

        if (content.JudgmentDebtor?.PersonInCharge is { } head)
        {
            yield return new NamedPerson(head.Name, head.ResidentId);
        }
    }
}
