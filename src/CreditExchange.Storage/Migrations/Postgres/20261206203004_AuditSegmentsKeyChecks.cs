using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreditExchange.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AuditSegmentsKeyChecks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "ChainSegment",
                table: "audit_entries",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "audit_segments",
                columns: table => new
                {
                    Segment = table.Column<int>(type: "integer", nullable: false),
                    StartPosition = table.Column<long>(type: "bigint", nullable: false),
                    PreviousHash = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false),
                    StartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Marker = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    LostThroughPosition = table.Column<long>(type: "bigint", nullable: true),
                    Mac = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_segments", x => x.Segment);
                });

            migrationBuilder.CreateTable(
                name: "privacy_key_checks",
                columns: table => new
                {
                    KeyId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CheckValue = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false),
                    RememberedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_privacy_key_checks", x => x.KeyId);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "audit_segments");

            migrationBuilder.DropTable(
                name: "privacy_key_checks");

            migrationBuilder.DropColumn(
                name: "ChainSegment",
                table: "audit_entries");
        }
    }
}
