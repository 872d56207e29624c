using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreditExchange.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Lifecycle : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateOnly>(
                name: "DisclosureMaximumEnd",
                table: "records",
                type: "TEXT",
                nullable: false,
                defaultValue: new DateOnly(1, 1, 1));

            migrationBuilder.AddColumn<DateOnly>(
                name: "DisclosureMinimumEnd",
                table: "records",
                type: "TEXT",
                nullable: false,
                defaultValue: new DateOnly(1, 1, 1));

            migrationBuilder.AddColumn<string>(
                name: "PolicyVersion",
                table: "records",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<bool>(
                name: "PublishedByDefault",
                table: "records",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<byte[]>(
                name: "SubmittedContentHash",
                table: "records",
                type: "BLOB",
                maxLength: 32,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "disclosure_policies",
                columns: table => new
                {
                    Version = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    EffectiveFrom = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    Terms = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_disclosure_policies", x => x.Version);
                });

            migrationBuilder.CreateTable(
                name: "objections",
                columns: table => new
                {
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    RecordId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SourceAgencyId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    FiledBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    FiledAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    Grounds = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    AnswerDueDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    State = table.Column<int>(type: "INTEGER", nullable: false),
                    StatusBefore = table.Column<int>(type: "INTEGER", nullable: false),
                    AnsweredBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    AnsweredAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                    Answer = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_objections", x => x.Sequence);
                });

            migrationBuilder.CreateTable(
                name: "record_events",
                columns: table => new
                {
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RecordId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false),
                    EventType = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    OccurredAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_record_events", x => x.Sequence);
                });

            migrationBuilder.CreateTable(
                name: "record_versions",
                columns: table => new
                {
                    RecordId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false),
                    Change = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    AgencyId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    ChangedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    ContentHash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    Content = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_record_versions", x => new { x.RecordId, x.Version });
                });

            migrationBuilder.CreateTable(
                name: "repair_applications",
                columns: table => new
                {
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    RecordId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SourceAgencyId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    AppliedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    AppliedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    ObligationsFulfilled = table.Column<bool>(type: "INTEGER", nullable: false),
                    ObligationsEvidence = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    CreditCommitment = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    State = table.Column<int>(type: "INTEGER", nullable: false),
                    DecidedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    DecidedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                    DecisionReason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_repair_applications", x => x.Sequence);
                });

            migrationBuilder.CreateIndex(
                name: "IX_records_Status_DisclosureMaximumEnd",
                table: "records",
                columns: new[] { "Status", "DisclosureMaximumEnd" });

            migrationBuilder.CreateIndex(
                name: "IX_objections_Id",
                table: "objections",
                column: "Id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_objections_RecordId",
                table: "objections",
                column: "RecordId");

            migrationBuilder.CreateIndex(
                name: "IX_objections_State_AnswerDueDate_Sequence",
                table: "objections",
                columns: new[] { "State", "AnswerDueDate", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_record_events_RecordId_Version",
                table: "record_events",
                columns: new[] { "RecordId", "Version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_repair_applications_Id",
                table: "repair_applications",
                column: "Id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_repair_applications_RecordId",
                table: "repair_applications",
                column: "RecordId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "disclosure_policies");

            migrationBuilder.DropTable(
                name: "objections");

            migrationBuilder.DropTable(
                name: "record_events");

            migrationBuilder.DropTable(
                name: "record_versions");

            migrationBuilder.DropTable(
                name: "repair_applications");

            migrationBuilder.DropIndex(
                name: "IX_records_Status_DisclosureMaximumEnd",
                table: "records");

            migrationBuilder.DropColumn(
                name: "DisclosureMaximumEnd",
                table: "records");

            migrationBuilder.DropColumn(
                name: "DisclosureMinimumEnd",
                table: "records");

            migrationBuilder.DropColumn(
                name: "PolicyVersion",
                table: "records");

            migrationBuilder.DropColumn(
                name: "PublishedByDefault",
                table: "records");

            migrationBuilder.DropColumn(
                name: "SubmittedContentHash",
                table: "records");
        }
    }
}
