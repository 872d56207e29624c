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

    public DbSet<AuditEntryEntity> AuditEntries => Set<AuditEntryEntity>();

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
        record.Property(r => r.AgencyId).HasMaxLength(64);
        record.Property(r => r.SourceRecordId).HasMaxLength(128);
        record.Property(r => r.SubjectKey).HasMaxLength(64);
        record.Property(r => r.DivisionCode).HasMaxLength(6);
        record.Property(r => r.ContentHash).HasMaxLength(32);
        record.Property(r => r.Version).IsConcurrencyToken();

        var agency = modelBuilder.Entity<AgencyEntity>();
        agency.ToTable("agencies");
        agency.HasKey(a => a.Id);
        agency.Property(a => a.Id).HasMaxLength(64);
        agency.Property(a => a.DisplayName).HasMaxLength(200);
        agency.Property(a => a.CertificateSubject).HasMaxLength(500);
        agency.Property(a => a.CertificateUri).HasMaxLength(500);
        agency.Property(a => a.PinnedThumbprint).HasMaxLength(64);

        AuditModel.Configure(modelBuilder);

        // OpenIddict's applications, authorizations, scopes and tokens live beside the agencies:
        // one database, so every hub instance issues and validates the same tokens.
        modelBuilder.UseOpenIddict();
    }
}

public sealed class SqliteCreditDbContext(DbContextOptions<SqliteCreditDbContext> options) : CreditDbContext(options);

public sealed class PostgresCreditDbContext(DbContextOptions<PostgresCreditDbContext> options) : CreditDbContext(options);
