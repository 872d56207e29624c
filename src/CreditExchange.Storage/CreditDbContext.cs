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

    public DbSet<AppraisalCheckEntity> AppraisalChecks => Set<AppraisalCheckEntity>();

    public DbSet<AppraisalCandidateEntity> AppraisalCandidates => Set<AppraisalCandidateEntity>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var record = modelBuilder.Entity<RecordEntity>();
        record.ToTable("records");
        record.HasKey(r => r.Sequence);
        record.Property(r => r.Sequence).ValueGeneratedOnAdd();
        record.HasIndex(r => r.Id).IsUnique();
        // The idempotency key: a retry finds the first acceptance, a race loses on this index.
        record.HasIndex(r => new { r.AgencyId, r.SourceRecordId }).IsUnique();
        record.HasIndex(r => new { r.SubjectKey, r.DecisionDate, r.Sequence });
        // Statistics and warnings filter on the decision-date range.
        record.HasIndex(r => r.DecisionDate);
        record.Property(r => r.AgencyId).HasMaxLength(64);
        record.Property(r => r.SourceRecordId).HasMaxLength(128);
        record.Property(r => r.SubjectKey).HasMaxLength(64);
        record.Property(r => r.DivisionCode).HasMaxLength(6);
        record.Property(r => r.ContentHash).HasMaxLength(32);
        record.Property(r => r.Version).IsConcurrencyToken();

        // Appraisal audit: one row per check call, one per candidate; "who checked this subject" is an index seek.
        var check = modelBuilder.Entity<AppraisalCheckEntity>();
        check.ToTable("appraisal_checks");
        check.HasKey(c => c.Id);
        check.Property(c => c.AgencyId).HasMaxLength(64);
        check.Property(c => c.CaseReference).HasMaxLength(100);
        check.Property(c => c.RuleSetVersion).HasMaxLength(64);
        check.HasIndex(c => new { c.AgencyId, c.CheckedAt });
        check.HasMany(c => c.Candidates).WithOne().HasForeignKey(c => c.CheckId).OnDelete(DeleteBehavior.Restrict);

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

        // OpenIddict's applications, authorizations, scopes and tokens live beside the agencies:
        // one database, so every hub instance issues and validates the same tokens.
        modelBuilder.UseOpenIddict();
    }
}

public sealed class SqliteCreditDbContext(DbContextOptions<SqliteCreditDbContext> options) : CreditDbContext(options);

public sealed class PostgresCreditDbContext(DbContextOptions<PostgresCreditDbContext> options) : CreditDbContext(options);
