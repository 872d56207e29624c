using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace CreditExchange.Storage.Migrations.Postgres
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
                    Sequence = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    AgencyId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    SourceEntryId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Role = table.Column<int>(type: "integer", nullable: false),
                    CreditCode = table.Column<string>(type: "character varying(18)", maxLength: 18, nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    LegalRepresentative = table.Column<string>(type: "text", nullable: true),
                    Domain = table.Column<int>(type: "integer", nullable: false),
                    DecisionNumber = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Ground = table.Column<string>(type: "text", nullable: false),
                    LegalBasis = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    EntryDate = table.Column<DateOnly>(type: "date", nullable: false),
                    ExitDate = table.Column<DateOnly>(type: "date", nullable: false),
                    ContentHash = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false),
                    Removed = table.Column<bool>(type: "boolean", nullable: false),
                    RemovalReason = table.Column<string>(type: "text", nullable: true),
                    ExitRecorded = table.Column<bool>(type: "boolean", nullable: false),
                    ObjectionOpen = table.Column<bool>(type: "boolean", nullable: false),
                    Version = table.Column<long>(type: "bigint", nullable: false),
                    ListedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_blacklist_entries", x => x.Sequence);
                });

            migrationBuilder.CreateTable(
                name: "blacklist_entry_versions",
                columns: table => new
                {
                    EntryId = table.Column<Guid>(type: "uuid", nullable: false),
                    Version = table.Column<long>(type: "bigint", nullable: false),
                    Change = table.Column<int>(type: "integer", nullable: false),
                    AgencyId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Reason = table.Column<string>(type: "text", nullable: false),
                    ChangedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RequestSignatureId = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_blacklist_entry_versions", x => new { x.EntryId, x.Version });
                });

            migrationBuilder.CreateTable(
                name: "tendering_agencies",
                columns: table => new
                {
                    CreditCode = table.Column<string>(type: "character varying(18)", maxLength: 18, nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Qualification = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    CreditInformation = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    PublishedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    PublishedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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
