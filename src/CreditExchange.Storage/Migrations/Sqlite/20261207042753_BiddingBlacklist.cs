using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreditExchange.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class BiddingBlacklist : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "blacklist_entries",
                columns: table => new
                {
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    AgencyId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SourceEntryId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Role = table.Column<int>(type: "INTEGER", nullable: false),
                    CreditCode = table.Column<string>(type: "TEXT", maxLength: 18, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    LegalRepresentative = table.Column<string>(type: "TEXT", nullable: true),
                    Domain = table.Column<int>(type: "INTEGER", nullable: false),
                    DecisionNumber = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Ground = table.Column<string>(type: "TEXT", nullable: false),
                    LegalBasis = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    EntryDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    ExitDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    ContentHash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    Removed = table.Column<bool>(type: "INTEGER", nullable: false),
                    RemovalReason = table.Column<string>(type: "TEXT", nullable: true),
                    ExitRecorded = table.Column<bool>(type: "INTEGER", nullable: false),
                    ObjectionOpen = table.Column<bool>(type: "INTEGER", nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false),
                    ListedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_blacklist_entries", x => x.Sequence);
                });

            migrationBuilder.CreateTable(
                name: "blacklist_entry_versions",
                columns: table => new
                {
                    EntryId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false),
                    Change = table.Column<int>(type: "INTEGER", nullable: false),
                    AgencyId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", nullable: false),
                    ChangedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    RequestSignatureId = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_blacklist_entry_versions", x => new { x.EntryId, x.Version });
                });

            migrationBuilder.CreateTable(
                name: "tendering_agencies",
                columns: table => new
                {
                    CreditCode = table.Column<string>(type: "TEXT", maxLength: 18, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Qualification = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    CreditInformation = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    PublishedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    PublishedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_tendering_agencies", x => x.CreditCode);
                });

            migrationBuilder.CreateIndex(
                name: "IX_blacklist_entries_AgencyId_SourceEntryId",
                table: "blacklist_entries",
                columns: new[] { "AgencyId", "SourceEntryId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_blacklist_entries_CreditCode_EntryDate",
                table: "blacklist_entries",
                columns: new[] { "CreditCode", "EntryDate" });

            migrationBuilder.CreateIndex(
                name: "IX_blacklist_entries_Id",
                table: "blacklist_entries",
                column: "Id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_blacklist_entries_Removed_ExitRecorded_ExitDate",
                table: "blacklist_entries",
                columns: new[] { "Removed", "ExitRecorded", "ExitDate" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "blacklist_entries");

            migrationBuilder.DropTable(
                name: "blacklist_entry_versions");

            migrationBuilder.DropTable(
                name: "tendering_agencies");
        }
    }
}
