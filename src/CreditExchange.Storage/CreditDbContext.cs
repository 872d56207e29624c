using CreditExchange.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace CreditExchange.Storage;

/// <summary>
/// The one model. Each provider has its own subclass only so that it can carry its own
/// migration set (SQLite and PostgreSQL differ in identity columns and types).
/// </summary>
public abstract class CreditDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<RecordEntity> Records => Set<RecordEntity>();

    public DbSet<AgencyEntity> Agencies => Set<AgencyEntity>();

    public DbSet<RecordVersionEntity> RecordVersions => Set<RecordVersionEntity>();

    public DbSet<RecordEventEntity> RecordEvents => Set<RecordEventEntity>();

    public DbSet<FeedSubscriptionEntity> FeedSubscriptions => Set<FeedSubscriptionEntity>();

    public DbSet<ObjectionEntity> Objections => Set<ObjectionEntity>();

    public DbSet<RepairApplicationEntity> RepairApplications => Set<RepairApplicationEntity>();

    public DbSet<ComplaintEntity> Complaints => Set<ComplaintEntity>();

    public DbSet<DisclosurePolicyEntity> DisclosurePolicies => Set<DisclosurePolicyEntity>();

    public DbSet<AppraisalCheckEntity> AppraisalChecks => Set<AppraisalCheckEntity>();

    public DbSet<PublishedEvaluationEntity> PublishedEvaluations => Set<PublishedEvaluationEntity>();

    public DbSet<BlacklistEntryEntity> BlacklistEntries => Set<BlacklistEntryEntity>();

    public DbSet<BlacklistEntryVersionEntity> BlacklistEntryVersions => Set<BlacklistEntryVersionEntity>();

    public DbSet<TenderingAgencyEntity> TenderingAgencies => Set<TenderingAgencyEntity>();

    public DbSet<AppraisalCandidateEntity> AppraisalCandidates => Set<AppraisalCandidateEntity>();

    public DbSet<AuditEntryEntity> AuditEntries => Set<AuditEntryEntity>();

    public DbSet<StorageProbeEntity> StorageProbes => Set<StorageProbeEntity>();

    public DbSet<AuditSegmentEntity> AuditSegments => Set<AuditSegmentEntity>();

    public DbSet<AuditCheckpointEntity> AuditCheckpoints => Set<AuditCheckpointEntity>();

    public DbSet<PrivacyKeyCheckEntity> PrivacyKeyChecks => Set<PrivacyKeyCheckEntity>();

    public DbSet<RecordDeliveryEntity> RecordDeliveries => Set<RecordDeliveryEntity>();

    public DbSet<FeedAcknowledgementEntity> FeedAcknowledgements => Set<FeedAcknowledgementEntity>();

    public DbSet<RequestSignatureEntity> RequestSignatures => Set<RequestSignatureEntity>();

    public DbSet<SigningCertificateEntity> SigningCertificates => Set<SigningCertificateEntity>();

    /// <summary>
    /// Whether this context runs on PostgreSQL (else SQLite), from its type: <c>Database.IsNpgsql()</c> asks the
    /// provider's name, which EF Core reads by reflection (<c>Assembly.GetName</c>) on every call.
    /// </summary>
    public bool IsPostgres => this is PostgresCreditDbContext;

    /// <summary>Statements EF Core sends in one batch on PostgreSQL (set on the provider by the hub).</summary>
    public const int PostgresMaxBatchSize = 1000;

    /// <summary>
    /// Saves the tracked changes as one atomic write in as few round trips as the provider allows, then clears
    /// the change tracker. On PostgreSQL, changes that go in one batch go without BEGIN and COMMIT: a batch
    /// runs as one implicit transaction (a failing statement rolls the others back), so it commits in the
    /// round trip that carries it. Otherwise — more rows than a batch holds, rows that need a key the database
    /// generates in this same save (a record's persons need its sequence, so EF Core sends two batches), or
    /// SQLite — in a transaction of its own.
    /// </summary>
    public async Task SaveChangesAtomicallyAsync(CancellationToken ct)
    {
        var oneBatch = IsPostgres && Database.CurrentTransaction is null && FitsOneBatch(ChangeTracker.Entries().ToList());
        var before = Database.AutoTransactionBehavior;
        Database.AutoTransactionBehavior = oneBatch ? AutoTransactionBehavior.Never : AutoTransactionBehavior.Always;
        try
        {
            await SaveChangesAsync(ct);
        }
        finally
        {
            Database.AutoTransactionBehavior = before;
            ChangeTracker.Clear();
        }
    }

    /// <summary>
    /// Whether EF Core sends <paramref name="entries"/> as one batch: no more rows than a batch holds, and no added row
    /// refers to a key the database has yet to generate for another added row.
    /// </summary>
    private static bool FitsOneBatch(List<Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry> entries)
    {
        if (entries.Count > PostgresMaxBatchSize)
        {
            return false;
        }

        var added = entries.Where(e => e.State == EntityState.Added).ToList();
        var generated = added.SelectMany(e => e.Properties.Where(p => p.IsTemporary).Select(p => p.Metadata)).ToHashSet();
        return generated.Count == 0
            || !added.Any(e => e.Metadata.GetForeignKeys().Any(fk => fk.PrincipalKey.Properties.Any(generated.Contains)));
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var record = modelBuilder.Entity<RecordEntity>();
        record.ToTable("records");
        record.HasKey(r => r.Sequence);
        record.Property(r => r.Sequence).ValueGeneratedOnAdd();
        record.HasIndex(r => r.Id).IsUnique();
        // The idempotency key: a retry finds the first acceptance, a race loses on this index.
        record.HasIndex(r => new { r.AgencyId, r.SourceRecordId }).IsUnique();
        // A subject's records, newest decision first (credit files, keyset-paged). On PostgreSQL the index also carries
        // every fact an appraisal check reads (AppraisalStore), so a check reads them from the index alone: a subject's
        // twenty records are twenty heap pages apart in a large table (each arrived on its own day), and a
        // 10,000-candidate check read 200,000 of them; the index keeps one subject's entries together.
        record.HasIndex(r => new { r.SubjectKey, r.DecisionDate, r.Sequence })
            .IncludeProperties(r => new
            {
                r.Status, r.Id, r.Version, r.AgencyId, r.Category, r.Severity, r.EffectLastDay, r.Disclosure, r.DisclosureMaximumEnd,
            });
        // Statistics and warnings filter on the decision-date range.
        record.HasIndex(r => r.DecisionDate);
        record.Property(r => r.AgencyId).HasMaxLength(64);
        record.Property(r => r.SourceRecordId).HasMaxLength(128);
        record.Property(r => r.SubjectKey).HasMaxLength(64);
        // Six digits (GB/T 2260), or nine for a township (GB/T 10114).
        record.Property(r => r.DivisionCode).HasMaxLength(9);
        record.Property(r => r.ContentHash).HasMaxLength(32);
        record.Property(r => r.Version).IsConcurrencyToken();
        record.Property(r => r.SubmittedContentHash).HasMaxLength(32);
        record.Property(r => r.PolicyVersion).HasMaxLength(64);
        // The expiry sweep: records in force whose maximum period has been reached.
        record.HasIndex(r => new { r.Status, r.DisclosureMaximumEnd });
        // The effect-end sweep: records whose period of effect has a last day whose end is not recorded yet.
        record.HasIndex(r => r.EffectLastDay, "IX_records_effect_end_unrecorded")
            .HasFilter("\"EffectLastDay\" IS NOT NULL AND (\"EffectEndRecorded\" IS NULL OR \"EffectEndRecorded\" <> \"EffectLastDay\")");
        // ListProjectRecords: one project's records, newest decision first, keyset-paged.
        record.Property(r => r.ProjectCode).HasMaxLength(64);
        record.HasIndex(r => new { r.ProjectCode, r.DecisionDate, r.Sequence });
        // The persons a record names, owned by it: replaced whenever its content is, loaded with it.
        record.OwnsMany(r => r.Persons, person =>
        {
            person.ToTable("record_persons");
            person.WithOwner().HasForeignKey("RecordSequence");
            person.Property<long>("Id");
            person.HasKey("Id");
            person.Property(p => p.PersonKey).HasMaxLength(64);
            // A person's credit file and appraisal checks find the records naming them.
            person.HasIndex(p => p.PersonKey);
        });

        var version = modelBuilder.Entity<RecordVersionEntity>();
        version.ToTable("record_versions");
        version.HasKey(v => new { v.RecordId, v.Version });
        version.Property(v => v.AgencyId).HasMaxLength(64);
        // Reason, grounds, answers, evidence, case references and purposes are free text clerks type: sealed
        // (PersonalDataProtector.SealText), hence longer than what was typed and without a length limit here.
        version.Property(v => v.ContentHash).HasMaxLength(32);

        var recordEvent = modelBuilder.Entity<RecordEventEntity>();
        recordEvent.ToTable("record_events");
        recordEvent.HasKey(e => e.Sequence);
        recordEvent.Property(e => e.Sequence).ValueGeneratedOnAdd();
        // Exactly one event per version.
        recordEvent.HasIndex(e => new { e.RecordId, e.Version }).IsUnique();
        recordEvent.HasIndex(e => e.FeedPosition).IsUnique();
        // What the publisher still has to number, in the order it numbers it.
        recordEvent.HasIndex(e => new { e.TransactionId, e.Sequence }).HasFilter("\"FeedPosition\" IS NULL");
        if (IsPostgres)
        {
            // The writer's transaction id, without the writer doing anything: the reader-side ordering rule needs it.
            recordEvent.Property(e => e.TransactionId).HasDefaultValueSql("pg_current_xact_id()::text::bigint");
        }

        var subscription = modelBuilder.Entity<FeedSubscriptionEntity>();
        subscription.ToTable("feed_subscriptions");
        subscription.HasKey(f => new { f.AgencyId, f.Name });
        subscription.Property(f => f.AgencyId).HasMaxLength(64);
        subscription.Property(f => f.Name).HasMaxLength(64);

        var objection = modelBuilder.Entity<ObjectionEntity>();
        objection.ToTable("objections");
        objection.HasKey(o => o.Sequence);
        objection.Property(o => o.Sequence).ValueGeneratedOnAdd();
        objection.HasIndex(o => o.Id).IsUnique();
        objection.HasIndex(o => o.RecordId);
        objection.HasIndex(o => new { o.State, o.AnswerDueDate, o.Sequence });
        objection.Property(o => o.SourceAgencyId).HasMaxLength(64);
        objection.Property(o => o.FiledBy).HasMaxLength(64);
        objection.Property(o => o.AnsweredBy).HasMaxLength(64);

        var repair = modelBuilder.Entity<RepairApplicationEntity>();
        repair.ToTable("repair_applications");
        repair.HasKey(r => r.Sequence);
        repair.Property(r => r.Sequence).ValueGeneratedOnAdd();
        repair.HasIndex(r => r.Id).IsUnique();
        repair.HasIndex(r => r.RecordId);
        repair.HasIndex(r => new { r.State, r.DecisionDueDate, r.Sequence });
        repair.Property(r => r.SourceAgencyId).HasMaxLength(64);
        repair.Property(r => r.AppliedBy).HasMaxLength(64);
        repair.Property(r => r.DecidedBy).HasMaxLength(64);

        var complaint = modelBuilder.Entity<ComplaintEntity>();
        complaint.ToTable("complaints");
        complaint.HasKey(c => c.Sequence);
        complaint.Property(c => c.Sequence).ValueGeneratedOnAdd();
        complaint.HasIndex(c => c.Id).IsUnique();
        // Two reviewers deciding at once: the second finds the state changed and fails.
        complaint.Property(c => c.State).IsConcurrencyToken();
        complaint.HasIndex(c => c.RecordId);
        // At most one open complaint per handling, even when two are filed at once (both providers
        // take the same partial-index filter).
        complaint.HasIndex(c => c.ObjectionId).IsUnique().HasFilter("\"State\" = 1 AND \"ObjectionId\" IS NOT NULL").HasDatabaseName("IX_complaints_open_objection");
        complaint.HasIndex(c => c.RepairId).IsUnique().HasFilter("\"State\" = 1 AND \"RepairId\" IS NOT NULL").HasDatabaseName("IX_complaints_open_repair");
        complaint.HasIndex(c => new { c.State, c.ReviewDueDate, c.Sequence });
        complaint.Property(c => c.SourceAgencyId).HasMaxLength(64);
        complaint.Property(c => c.FiledBy).HasMaxLength(64);
        complaint.Property(c => c.ReviewedBy).HasMaxLength(64);

        var policy = modelBuilder.Entity<DisclosurePolicyEntity>();
        policy.ToTable("disclosure_policies");
        policy.HasKey(p => p.Version);
        policy.Property(p => p.Version).HasMaxLength(64);
        policy.Property(p => p.Title).HasMaxLength(500);

        // Appraisal audit: one row per check call, one per candidate; "who checked this subject" is an index seek.
        var check = modelBuilder.Entity<AppraisalCheckEntity>();
        check.ToTable("appraisal_checks");
        check.HasKey(c => c.Id);
        check.Property(c => c.AgencyId).HasMaxLength(64);
        check.Property(c => c.RuleSetVersion).HasMaxLength(64);
        check.HasIndex(c => new { c.AgencyId, c.CheckedAt });
        check.HasMany(c => c.Candidates).WithOne().HasForeignKey(c => c.CheckId).OnDelete(DeleteBehavior.Restrict);

        // Published evaluations (四(一)): one per scope, period and standard version, never updated.
        var evaluation = modelBuilder.Entity<PublishedEvaluationEntity>();
        evaluation.ToTable("published_evaluations");
        evaluation.HasKey(e => e.Id);
        evaluation.Property(e => e.TargetKey).HasMaxLength(32);
        evaluation.Property(e => e.Period).HasMaxLength(16);
        evaluation.Property(e => e.StandardVersion).HasMaxLength(64);
        evaluation.Property(e => e.Grade).HasMaxLength(16);
        evaluation.Property(e => e.PublishedBy).HasMaxLength(64);
        evaluation.HasIndex(e => new { e.TargetKind, e.TargetKey, e.Period, e.StandardVersion }).IsUnique();

        // The bidding blacklist (三(三)): market subjects, apart from the records of government dishonesty.
        var entry = modelBuilder.Entity<BlacklistEntryEntity>();
        entry.ToTable("blacklist_entries");
        entry.HasKey(e => e.Sequence);
        entry.Property(e => e.Sequence).ValueGeneratedOnAdd();
        entry.HasIndex(e => e.Id).IsUnique();
        // The idempotency key, as for records.
        entry.HasIndex(e => new { e.AgencyId, e.SourceEntryId }).IsUnique();
        entry.HasIndex(e => new { e.CreditCode, e.EntryDate });
        // The exit sweep and the publication: entries not removed, by exit date.
        entry.HasIndex(e => new { e.Removed, e.ExitRecorded, e.ExitDate });
        entry.Property(e => e.AgencyId).HasMaxLength(64);
        entry.Property(e => e.SourceEntryId).HasMaxLength(128);
        entry.Property(e => e.CreditCode).HasMaxLength(18);
        entry.Property(e => e.Name).HasMaxLength(200);
        entry.Property(e => e.DecisionNumber).HasMaxLength(100);
        entry.Property(e => e.LegalBasis).HasMaxLength(500);
        entry.Property(e => e.ContentHash).HasMaxLength(32);
        entry.Property(e => e.Version).IsConcurrencyToken();

        var entryVersion = modelBuilder.Entity<BlacklistEntryVersionEntity>();
        entryVersion.ToTable("blacklist_entry_versions");
        entryVersion.HasKey(v => new { v.EntryId, v.Version });
        entryVersion.Property(v => v.AgencyId).HasMaxLength(64);

        var tenderingAgency = modelBuilder.Entity<TenderingAgencyEntity>();
        tenderingAgency.ToTable("tendering_agencies");
        tenderingAgency.HasKey(t => t.CreditCode);
        tenderingAgency.Property(t => t.CreditCode).HasMaxLength(18);
        tenderingAgency.Property(t => t.Name).HasMaxLength(200);
        tenderingAgency.Property(t => t.Qualification).HasMaxLength(500);
        tenderingAgency.Property(t => t.CreditInformation).HasMaxLength(2000);
        tenderingAgency.Property(t => t.PublishedBy).HasMaxLength(64);

        var candidate = modelBuilder.Entity<AppraisalCandidateEntity>();
        candidate.ToTable("appraisal_check_candidates");
        candidate.HasKey(c => new { c.CheckId, c.Index });
        candidate.Property(c => c.SubjectKey).HasMaxLength(64);
        candidate.HasIndex(c => c.SubjectKey);

        var agency = modelBuilder.Entity<AgencyEntity>();
        agency.ToTable("agencies");
        agency.HasKey(a => a.Id);
        agency.Property(a => a.Id).HasMaxLength(64);
        agency.Property(a => a.DisplayName).HasMaxLength(200);
        agency.Property(a => a.CertificateSubject).HasMaxLength(500);
        agency.Property(a => a.CertificateUri).HasMaxLength(500);
        agency.Property(a => a.PinnedThumbprint).HasMaxLength(64);

        AuditModel.Configure(modelBuilder);

        var keyCheck = modelBuilder.Entity<PrivacyKeyCheckEntity>();
        keyCheck.ToTable("privacy_key_checks");
        keyCheck.HasKey(k => k.KeyId);
        keyCheck.Property(k => k.KeyId).HasMaxLength(64);
        keyCheck.Property(k => k.CheckValue).HasMaxLength(32);

        // The recipient ledger (DeliveryLedger): one row per record and agency; a record's past recipients are a seek.
        var delivery = modelBuilder.Entity<RecordDeliveryEntity>();
        delivery.ToTable("record_deliveries");
        delivery.HasKey(d => new { d.RecordId, d.AgencyId });
        delivery.Property(d => d.AgencyId).HasMaxLength(64);
        delivery.HasIndex(d => d.AgencyId);

        var acknowledgement = modelBuilder.Entity<FeedAcknowledgementEntity>();
        acknowledgement.ToTable("feed_acknowledgements");
        acknowledgement.HasKey(a => a.Id);
        acknowledgement.Property(a => a.Id).ValueGeneratedOnAdd();
        acknowledgement.Property(a => a.AgencyId).HasMaxLength(64);
        acknowledgement.Property(a => a.Subscription).HasMaxLength(64);
        acknowledgement.HasIndex(a => new { a.AgencyId, a.Sequence });

        var signature = modelBuilder.Entity<RequestSignatureEntity>();
        signature.ToTable("request_signatures");
        signature.HasKey(r => r.Id);
        signature.Property(r => r.Id).ValueGeneratedOnAdd();
        signature.Property(r => r.AgencyId).HasMaxLength(64);
        signature.Property(r => r.Method).HasMaxLength(200);
        signature.Property(r => r.Nonce).HasMaxLength(64);
        signature.Property(r => r.RequestSha256).HasMaxLength(32);
        signature.Property(r => r.CertificateSha256).HasMaxLength(32);
        // A nonce is spent once per agency: the replay guard.
        signature.HasIndex(r => new { r.AgencyId, r.Nonce }).IsUnique();

        var certificate = modelBuilder.Entity<SigningCertificateEntity>();
        certificate.ToTable("signing_certificates");
        certificate.HasKey(c => c.Sha256);
        certificate.Property(c => c.Sha256).HasMaxLength(32);

        var probe = modelBuilder.Entity<StorageProbeEntity>();
        probe.ToTable("storage_probes");
        probe.HasKey(p => p.Instance);
        probe.Property(p => p.Instance).HasMaxLength(200);

        // OpenIddict's applications, authorizations, scopes and tokens live beside the agencies:
        // one database, so every hub instance issues and validates the same tokens.
        modelBuilder.UseOpenIddict();
    }
}

public sealed class SqliteCreditDbContext(DbContextOptions<SqliteCreditDbContext> options) : CreditDbContext(options);

public sealed class PostgresCreditDbContext(DbContextOptions<PostgresCreditDbContext> options) : CreditDbContext(options);
