using CreditExchange.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace CreditExchange.Storage;

internal static class AuditModel
{
    public static void Configure(ModelBuilder modelBuilder)
    {
        var audit = modelBuilder.Entity<AuditEntryEntity>();
        audit.ToTable("audit_entries");
        audit.HasKey(a => a.Sequence);
        audit.Property(a => a.Sequence).ValueGeneratedOnAdd();
        // What the call delivered goes to the recipient ledger in the entry's transaction (DeliveryLedger), not into the entry.
        audit.Ignore(a => a.Deliveries);
        audit.Property(a => a.AgencyId).HasMaxLength(64);
        audit.Property(a => a.CertificateSubject).HasMaxLength(500);
        audit.Property(a => a.CertificateThumbprint).HasMaxLength(64);
        audit.Property(a => a.Method).HasMaxLength(200);
        // Purpose: sealed free text (see CreditDbContext), no length limit here.
        audit.Property(a => a.Reason).HasMaxLength(100);
        audit.Property(a => a.Mac).HasMaxLength(32);
        audit.Property(a => a.Nonce).HasMaxLength(16);
        audit.Property(a => a.PreviousHash).HasMaxLength(32);
        audit.Property(a => a.EntryHash).HasMaxLength(32);
        // Not unique on purpose: a repeated position is tampering the verifier must be able to see and name.
        audit.HasIndex(a => a.ChainPosition);
        audit.HasIndex(a => new { a.AgencyId, a.At });
        audit.HasIndex(a => a.At);
        // The sealer refuses a copy of an entry already written (the same MAC under another sequence): found by this index.
        audit.HasIndex(a => a.Mac);
        // The sealer's queue: only the entries not yet sealed (a few, however long the chain), so finding the next
        // batch in sequence order and the unsealed lag cost the same at 100k and at 1M audit rows (issue 14).
        audit.HasIndex(a => a.Sequence, "IX_audit_entries_unsealed").HasFilter("\"EntryHash\" IS NULL");

        var segment = modelBuilder.Entity<AuditSegmentEntity>();
        segment.ToTable("audit_segments");
        segment.HasKey(s => s.Segment);
        segment.Property(s => s.Segment).ValueGeneratedNever();
        segment.Property(s => s.PreviousHash).HasMaxLength(32);
        segment.Property(s => s.Marker).HasMaxLength(200);
        segment.Property(s => s.Mac).HasMaxLength(32);

        var checkpoint = modelBuilder.Entity<AuditCheckpointEntity>();
        checkpoint.ToTable("audit_checkpoints");
        checkpoint.HasKey(c => c.Number);
        // Numbered by the hub that writes it (under the checkpoint lock): the key refuses a second checkpoint of one number.
        checkpoint.Property(c => c.Number).ValueGeneratedNever();
        checkpoint.Property(c => c.EntryHash).HasMaxLength(32);
        checkpoint.Property(c => c.KeyId).HasMaxLength(100);
        checkpoint.Property(c => c.Signature).HasMaxLength(64);
        // Of several hubs, one writes the checkpoint of a chain position.
        checkpoint.HasIndex(c => new { c.ChainSegment, c.ChainPosition }).IsUnique();
        // The backlog the stamper works through (few rows, however many checkpoints).
        checkpoint.HasIndex(c => c.Number, "IX_audit_checkpoints_unstamped").HasFilter("\"StampStatus\" = 0");
    }
}
